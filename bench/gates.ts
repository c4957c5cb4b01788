/** Gate budgets: approve → next task started, and worker memory with 1,000 runs paused at gates. */
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { type BenchEnv, type Row, eventMs, fmt, historyOf, median, percentile } from './lib';

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

/** From the server's `update accepted` event to the next task's activity starting. */
async function approveLatency(env: BenchEnv): Promise<Row[]> {
  return env.withWorker('bench-approve', async (fs) => {
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const { workflowId } = await fs.start(gated, { n: i });
      await untilPending(env, fs, [workflowId]);
      await fs.decide(workflowId, { gate: 'draft', decision: 'approve', by: 'editor' });
      await fs.result(workflowId);
      const events = await historyOf(env.client, workflowId);
      const accepted = events.findIndex((e) => e.workflowExecutionUpdateAcceptedEventAttributes);
      const started = events.slice(accepted).find((e) => e.activityTaskStartedEventAttributes)!;
      if (i >= 5) samples.push(eventMs(started) - eventMs(events[accepted]));
    }
    const [p50, p95] = [median(samples), percentile(samples, 95)];
    return [
      {
        name: 'approve → next task started (p50 / p95)',
        value: `${fmt(p50, 0)} / ${fmt(p95, 0)} ms`,
        budget: 'p50 ≤ 100 ms',
        ok: p50 <= 100,
      },
    ];
  });
}

function heapAfterGc(): number {
  global.gc?.();
  global.gc?.();
  return process.memoryUsage().heapUsed;
}

/** 1,000 runs paused at a gate, all cached by one worker; then all approved. */
async function pausedRuns(env: BenchEnv): Promise<Row[]> {
  const N = 1_000;
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
          name: `${N} runs paused at a gate: worker heap per cached run`,
          value: `${fmt(mb, 3)} MB${global.gc ? '' : ' (no --expose-gc: rough)'}`,
          budget: '≤ 1 MB',
          ok: mb <= 1,
        },
        {
          name: `${N} runs approved: all complete with the right result`,
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
