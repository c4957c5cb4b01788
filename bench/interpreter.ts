/**
 * Interpreter budgets (DESIGN.md section 8): overhead against a hand-written workflow, history bytes
 * per task, parallel scaling, a 10,000-item collection, and start latency.
 */
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { bundleWorkflowCode } from '@temporalio/worker';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import type { CompiledDefinition } from '../src/contract/compiled';
import { type BenchEnv, type Row, eventBytes, eventMs, fmt, historyOf, median } from './lib';

function sequenceYaml(id: string, n: number): string {
  const tasks = Array.from({ length: n }, (_, i) =>
    i === 0
      ? `  - { id: s0, tool: echo, with: { step: 0, previous: null } }`
      : `  - { id: s${i}, tool: echo, with: { step: ${i}, previous: "{{ tasks.s${i - 1}.output.step }}" } }`,
  );
  return `id: ${id}\nversion: 1.0.0\ntasks:\n${tasks.join('\n')}\n`;
}

function parallelYaml(id: string, n: number): string {
  const tasks = Array.from({ length: n }, (_, i) => `      - { id: b${i}, tool: echo, with: ${i} }`);
  return `id: ${id}\nversion: 1.0.0\ntasks:\n  - id: fan\n    type: parallel\n    tasks:\n${tasks.join('\n')}\n`;
}

const compile = (yaml: string) => compileOrThrow(yaml, 'bench.yaml', builtinTaskTypes());

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

/** A worker for the hand-written baseline workflow (bench/baseline/workflow.ts). */
async function baselineWorker(env: BenchEnv): Promise<Worker> {
  const noop = () => undefined;
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(__dirname, 'baseline/workflow.ts'),
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
  });
  return Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'bench-baseline',
    workflowBundle: bundle,
    activities: { echo: async (input: unknown) => input },
  });
}

/** 20 basic tasks in sequence vs a hand-written workflow calling the same 20 activities. */
async function overhead(env: BenchEnv, baselineWorker: Worker): Promise<Row[]> {
  const def = compile(sequenceYaml('seq20', 20));
  return env.withWorker('bench-seq', (fs) =>
    baselineWorker.runUntil(async () => {
      const flow: number[] = [];
      const base: number[] = [];
      let flowId = '';
      let baseId = '';
      for (let round = 0; round < 8; round++) {
        const f = await timed(async () => {
          const ref = await fs.start(def, {}, { workflowId: `seq20-${round}` });
          await fs.result(ref.workflowId);
          return ref.workflowId;
        });
        const b = await timed(async () => {
          const id = `baseline-${round}`;
          await env.client.workflow.execute('baseline', {
            taskQueue: 'bench-baseline',
            workflowId: id,
            args: [20],
          });
          return id;
        });
        if (round >= 2) {
          flow.push(f.ms);
          base.push(b.ms);
        }
        [flowId, baseId] = [f.value, b.value];
      }
      const wall = median(flow) / median(base);
      const events =
        (await historyOf(env.client, flowId)).length / (await historyOf(env.client, baseId)).length;
      return [
        {
          name: '20 tasks: wall time vs hand-written',
          value: `${fmt(wall)}× (${fmt(median(flow), 0)} vs ${fmt(median(base), 0)} ms)`,
          budget: '≤ 1.15×',
          ok: wall <= 1.15,
        },
        {
          name: '20 tasks: history events vs hand-written',
          value: `${fmt(events)}×`,
          budget: '≤ 1.1×',
          ok: events <= 1.1,
        },
      ];
    }),
  );
}

/** History bytes of the first and last 100 tasks of a 200-task run. */
async function historyGrowth(env: BenchEnv): Promise<Row[]> {
  const def = compile(sequenceYaml('seq200', 200));
  return env.withWorker('bench-200', async (fs) => {
    const ref = await fs.start(def, {});
    await fs.result(ref.workflowId);
    const events = await historyOf(env.client, ref.workflowId);
    let completed = 0;
    let first = 0;
    let last = 0;
    for (const e of events) {
      if (completed < 100) first += eventBytes(e);
      else last += eventBytes(e);
      if (e.activityTaskCompletedEventAttributes) completed++;
    }
    const ratio = last / first;
    return [
      {
        name: '200 tasks: history bytes, last 100 / first 100',
        value: `${fmt(ratio)} (${(first / 100).toFixed(0)} → ${(last / 100).toFixed(0)} B/task)`,
        budget: '≤ 1.1 (flat)',
        ok: ratio <= 1.1,
      },
    ];
  });
}

