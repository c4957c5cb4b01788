/**
 * Streaming collections on the real server: items from a paged source, handed out in chunks of at
 * most `buffer`, `batch` at a time; the next page is fetched only when every fetched item has been
 * handed out (backpressure); the task runs in a child workflow of its own that continues as new, so no
 * history grows without bound; the output is a summary with the `reduce` accumulator.
 */
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { Probe } from '../harness/probe-tools';
import { eventually } from '../harness/eventually';

const probe = new Probe();
/** What the source saw: at each fetch, how many items had been handed to the item task. */
const fetches: Array<{ cursor: number; handedOut: number }> = [];
let handedOut = 0;
const pages = defineTool({
  name: 'pages',
  input: z.object({ cursor: z.number().nullable(), size: z.number(), total: z.number() }),
  run: ({ cursor, size, total }) => {
    const from = cursor ?? 0;
    fetches.push({ cursor: from, handedOut });
    const items = Array.from({ length: Math.min(size, total - from) }, (_, i) => ({ n: from + i + 1 }));
    return { items, next: from + size < total ? from + size : null };
  },
});
const count = defineTool({
  name: 'count-item',
  input: z.object({ n: z.number() }),
  run: ({ n }) => {
    handedOut++;
    return n * 2;
  },
});
const env = useTestEnv({ tools: [pages, count, ...probe.tools()] });
beforeEach(() => {
  fetches.length = 0;
  handedOut = 0;
  probe.reset();
});

test('pages in, chunks of at most buffer, batch at a time, next page only when the buffer is drained; summary and reduce', async () => {
  const def = compileYaml(`
id: stream-small
version: 1.0.0
tasks:
  - id: etl
    type: collection
    items_from: { tool: pages, with: { cursor: "{{ cursor }}", size: 50, total: 230 } }
    buffer: 20
    batch: 5
    reduce: "$sum([acc, $sum(results)])"
    initial: 0
    task: { id: double, tool: count-item, with: { n: "{{ item.n }}" } }
`);
  const ref = await env.start(def);
  const { output } = await env.flowstate.result(ref.workflowId);
  expect(output).toMatchObject({
    count: 230,
    completed: 230,
    failed: 0,
    pages: 5,
    peak_buffer: 50,
    result: 230 * 231,
  });
  // Backpressure: every fetch after the first came when all fetched items had been handed out.
  expect(fetches.map((f) => f.cursor)).toEqual([0, 50, 100, 150, 200]);
  fetches.forEach((f) => expect(f.handedOut).toBe(f.cursor));
  // The stream ran in a child workflow of its own.
  const history = await env.client.workflow.getHandle(ref.workflowId).fetchHistory();
  const children = (history.events ?? []).flatMap(
    (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
  );
  expect(children).toEqual([`${ref.workflowId}/etl`]);
});

test('batch bounds concurrency inside a chunk', async () => {
  const def = compileYaml(`
id: stream-batch
version: 1.0.0
tasks:
  - id: etl
    type: collection
    items_from: { tool: pages, with: { cursor: "{{ cursor }}", size: 30, total: 30 } }
    buffer: 30
    batch: 4
    task: { id: work, tool: sleep, with: { label: "s{{ item.n }}", ms: 200, gauge: stream } }
`);
  const { output } = await env.run(def);
  expect(output).toMatchObject({ count: 30, completed: 30, pages: 1 });
  expect(probe.peak('stream')).toBeLessThanOrEqual(4);
  expect(probe.peak('stream')).toBeGreaterThanOrEqual(2);
});

test('a long stream continues as new: every history stays bounded, nothing is lost', async () => {
  const def = compileYaml(`
id: stream-long
version: 1.0.0
tasks:
  - id: etl
    type: collection
    items_from: { tool: pages, with: { cursor: "{{ cursor }}", size: 500, total: 3000 } }
    buffer: 150
    batch: 50
    reduce: "$sum([acc, $count(results)])"
    initial: 0
    task: { id: t, type: aggregate, outputs: "{{ item.n }}" }
`);
  const ref = await env.start(def);
  const { output } = await env.flowstate.result(ref.workflowId);
  expect(output).toMatchObject({ count: 3000, completed: 3000, pages: 6, result: 3000 });
  const child = env.client.workflow.getHandle(`${ref.workflowId}/etl`);
  const runs: number[] = [];
  let history = await child.fetchHistory();
  // Follow the chain of continue-as-new runs back from the last one (the handle's latest run).
  runs.push(history.events?.length ?? 0);
  const described = await child.describe();
  expect(described.status.name).toBe('COMPLETED');
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  expect(started?.continuedExecutionRunId).toBeTruthy(); // the last run continued an earlier one
  for (let runId = started?.continuedExecutionRunId; runId;) {
    history = await env.client.workflow.getHandle(`${ref.workflowId}/etl`, runId).fetchHistory();
    runs.push(history.events?.length ?? 0);
    runId =
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
  }
  expect(runs.length).toBeGreaterThan(1);
  for (const events of runs) expect(events).toBeLessThan(3_000);
});

test('items from signals: buffered, handed out in chunks, until ends it; nothing lost across continue-as-new', async () => {
  const def = compileYaml(`
id: stream-signals
version: 1.0.0
tasks:
  - id: etl
    type: collection
    items_from: { signal: item, until: "signal.done = true" }
    buffer: 50
    reduce: "$sum([acc, $sum(results)])"
    initial: 0
    task: { id: t, type: aggregate, outputs: "{{ item.n }}" }
`);
  const ref = await env.start(def);
  const stream = env.client.workflow.getHandle(`${ref.workflowId}/etl`);
  await eventually(
    () =>
      stream.describe().then(
        () => true,
        () => false,
      ),
    (ok) => ok,
  );
  const N = 250;
  for (let n = 1; n <= N; n++) await stream.signal('item', { n });
  await stream.signal('item', { done: true });
  const { output } = await env.flowstate.result(ref.workflowId);
  expect(output).toMatchObject({ count: N, completed: N, failed: 0, result: (N * (N + 1)) / 2 });
  expect((output as { peak_buffer: number }).peak_buffer).toBeLessThanOrEqual(50);
  const last = await stream.fetchHistory();
  expect(last.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
});
