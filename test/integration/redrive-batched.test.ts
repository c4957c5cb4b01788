/**
 * `flowstate redrive` of a run whose large collection (over 200 items: its items run in batch child
 * workflows of 500) failed: the items that completed, in any batch, are reused (their tool not called
 * again) and marked `reused`; only the items that failed, or never started, run again.
 */
import { compileYaml } from '../harness/definitions';
import { useTestEnv } from '../harness/env';
import { brokenStep } from '../harness/broken-step';
import { runCli } from '../harness/cli';
import { scanWorkflowTasks } from '../../src/replay/workflow-tasks';

const { step, calls, broken } = brokenStep();
const env = useTestEnv({ tools: [step] });

const ITEMS = 520;
const items = Array.from({ length: ITEMS }, (_, i) => i);

function definition(id: string, extra = ''): ReturnType<typeof compileYaml> {
  return compileYaml(`
id: ${id}
version: 1.0.0
tasks:
  - { id: prepare, tool: step, with: { label: prepare } }
  - id: each
    type: collection
    items: "[0..${ITEMS - 1}]"${extra}
    task: { id: work, tool: step, with: { label: "item-{{ item }}", value: "{{ item }}" } }
`);
}

/** What a run with nothing broken gives: each item's `step` output, in item order. */
const undisturbed = items.map((i) => ({ label: `item-${i}`, value: i }));

async function batchIds(workflowId: string): Promise<string[]> {
  const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap(
    (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
  );
}

beforeEach(() => {
  calls.clear();
  broken.clear();
});

test('redrive (the CLI, as a process) of a batched collection reruns only its failed items', async () => {
  const def = definition('redrive-batched');
  const failing = [7, 250, 499];
  for (const i of failing) broken.add(`item-${i}`);
  const first = await env.start(def);
  await expect(env.flowstate.result(first.workflowId)).rejects.toThrow();
  // Two batches: #0 (items 0-499) completed with 3 items failed, #1 (500-519) completed them all.
  expect(await batchIds(first.workflowId)).toEqual([0, 1].map((b) => `${first.workflowId}/each#${b}`));
  expect(calls.size).toBe(ITEMS + 1);
  broken.clear();

  const ran = await runCli(['redrive', first.workflowId], env.processEnv());
  expect(ran.stderr).toContain(`a redrive of ${first.workflowId} (${ITEMS - failing.length + 1} settled`);
  expect(ran.code).toBe(0);
  const id = ran.stdout.trim();

  const { output } = await env.flowstate.result(id);
  expect(output).toEqual(undisturbed);
  // Every tool ran once in all, but the failed items' twice.
  const twice = [...calls].filter(([, n]) => n !== 1).map(([label, n]) => `${label}:${n}`);
  expect(twice).toEqual(failing.map((i) => `item-${i}:2`));
  expect(calls.get('prepare')).toBe(1);
  expect(calls.size).toBe(ITEMS + 1);

  const state = await env.flowstate.state(id);
  expect(state.status).toBe('completed');
  expect(state.redrives).toBe(first.workflowId);
  const reusedItems = items.filter((i) => !failing.includes(i)).map((i) => `each[${i}]`);
  expect([...(state.reused ?? [])].sort()).toEqual(['prepare', ...reusedItems].sort());
  // Each batch child of the redrive marks what it reused, and says which run it redrives.
  const [b0, b1] = await batchIds(id);
  const batch0 = await env.flowstate.state(b0);
  expect(batch0.redrives).toBe(first.workflowId);
  expect(batch0.reused).toHaveLength(500 - failing.length);
  expect(batch0.reused).not.toContain('each[250]');
  expect((await env.flowstate.state(b1)).reused).toHaveLength(20);
  // Reusing 497 items took no workflow task that failed or timed out.
  const events = (await env.client.workflow.getHandle(b0).fetchHistory()).events ?? [];
  const scan = scanWorkflowTasks(events);
  process.stderr.write(`redriven batch #0: ${scan.tasks} workflow tasks, longest ${scan.maxMs} ms\n`);
  expect(scan.issues.filter((i) => i.kind !== 'slow')).toEqual([]);
});

test('a batched collection stopped at its first failure: redrive reuses what completed, runs the rest', async () => {
  // 10 at a time, one batch at a time: the first failure stops batch #0 part-way (the runs under way
  // cancelled, the rest never started) and batch #1 never starts.
  const def = definition('redrive-batched-stopped', '\n    strategy: fail_fast\n    batch: 10');
  broken.add('item-40');
  const first = await env.start(def);
  await expect(env.flowstate.result(first.workflowId)).rejects.toThrow();
  expect(await batchIds(first.workflowId)).toEqual([`${first.workflowId}/each#0`]);
  const ranFirst = new Set([...calls.keys()]);
  expect(ranFirst.has('item-300')).toBe(false);
  broken.clear();

  const again = await env.flowstate.redrive(first.workflowId);
  const settledItems = again.settled.filter((p) => p.startsWith('each['));
  expect(settledItems.length).toBeGreaterThanOrEqual(30);
  expect(settledItems).not.toContain('each[40]');
  const { output } = await env.flowstate.result(again.workflowId);
  expect(output).toEqual(undisturbed);

  const state = await env.flowstate.state(again.workflowId);
  const reused = new Set(state.reused ?? []);
  expect([...reused].sort()).toEqual(['prepare', ...settledItems].sort());
  for (const i of items) {
    const n = calls.get(`item-${i}`);
    // Reused: called once in all. Never started the first time: once. Failed or cancelled: twice.
    if (reused.has(`each[${i}]`) || !ranFirst.has(`item-${i}`)) expect([i, n]).toEqual([i, 1]);
    else expect([i, n]).toEqual([i, 2]);
  }
  expect(calls.get('item-40')).toBe(2);
});
