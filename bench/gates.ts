/** Gate budgets: approve → next task started, and worker memory with 1,000 runs paused at gates. */
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import {
  type BenchEnv,
  type HistoryEvent,
  type Row,
  count,
  eventMs,
  fmt,
  historyOf,
  median,
  percentile,
  ratioRow,
  scaled,
} from './lib';

const gated = compileOrThrow(
  `id: gated
version: 1.0.0
tasks:
  - { id: draft, tool: echo, with: "{{ input.n }}", acceptance: { acceptors: [editor] } }
  - { id: publish, tool: echo, with: "{{ tasks.draft.output }}" }
`,
  'bench-gates.yaml',
  builtinTaskTypes(),
);

async function untilPending(env: BenchEnv, fs: BenchEnv['flowstate'], ids: string[]): Promise<void> {
  for (const id of ids) {
    for (;;) {
      if ((await fs.state(id)).pending_gates.length > 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** Milliseconds from the event at index `from` to the first activity started after it. */
function toNextActivityStarted(events: HistoryEvent[], from: number): number {
  const started = events.slice(from).find((e) => e.activityTaskStartedEventAttributes)!;
  return eventMs(started) - eventMs(events[from]);
}

/**
 * From the server's `update accepted` event to the next task's activity starting, against the
 * hand-written signal → activity (bench/baseline/workflow.ts `approval`): signal event to activity started.
 */
async function approveLatency(env: BenchEnv): Promise<Row[]> {
  const runs = scaled(40, 6);
  const warm = Math.min(5, Math.floor(runs / 2));
  const baseline = await env.baselineWorker('bench-approve-floor');
  return env.withWorker('bench-approve', (fs) =>
    baseline.runUntil(async () => {
      const flow: number[] = [];
      const floor: number[] = [];
      for (let i = 0; i < runs; i++) {
        const { workflowId } = await fs.start(gated, { n: i });
        await untilPending(env, fs, [workflowId]);
        await fs.decide(workflowId, { gate: 'draft', decision: 'approve', by: 'editor' });
        await fs.result(workflowId);
        const events = await historyOf(env.client, workflowId);
        const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);

        const handle = await env.client.workflow.start('approval', {
          taskQueue: 'bench-approve-floor',
          workflowId: `approval-floor-${i}-${Date.now()}`,
          args: [i],
        });
        // Waiting once the first activity completed and its workflow task closed, as the gate is.
        for (;;) {
          const h = await historyOf(env.client, handle.workflowId);
          if (
            h.some((e) => e.activityTaskCompletedEventAttributes) &&
            h.at(-1)?.workflowTaskCompletedEventAttributes
          )
            break;
          await new Promise((r) => setTimeout(r, 20));
        }
        await handle.signal('approve');
        await handle.result();
        const floorEvents = await historyOf(env.client, handle.workflowId);
        const signalled = floorEvents.findIndex((e) => e.workflowExecutionSignaledEventAttributes);
        if (i >= warm) {
          flow.push(toNextActivityStarted(events, accepted));
          floor.push(toNextActivityStarted(floorEvents, signalled));
        }
      }
      // Event times are whole milliseconds: a 0 ms floor would make any ratio infinite.
      const row = ratioRow(
        `approve → next task started (p50 of ${runs - warm})`,
        Math.max(1, median(flow)),
        Math.max(1, median(floor)),
        1.5,
      );
      return [{ ...row, value: `${row.value}; p95 ${fmt(percentile(flow, 95), 0)} ms` }];
    }),
  );
}

function heapAfterGc(): number {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

/** 1,000 runs paused at a gate, all cached by one worker; then all approved. */
async function pausedRuns(env: BenchEnv): Promise<Row[]> {
  const N = scaled(1_000, 20);
  return env.withWorker(
    'bench-paused',
    async (fs) => {
      // Warm the worker (bundle loaded, one run cached) before the baseline reading.
      const warm = await fs.start(gated, { n: -1 });
      await untilPending(env, fs, [warm.workflowId]);
      const before = heapAfterGc();
      const ids: string[] = [];
      for (let i = 0; i < N; i += 50) {
        ids.push(
          ...(await Promise.all(
            Array.from(
              { length: Math.min(50, N - i) },
              async (_, k) => (await fs.start(gated, { n: i + k })).workflowId,
            ),
          )),
        );
      }
      await untilPending(env, fs, ids);
      const perRun = (heapAfterGc() - before) / N;
      const t = performance.now();
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(
          ids
            .slice(i, i + 50)
            .map((id) => fs.decide(id, { gate: 'draft', decision: 'approve', by: 'editor' })),
        );
      }
      const outputs = await Promise.all(ids.map(async (id) => (await fs.result(id)).output));
      const right = outputs.every((o, i) => o === i);
      const mb = perRun / 1024 / 1024;
      return [
        {
          name: `${count(N)} runs paused at a gate: worker heap per cached run`,
          value: `${fmt(mb, 3)} MB${global.gc ? '' : ' (no --expose-gc: rough)'}`,
          budget: '≤ 1 MB',
          ok: mb <= 1,
        },
        {
          name: `${count(N)} runs approved: all complete with the right result`,
          value: `${right ? 'yes' : 'NO'} (${fmt((performance.now() - t) / 1000, 1)} s)`,
          ok: right,
        },
      ];
    },
    { worker: { maxCachedWorkflows: 2_000, maxConcurrentWorkflowTaskExecutions: 100 } },
  );
}

export async function benchGates(env: BenchEnv): Promise<Row[]> {
  return [...(await approveLatency(env)), ...(await pausedRuns(env))];
}
