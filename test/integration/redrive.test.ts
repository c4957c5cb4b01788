/**
 * `flowstate redrive` on the real server: a failed run's pinned definition and input run again, the
 * tasks it settled reused (their tools not called again), the failed task and what follows run; in a
 * collection only the failed items run again; a run that did not fail is refused with the reason.
 */
import { eventsFromHistory } from '../../src/replay/events-from-history';
import { compileYaml } from '../harness/definitions';
import { useTestEnv } from '../harness/env';
import { brokenStep } from '../harness/broken-step';
import { runCli, type Ran } from '../harness/cli';
import { eventually } from '../harness/eventually';
import { floodSignals } from '../harness/signal-flood';

const { step, calls, broken } = brokenStep();
const env = useTestEnv({ tools: [step] });

function flowstate(args: string[]): Promise<Ran> {
  return runCli(args, env.processEnv());
}

async function failed(workflowId: string): Promise<void> {
  await expect(env.flowstate.result(workflowId)).rejects.toThrow();
}

beforeEach(() => {
  calls.clear();
  broken.clear();
});

test('redrive reuses the tasks done before the failure: their tools ran once in total', async () => {
  const def = compileYaml(`
id: redrive-three
version: 1.0.0
input: { type: object, properties: { order: { type: string } } }
tasks:
  - { id: fetch, tool: step, with: { label: fetch, value: "{{ input.order }}" } }
  - { id: parse, tool: step, with: { label: parse, value: "{{ tasks.fetch.output.value }}" } }
  - { id: store, tool: step, with: { label: store, value: "{{ tasks.parse.output.value }}" } }
`);
  broken.add('store');
  const first = await env.start(def, { order: 'o-42' });
  await failed(first.workflowId);
  broken.delete('store');

  const ran = await flowstate(['redrive', first.workflowId]);
  expect(ran.stderr).toContain(`a redrive of ${first.workflowId} (2 settled task output(s) to reuse)`);
  expect(ran.code).toBe(0);
  const id = ran.stdout.trim();
  expect(id).toMatch(/^redrive-three-[0-9a-f]{8}$/);

  const { output } = await env.flowstate.result(id);
  expect(output).toEqual({ label: 'store', value: 'o-42' });
  expect(Object.fromEntries(calls)).toEqual({ fetch: 1, parse: 1, store: 2 });
  const state = await env.flowstate.state(id);
  expect(state.status).toBe('completed');
  expect(state.reused).toEqual(['fetch', 'parse']);
  expect(state.redrives).toBe(first.workflowId);
  expect(state.completed).toEqual(['fetch', 'parse', 'store']);
  const { memo } = await env.client.workflow.getHandle(id).describe();
  expect(memo?.redrives).toBe(first.workflowId);
  // Its history replays against the interpreter (the reuse branch is deterministic), and the events it
  // rebuilds mark the reused tasks.
  const events = await eventsFromHistory(id, await env.client.workflow.getHandle(id).fetchHistory());
  expect(events.filter((e) => e.type.startsWith('task.')).map((e) => `${e.type} ${e.path}`)).toEqual([
    'task.reused fetch',
    'task.reused parse',
    'task.started store',
    'task.completed store',
  ]);
  expect(events[0]).toMatchObject({ type: 'run.started', data: { redrives: first.workflowId } });
});

test('redrive of a collection runs only the items that failed', async () => {
  const def = compileYaml(`
id: redrive-items
version: 1.0.0
tasks:
  - { id: prepare, tool: step, with: { label: prepare } }
  - id: each
    type: collection
    items: '["a", "b", "c", "d", "e"]'
    task: { id: work, tool: step, with: { label: "item-{{ item }}", value: "{{ item }}" } }
`);
  broken.add('item-b').add('item-d');
  const first = await env.start(def);
  await failed(first.workflowId);
  expect(calls.get('item-a')).toBe(1);
  broken.clear();

  const again = await env.flowstate.redrive(first.workflowId);
  expect(again.redrives).toBe(first.workflowId);
  const { output } = await env.flowstate.result(again.workflowId);
  expect((output as Array<{ value: string }>).map((o) => o.value)).toEqual(['a', 'b', 'c', 'd', 'e']);
  expect(Object.fromEntries(calls)).toEqual({
    prepare: 1,
    'item-a': 1,
    'item-b': 2,
    'item-c': 1,
    'item-d': 2,
    'item-e': 1,
  });
  const state = await env.flowstate.state(again.workflowId);
  expect([...(state.reused ?? [])].sort()).toEqual(['each[0]', 'each[2]', 'each[4]', 'prepare']);
  const history = await env.client.workflow.getHandle(again.workflowId).fetchHistory();
  const events = await eventsFromHistory(again.workflowId, history);
  expect(events.filter((e) => e.type === 'task.started').map((e) => e.path)).toEqual([
    'each',
    'each[1]',
    'each[3]',
  ]);
});