/** Parallel of 500 and 1,000 branches (above 200 runs, batches go to child workflows). */
async function parallelScaling(env: BenchEnv): Promise<Row[]> {
  const defs: Record<number, CompiledDefinition> = {
    500: compile(parallelYaml('par500', 500)),
    1000: compile(parallelYaml('par1000', 1000)),
  };
  return env.withWorker('bench-par', async (fs) => {
    const ms: Record<number, number> = {};
    for (const n of [500, 1000, 500, 1000]) {
      const t = await timed(async () => fs.result((await fs.start(defs[n], {})).workflowId));
      ms[n] = Math.min(ms[n] ?? Infinity, t.ms);
    }
    const ratio = ms[1000] / ms[500];
    return [
      { name: 'parallel 1,000 branches', value: `completes in ${fmt(ms[1000] / 1000, 1)} s` },
      {
        name: 'parallel: 2× branches costs',
        value: `${fmt(ratio)}× time (${fmt(ms[500] / 1000, 1)} s → ${fmt(ms[1000] / 1000, 1)} s)`,
        budget: '≤ 2.2×',
        ok: ratio <= 2.2,
      },
    ];
  });
}

/** A collection of 10,000 items: completes, and no history holds more than 10,240 events. */
async function bigCollection(env: BenchEnv): Promise<Row[]> {
  const def = compile(
    `id: coll10k\nversion: 1.0.0\ntasks:\n  - id: each\n    type: collection\n    items: "[1..10000]"\n    task: { id: echo, tool: echo, with: "{{ item }}" }\n`,
  );
  return env.withWorker('bench-10k', async (fs) => {
    const t = await timed(async () => {
      const ref = await fs.start(def, {});
      await fs.result(ref.workflowId);
      return ref.workflowId;
    });
    const parent = await historyOf(env.client, t.value);
    const children = parent.flatMap(
      (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
    );
    const sizes = [
      parent.length,
      ...(await Promise.all(children.map(async (id) => (await historyOf(env.client, id)).length))),
    ];
    const max = Math.max(...sizes);
    return [
      {
        name: 'collection of 10,000 items',
        value: `completes in ${fmt(t.ms / 1000, 1)} s (${fmt(10_000 / (t.ms / 1000), 0)} items/s)`,
      },
      {
        name: 'collection 10,000: largest history',
        value: `${max} events (parent ${parent.length}, ${children.length} batch children)`,
        budget: '≤ 10,240 events',
        ok: max <= 10_240,
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

/** Start → first task scheduled, with the hand-written workflow's figure for the server's own share. */
async function startLatency(env: BenchEnv, baselineWorker: Worker): Promise<Row[]> {
  const def = compile(`id: first-task\nversion: 1.0.0\ntasks:\n  - { id: only, tool: echo, with: 1 }\n`);
  return env.withWorker('bench-start', (fs) =>
    baselineWorker.runUntil(async () => {
      const flow: number[] = [];
      const base: number[] = [];
      for (let i = 0; i < 40; i++) {
        const ref = await fs.start(def, {});
        await fs.result(ref.workflowId);
        const id = `baseline-start-${i}`;
        await env.client.workflow.execute('baseline', {
          taskQueue: 'bench-baseline',
          workflowId: id,
          args: [1],
        });
        if (i >= 5) {
          flow.push(await firstScheduledMs(env, ref.workflowId));
          base.push(await firstScheduledMs(env, id));
        }
      }
      const p50 = median(flow);
      return [
        {
          name: 'start → first task scheduled (p50)',
          value: `${fmt(p50, 0)} ms (hand-written: ${fmt(median(base), 0)} ms)`,
          budget: '≤ 50 ms',
          ok: p50 <= 50,
        },
      ];
    }),
  );
}

export async function benchInterpreter(env: BenchEnv): Promise<Row[]> {
  // One baseline worker, run in turn by each comparison (a worker runs once).
  const rows = [
    ...(await overhead(env, await baselineWorker(env))),
    ...(await startLatency(env, await baselineWorker(env))),
  ];
  return [
    ...rows,
    ...(await historyGrowth(env)),
    ...(await parallelScaling(env)),
    ...(await bigCollection(env)),
  ];
}
