/**
 * Row 5 of issue 18: Temporal refuses signals to a run past 10,000 (its per-run limit), so 12,000
 * signals of an unrelated name to a run waiting for `go` used to wedge it: `go` was refused too. A
 * run waiting at a top-level task continues as new past 2,000 signals, carrying what it has not
 * consumed; past the budget, a name no task waits for keeps 100 waiting signals and the rest are
 * dropped, all counted in `state`.
 */
import { randomUUID } from 'node:crypto';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';
import { spawnWorker } from '../harness/worker-process';
import { floodSignals } from '../harness/signal-flood';
import { flowstateCli } from './cli';

const env = useTestEnv();

const waiting = compileYaml(`id: flooded
version: 1.0.0
tasks:
  - { id: first, tool: echo, with: { n: 1 } }
  - { id: hold, type: wait, wait_for: go, timeout: 10m }
  - { id: after, tool: echo, with: "{{ [tasks.first.output.n, tasks.hold.output.token] }}" }
`);

test('a run waiting for go still receives go after 12,000 noise signals', async () => {
  // A worker of its own, in a process of its own, as `flowstate worker` runs in production (a flood
  // of signals in the Jest process that also sends them crashed its workflow thread: Node's
  // "async hook stack has become corrupted").
  const taskQueue = `hostile-flood-${randomUUID().slice(0, 8)}`;
  const worker = await spawnWorker({ address: env.address, taskQueue });
  let log = '';
  worker.child.stderr!.on('data', (d) => (log = (log + d).slice(-4000)));
  try {
    await floodedRun(taskQueue);
  } catch (e) {
    process.stderr.write(`worker's log: ${log}\n`);
    throw e;
  } finally {
    await worker.stop();
  }
}, 600_000);

async function floodedRun(taskQueue: string): Promise<void> {
  const id = `hostile-flood-${randomUUID().slice(0, 8)}`;
  await env.flowstate.start(waiting, {}, { workflowId: id, taskQueue });
  await eventually(
    () => env.flowstate.state(id),
    (s) => s.waiting.some((w) => w.task === 'hold'),
  );
  const started = Date.now();
  // Bursts of 1,000, 32 at a time, each taken in before the next: under a flood that never pauses,
  // Temporal refuses the continue-as-new while signals keep coming (temporalio/temporal#1289).
  let refused = 0;
  for (let sent = 1_000; sent <= 12_000; sent += 1_000) {
    refused += (await floodSignals(env.address, id, 'noise', 1_000, 32)).refused;
    await eventually(
      () => env.flowstate.state(id),
      (s) => (s.signals?.received ?? 0) >= sent - refused,
      120_000,
    );
  }
  const flooded = Date.now() - started;
  process.stderr.write(`12,000 signals in ${flooded} ms, ${refused} refused\n`);
  expect(refused).toBe(0);
  await env.flowstate.signal(id, 'go', { token: 't-1' });
  const result = await env.flowstate.result(id);
  expect(result.output).toEqual([1, 't-1']);

  const state = await env.flowstate.state(id);
  expect(state.status).toBe('completed');
  expect(state.completed).toEqual(['first', 'hold', 'after']);
  expect(state.signals?.received).toBe(12_001);
  expect(state.signals?.continued_as_new).toBeGreaterThanOrEqual(1);
  // Nobody takes the noise: every noise signal is either dropped or still waiting, all counted; at
  // most a run's budget (2,000) plus the 100 carried wait, so most were dropped.
  const dropped = state.signals?.dropped.noise ?? 0;
  const queued = state.signals?.queued?.noise ?? 0;
  expect(dropped + queued).toBe(12_000);
  expect(queued).toBeLessThanOrEqual(2_000 + 100);
  expect(Object.keys(state.signals?.dropped ?? {})).toEqual(['noise']);

  // The CLI shows the server's reason when a signal is refused (here: the run has ended).
  const finished = await flowstateCli(['signal', id, 'go'], env.processEnv());
  expect(finished.code).toBe(1);
  expect(finished.stderr).toContain('has finished (completed)');
}