test('redrive of a parallel runs only the branch that failed, then what follows it', async () => {
  const def = compileYaml(`
id: redrive-branches
version: 1.0.0
output: "{{ tasks.merge.output }}"
tasks:
  - id: analyse
    type: parallel
    tasks:
      - { id: security, tool: step, with: { label: security } }
      - { id: style, tool: step, with: { label: style } }
      - { id: deps, tool: step, with: { label: deps } }
  - id: merge
    type: aggregate
    outputs: "{{ [tasks.security.output.label, tasks.style.output.label, tasks.deps.output.label] }}"
`);
  broken.add('style');
  const first = await env.start(def);
  await failed(first.workflowId);
  broken.clear();
  const again = await env.flowstate.redrive(first.workflowId);
  const { output } = await env.flowstate.result(again.workflowId);
  expect(output).toEqual(['security', 'style', 'deps']);
  expect(Object.fromEntries(calls)).toEqual({ security: 1, style: 2, deps: 1 });
  const state = await env.flowstate.state(again.workflowId);
  expect([...(state.reused ?? [])].sort()).toEqual(['analyse/deps', 'analyse/security']);
});

test("an approved gate is not asked again, and a router's jump is taken again without running it", async () => {
  const def = compileYaml(`
id: redrive-gated
version: 1.0.0
input: { type: object, properties: { size: { type: string } } }
tasks:
  - { id: draft, tool: step, with: { label: draft }, acceptance: { max_revisions: 1 } }
  - id: pick
    type: router
    condition: "{{ input.size }}"
    routes:
      large: finish
  - { id: middle, tool: step, with: { label: middle } }
  - { id: finish, tool: step, with: { label: finish } }
`);
  broken.add('finish');
  const first = await env.start(def, { size: 'large' });
  await eventually(
    () => env.flowstate.state(first.workflowId),
    (s) => s.pending_gates.some((g) => g.gate === 'draft'),
  );
  await env.flowstate.decide(first.workflowId, { decision: 'approve', by: 'editor' });
  await failed(first.workflowId);
  broken.clear();

  const again = await env.flowstate.redrive(first.workflowId);
  expect(again.settled).toEqual(['draft', 'pick']);
  const { output, decisions } = await env.flowstate.result(again.workflowId);
  expect(output).toEqual({ label: 'finish' });
  expect(decisions).toEqual([]);
  expect(Object.fromEntries(calls)).toEqual({ draft: 1, finish: 2 });
  expect((await env.flowstate.state(again.workflowId)).completed).toEqual(['draft', 'pick', 'finish']);
});

test('after a task that runs afresh, what its sequence settled later (an on_error handler) runs too', async () => {
  const def = compileYaml(`
id: redrive-handled
version: 1.0.0
tasks:
  - { id: a, tool: step, with: { label: a } }
  - { id: b, tool: step, with: { label: b }, on_error: { next: recover } }
  - { id: c, tool: step, with: { label: c } }
  - { id: recover, tool: step, with: { label: recover } }
  - { id: last, tool: step, with: { label: last } }
`);
  broken.add('b').add('last');
  const first = await env.start(def);
  await failed(first.workflowId);
  expect(Object.fromEntries(calls)).toEqual({ a: 1, b: 1, recover: 1, last: 1 });
  broken.clear();

  const again = await env.flowstate.redrive(first.workflowId);
  expect(again.settled).toEqual(['a', 'recover']);
  await env.flowstate.result(again.workflowId);
  // b now succeeds, so c runs, and recover runs again: its old output answered b's old error.
  expect(Object.fromEntries(calls)).toEqual({ a: 1, b: 2, c: 1, recover: 2, last: 2 });
  expect((await env.flowstate.state(again.workflowId)).reused).toEqual(['a']);
});

