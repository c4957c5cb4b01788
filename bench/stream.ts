/**
 * Streaming: 100,000 items from a paged source through a collection with `items_from`. Reports items
 * per second, the peak buffer, the largest history in the chain (the stream's runs continue as new;
 * chunks above 200 items go to batch child workflows) and worker heap growth; and the same work as a
 * hand-written paged loop (bench/baseline/workflow.ts `pagedLoop`: a page activity, each page fanned
 * out over child workflows of 500 local activities, continued as new every 20 pages) for its floor.
 */
import { z } from 'zod';
import { defineTool } from '../src/activities/tools';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { type BenchEnv, type Row, fmt, historyOf, scaled } from './lib';

const TOTAL = scaled(100_000, 2_000);
const pages = defineTool({
  name: 'bench-pages',
  input: z.object({ cursor: z.number().nullable(), size: z.number(), total: z.number() }),
  run: ({ cursor, size, total }) => {
    const from = cursor ?? 0;
    return {
      items: Array.from({ length: Math.min(size, total - from) }, (_, i) => from + i + 1),
      next: from + size < total ? from + size : null,
    };
  },
});
const def = compileOrThrow(
  `id: stream-bench
version: 1.0.0
tasks:
  - id: etl
    type: collection
    items_from: { tool: bench-pages, with: { cursor: "{{ cursor }}", size: 1000, total: ${TOTAL} } }
    buffer: 1000
    reduce: "$sum([acc, $sum(results)])"
    initial: 0
    task: { id: t, type: aggregate, outputs: "{{ item % 7 }}" }
`,
  'bench-stream.yaml',
  builtinTaskTypes(),
);

function heap(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

export async function benchStream(env: BenchEnv): Promise<Row[]> {
  return env.withWorker(
    'bench-stream',
    async (fs) => {
      const before = heap();
      const t = performance.now();
      const { workflowId } = await fs.start(def, {});
      const { output } = await fs.result(workflowId);
      const seconds = (performance.now() - t) / 1000;
      const growth = (heap() - before) / 1024 / 1024;
      const summary = output as { count: number; pages: number; peak_buffer: number; result: number };
      // The stream's chain of runs (continued as new), newest first, and the batch children of the first.
      const sizes: number[] = [(await historyOf(env.client, workflowId)).length];
      let runId: string | undefined;
      let runs = 0;
      let batches: string[] = [];
      do {
        const events =
          (await env.client.workflow.getHandle(`${workflowId}/etl`, runId).fetchHistory()).events ?? [];
        sizes.push(events.length);
        runs++;
        if (batches.length === 0)
          batches = events.flatMap(
            (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
          );
        runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      } while (runId);
      for (const id of batches.slice(0, 4)) sizes.push((await historyOf(env.client, id)).length);
      const expected = Array.from({ length: TOTAL }, (_, i) => (i + 1) % 7).reduce((a, b) => a + b, 0);
      const max = Math.max(...sizes);
      const floor = await pagedLoopFloor(env);
      return [
        {
          name: `stream of ${TOTAL.toLocaleString('en')} items vs a hand-written paged loop`,
          value: `${fmt(seconds / floor.seconds)}× (${fmt(seconds, 1)} vs ${fmt(floor.seconds, 1)} s${floor.right ? '' : "; the loop's sum is WRONG"})`,
        },
        {
          name: `stream of ${TOTAL.toLocaleString('en')} items from a paged source`,
          value: `${summary.count === TOTAL && summary.result === expected ? 'complete' : 'WRONG'} in ${fmt(seconds, 1)} s (${fmt(TOTAL / seconds, 0)} items/s), peak buffer ${summary.peak_buffer}`,
          ok: summary.count === TOTAL && summary.result === expected,
        },
        {
          name: 'stream: largest history (parent, stream runs, batches)',
          value: `${max} events over ${runs} continued runs`,
          budget: '≤ 10,240 events',
          ok: max <= 10_240,
        },
        {
          name: 'stream: worker heap growth over the run',
          value: `${fmt(growth, 1)} MB${global.gc ? '' : ' (no --expose-gc: rough)'}`,
        },
      ];
    },
    { tools: [pages] },
  );
}

/** The hand-written paged loop over the same items: its time, and whether its sum is right. */
async function pagedLoopFloor(env: BenchEnv): Promise<{ seconds: number; right: boolean }> {
  const worker = await env.baselineWorker('bench-stream-floor');
  return worker.runUntil(async () => {
    const t = performance.now();
    const result = await env.client.workflow.execute('pagedLoop', {
      taskQueue: 'bench-stream-floor',
      workflowId: `paged-loop-${Date.now()}`,
      args: [TOTAL, 1000, 500],
    });
    const seconds = (performance.now() - t) / 1000;
    const expected = Array.from({ length: TOTAL }, (_, i) => (i + 1) % 7).reduce((a, b) => a + b, 0);
    const { sum, count } = result as { sum: number; count: number };
    return { seconds, right: sum === expected && count === TOTAL };
  });
}
