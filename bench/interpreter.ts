/**
 * Interpreter budgets (DESIGN.md section 8): overhead against a hand-written workflow, history bytes
 * per task, parallel scaling, a 10,000-item collection, and start latency.
 */
import type { Worker } from '@temporalio/worker';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import {
  type BenchEnv,
  type Row,
  eventBytes,
  eventMs,
  fmt,
  historyOf,
  median,
  ratioRow,
  scaled,
} from './lib';

function sequenceYaml(id: string, n: number): string {
  const tasks = Array.from({ length: n }, (_, i) =>
    i === 0
      ? `  - { id: s0, tool: echo, with: { step: 0, previous: null } }`
      : `  - { id: s${i}, tool: echo, with: { step: ${i}, previous: "{{ tasks.s${i - 1}.output.step }}" } }`,
  );
  return `id: ${id}\nversion: 1.0.0\ntasks:\n${tasks.join('\n')}\n`;
}

export const compile = (yaml: string) => compileOrThrow(yaml, 'bench.yaml', builtinTaskTypes());

export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** 20 basic tasks in sequence vs a hand-written workflow calling the same 20 activities. */
async function overhead(env: BenchEnv, baselineWorker: Worker): Promise<Row[]> {
  const def = compile(sequenceYaml('seq20', 20));
  const rounds = scaled(8, 3);
  const warm = Math.min(2, rounds - 1);
  return env.withWorker('bench-seq', (fs) =>
    baselineWorker.runUntil(async () => {
      const flow: number[] = [];
      const base: number[] = [];
      let flowId = '';
      let baseId = '';
      for (let round = 0; round < rounds; round++) {
        const f = await timed(async () => {
          const ref = await fs.start(def, {}, { workflowId: `seq20-${round}-${Date.now()}` });
          await fs.result(ref.workflowId);
          return ref.workflowId;
        });
        const b = await timed(async () => {
          const id = `baseline-${round}-${Date.now()}`;
          await env.client.workflow.execute('baseline', {
            taskQueue: 'bench-baseline',
            workflowId: id,
            args: [20],
          });
          return id;
        });
        if (round >= warm) {
          flow.push(f.ms);
          base.push(b.ms);
        }
        [flowId, baseId] = [f.value, b.value];
      }
      const [flowEvents, baseEvents] = [
        (await historyOf(env.client, flowId)).length,
        (await historyOf(env.client, baseId)).length,
      ];
      const events = flowEvents / baseEvents;
      return [
        ratioRow(`20 tasks: wall time (median of ${rounds - warm})`, median(flow), median(base), 1.05),
        {
          name: '20 tasks: history events vs hand-written',
          value: `${fmt(events)}× (${flowEvents} vs ${baseEvents})`,
          budget: '≤ 1.1×',
          ok: events <= 1.1,
        },
      ];
    }),
  );
}

/** History bytes of the first and last half of a 200-task run. */
async function historyGrowth(env: BenchEnv): Promise<Row[]> {
  const n = scaled(200, 20);
  const half = n / 2;
  const def = compile(sequenceYaml('seq200', n));
  return env.withWorker('bench-200', async (fs) => {
    const ref = await fs.start(def, {});
    await fs.result(ref.workflowId);
    const events = await historyOf(env.client, ref.workflowId);
    let completed = 0;
    let first = 0;
    let last = 0;
    for (const e of events) {
      if (completed < half) first += eventBytes(e);
      else last += eventBytes(e);
      if (e.activityTaskCompletedEventAttributes) completed++;
    }
    const ratio = last / (n - half) / (first / half);
    return [
      {
        name: `${n} tasks: history bytes, last ${n - half} / first ${half}`,
        value: `${fmt(ratio)} (${(first / half).toFixed(0)} → ${(last / (n - half)).toFixed(0)} B/task)`,
        budget: '≤ 1.1 (flat)',
        ok: ratio <= 1.1,
      },
    ];
  });
}

/** Milliseconds from a run's start to its first activity being scheduled, from the server's event times. */
async function firstScheduledMs(env: BenchEnv, workflowId: string): Promise<number> {
  const events = await historyOf(env.client, workflowId);
  const started = events.find((e) => e.workflowExecutionStartedEventAttributes)!;
  const scheduled = events.find((e) => e.activityTaskScheduledEventAttributes)!;
  return eventMs(scheduled) - eventMs(started);
}

/** Start → first task scheduled, against the hand-written workflow's figure on the same server. */
async function startLatency(env: BenchEnv, baselineWorker: Worker): Promise<Row[]> {
  const def = compile(`id: first-task\nversion: 1.0.0\ntasks:\n  - { id: only, tool: echo, with: 1 }\n`);
  const runs = scaled(40, 6);
  const warm = Math.min(5, Math.floor(runs / 2));
  return env.withWorker('bench-start', (fs) =>
    baselineWorker.runUntil(async () => {
      const flow: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < runs; i++) {
        const ref = await fs.start(def, {});
        await fs.result(ref.workflowId);
        const id = `baseline-start-${i}-${Date.now()}`;
        await env.client.workflow.execute('baseline', {
          taskQueue: 'bench-baseline',
          workflowId: id,
          args: [1],
        });
        if (i >= warm) {
          flow.push(await firstScheduledMs(env, ref.workflowId));
          base.push(await firstScheduledMs(env, id));
        }
      }
      // Event times are whole milliseconds: a 0 ms floor would make any ratio infinite.
      return [
        ratioRow(
          `start → first task scheduled (p50 of ${runs - warm})`,
          Math.max(1, median(flow)),
          Math.max(1, median(base)),
          1.2,
        ),
      ];
    }),
  );
}

export async function benchInterpreter(env: BenchEnv): Promise<Row[]> {
  // A worker runs once: one baseline worker per comparison.
  const rows = [
    ...(await overhead(env, await env.baselineWorker('bench-baseline'))),
    ...(await startLatency(env, await env.baselineWorker('bench-baseline'))),
  ];
  return [...rows, ...(await historyGrowth(env))];
}