test('a terminated run is redriven too: a gate still pending when it ended is asked again', async () => {
  const def = compileYaml(`
id: redrive-terminated
version: 1.0.0
tasks:
  - { id: fetch, tool: step, with: { label: fetch } }
  - { id: draft, tool: step, with: { label: draft }, acceptance: {} }
`);
  const first = await env.start(def);
  const waiting = (id: string) =>
    eventually(
      () => env.flowstate.state(id),
      (s) => s.pending_gates.some((g) => g.gate === 'draft'),
    );
  await waiting(first.workflowId);
  await env.client.workflow.getHandle(first.workflowId).terminate('operator stopped it');

  const again = await env.flowstate.redrive(first.workflowId);
  expect(again.settled).toEqual(['fetch']);
  await waiting(again.workflowId);
  await env.flowstate.decide(again.workflowId, { decision: 'approve', by: 'editor' });
  const { output } = await env.flowstate.result(again.workflowId);
  expect(output).toEqual({ label: 'draft' });
  expect(Object.fromEntries(calls)).toEqual({ fetch: 1, draft: 2 });
});

test('a redrive that fails can be redriven in turn: what either run settled is reused', async () => {
  const def = compileYaml(`
id: redrive-chain
version: 1.0.0
tasks:
  - { id: one, tool: step, with: { label: one } }
  - { id: two, tool: step, with: { label: two } }
  - { id: three, tool: step, with: { label: three } }
`);
  broken.add('two').add('three');
  const first = await env.start(def);
  await failed(first.workflowId);
  broken.delete('two');
  const second = await env.flowstate.redrive(first.workflowId);
  await failed(second.workflowId);
  broken.clear();
  const third = await env.flowstate.redrive(second.workflowId);
  expect(third.settled).toEqual(['one', 'two']);
  expect((await env.flowstate.result(third.workflowId)).output).toEqual({ label: 'three' });
  expect(Object.fromEntries(calls)).toEqual({ one: 1, two: 2, three: 2 });
  const state = await env.flowstate.state(third.workflowId);
  expect(state).toMatchObject({ redrives: second.workflowId, reused: ['one', 'two'] });
});

test('a run that completed is refused, saying why', async () => {
  const def = compileYaml(`
id: redrive-done
version: 1.0.0
tasks:
  - { id: only, tool: step, with: { label: only } }
`);
  const done = await env.start(def);
  await env.flowstate.result(done.workflowId);
  const ran = await flowstate(['redrive', done.workflowId]);
  expect(ran.code).toBe(1);
  expect(ran.stdout).toBe('');
  expect(ran.stderr).toContain(`cannot redrive ${done.workflowId}: it completed`);
  expect(calls.get('only')).toBe(1);
});

test('a run that continued as new (past 2,000 signals at a wait) then failed: its redrive reuses what earlier runs settled', async () => {
  const def = compileYaml(`
id: redrive-rotated
version: 1.0.0
tasks:
  - { id: first, tool: step, with: { label: first } }
  - { id: hold, type: wait, wait_for: go, timeout: 10m }
  - { id: last, tool: step, with: { label: last, value: "{{ tasks.hold.output.token }}" } }
`);
  broken.add('last');
  const first = await env.start(def);
  await eventually(
    () => env.flowstate.state(first.workflowId),
    (s) => s.waiting.some((w) => w.task === 'hold'),
  );
  // Past the signal budget the waiting run continues as new: 2,001 signals of a name no task takes.
  expect(await floodSignals(env.address, first.workflowId, 'noise', 2_001)).toEqual({ refused: 0 });
  await eventually(
    () => env.flowstate.state(first.workflowId),
    (s) => (s.signals?.continued_as_new ?? 0) >= 1 && s.waiting.some((w) => w.task === 'hold'),
    120_000,
  );
  await env.flowstate.signal(first.workflowId, 'go', { token: 't-1' });
  await failed(first.workflowId);
  broken.clear();

  const again = await env.flowstate.redrive(first.workflowId);
  expect(again.settled).toEqual(['first', 'hold']);
  expect((await env.flowstate.result(again.workflowId)).output).toEqual({ label: 'last', value: 't-1' });
  expect(Object.fromEntries(calls)).toEqual({ first: 1, last: 2 });
  expect((await env.flowstate.state(again.workflowId)).reused).toEqual(['first', 'hold']);
}, 300_000);
