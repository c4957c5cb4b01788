/**
 * A batch child workflow of 500 runs (a collection over 200 items, no `max_workers`) runs at most
 * 40 of them at once, so each of its workflow tasks starts or finishes few runs, and no workflow task
 * of the run fails or times out (checked from the histories with `scanWorkflowTasks`).
 */
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { Probe } from '../harness/probe-tools';
import { scanWorkflowTasks } from '../../src/replay/workflow-tasks';

const probe = new Probe();
const env = useTestEnv({ tools: probe.tools() });

test('500 runs in one batch child: at most 40 at once, at most 40 started per workflow task, none failed', async () => {
  const def = compileYaml(`
id: batch-lanes
version: 1.0.0
tasks:
  - id: each
    type: collection
    items: "[1..500]"
    task: { id: work, tool: sleep, with: { label: "i{{ item }}", ms: 20, value: "{{ item }}", gauge: lanes } }
`);
  const ref = await env.start(def);
  const { output } = await env.flowstate.result(ref.workflowId);
  expect(output).toEqual(Array.from({ length: 500 }, (_, i) => i + 1));
  expect(probe.peak('lanes')).toBeLessThanOrEqual(40);
  expect(probe.peak('lanes')).toBeGreaterThanOrEqual(10);

  const history = async (id: string) => (await env.client.workflow.getHandle(id).fetchHistory()).events ?? [];
  const parent = await history(ref.workflowId);
  const children = parent.flatMap(
    (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
  );
  expect(children).toEqual([`${ref.workflowId}/each#0`]);
  // The batch child: no workflow task schedules more than 40 runs' activities; no workflow task of
  // either run failed or timed out. (Their times, under a second on a quiet machine, are the bench's
  // to judge: this machine may be loaded.)
  const childEvents = await history(children[0]);
  const perTask = new Map<string, number>();
  for (const e of childEvents) {
    const by = e.activityTaskScheduledEventAttributes?.workflowTaskCompletedEventId;
    if (by != null) perTask.set(String(by), (perTask.get(String(by)) ?? 0) + 1);
  }
  expect(Math.max(...perTask.values())).toBeLessThanOrEqual(40);
  for (const events of [childEvents, parent]) {
    const scan = scanWorkflowTasks(events);
    expect(scan.issues.filter((i) => i.kind !== 'slow')).toEqual([]);
  }
});
