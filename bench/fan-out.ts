/**
 * Fan-out budgets (DESIGN.md section 8): a parallel of 1,000 branches and a collection of 10,000 items
 * against the hand-written fan-out over child workflows (bench/baseline/workflow.ts `fanOut`, children
 * of 500 echo activities as Flowstate batches them), on the same server; no history over 10,240
 * events; no workflow task over 1 s, failed or timed out, checked from every history of the runs.
 */
import type { Worker } from '@temporalio/worker';
import type { CompiledDefinition } from '../src/contract/compiled';
import { compile, timed } from './interpreter';
import {
  type BenchEnv,
  type HistoryEvent,
  type Row,
  count,
  fmt,
  historiesWithChildren,
  ratioRow,
  scaled,
  workflowTaskRow,
  workflowTaskStats,
} from './lib';

/** Flowstate's batch size past 200 runs (src/workflows/fan-out.ts BATCH_RUNS): the floor's children hold as many. */
const PER_CHILD = 500;

function parallelYaml(id: string, n: number): string {
  const tasks = Array.from({ length: n }, (_, i) => `      - { id: b${i}, tool: echo, with: ${i} }`);
  return `id: ${id}\nversion: 1.0.0\ntasks:\n  - id: fan\n    type: parallel\n    tasks:\n${tasks.join('\n')}\n`;
}

function collectionYaml(id: string, n: number): string {
  return `id: ${id}\nversion: 1.0.0\ntasks:\n  - id: each\n    type: collection\n    items: "[1..${n}]"\n    task: { id: echo, tool: echo, with: "{{ item }}" }\n`;
}

interface Side {
  ms: number;
  workflowId: string;
}

/**
 * `rounds` alternate runs of a Flowstate definition and of the floor for `n` items; the faster of
 * each, and the histories of the last runs.
 */
async function sideBySide(
  env: BenchEnv,
  taskQueue: string,
  def: CompiledDefinition,
  n: number,
  rounds: number,
): Promise<{ flow: Side; floor: Side; flowHistories: HistoryEvent[][]; floorHistories: HistoryEvent[][] }> {
  const baseline: Worker = await env.baselineWorker(`${taskQueue}-floor`);
  return env.withWorker(taskQueue, (fs) =>
    baseline.runUntil(async () => {
      let flow: Side = { ms: Infinity, workflowId: '' };
      let floor: Side = { ms: Infinity, workflowId: '' };
      for (let round = 0; round < rounds; round++) {
        const f = await timed(async () => {
          const ref = await fs.start(def, {});
          await fs.result(ref.workflowId);
          return ref.workflowId;
        });
        const b = await timed(async () => {
          const workflowId = `${taskQueue}-floor-${round}-${Date.now()}`;
          const done = await env.client.workflow.execute('fanOut', {
            taskQueue: `${taskQueue}-floor`,
            workflowId,
            args: [n, PER_CHILD],
          });
          if (done !== n) throw new Error(`the hand-written fan-out ran ${String(done)} of ${n}`);
          return workflowId;
        });
        if (f.ms < flow.ms) flow = { ms: f.ms, workflowId: f.value };
        if (b.ms < floor.ms) floor = { ms: b.ms, workflowId: b.value };
      }
      return {
        flow,
        floor,
        flowHistories: await historiesWithChildren(env.client, flow.workflowId),
        floorHistories: await historiesWithChildren(env.client, floor.workflowId),
      };
    }),
  );
}

function largestHistoryRow(name: string, histories: HistoryEvent[][]): Row {
  const max = Math.max(...histories.map((h) => h.length));
  return {
    name,
    value: `${max} events (parent ${histories[0].length}, ${histories.length - 1} children)`,
    budget: '≤ 10,240 events',
    ok: max <= 10_240,
  };
}

/** Parallel of 1,000 branches vs the hand-written fan-out. */
async function parallel(env: BenchEnv): Promise<Row[]> {
  const n = scaled(1_000, 10);
  const r = await sideBySide(env, 'bench-par', compile(parallelYaml(`par${n}`, n)), n, 2);
  return [
    ratioRow(
      `parallel ${count(n)} branches vs hand-written fan-out (best of 2)`,
      r.flow.ms,
      r.floor.ms,
      1.1,
      's',
    ),
    largestHistoryRow(`parallel ${count(n)}: largest history`, r.flowHistories),
    workflowTaskRow(`parallel ${count(n)}: workflow tasks`, workflowTaskStats(r.flowHistories)),
    {
      name: `parallel ${count(n)}: hand-written's workflow tasks, for reference`,
      value: workflowTaskRow('', workflowTaskStats(r.floorHistories)).value,
    },
  ];
}

/** A collection of 10,000 items vs the hand-written fan-out (20 children × 500). */
async function collection(env: BenchEnv): Promise<Row[]> {
  const n = scaled(10_000, 20);
  const r = await sideBySide(env, 'bench-10k', compile(collectionYaml(`coll${n}`, n)), n, 1);
  return [
    ratioRow(`collection of ${count(n)} items vs hand-written fan-out`, r.flow.ms, r.floor.ms, 1.1, 's'),
    {
      name: `collection ${count(n)}: throughput`,
      value: `${fmt(n / (r.flow.ms / 1000), 0)} items/s (hand-written ${fmt(n / (r.floor.ms / 1000), 0)})`,
    },
    largestHistoryRow(`collection ${count(n)}: largest history`, r.flowHistories),
    workflowTaskRow(`collection ${count(n)}: workflow tasks`, workflowTaskStats(r.flowHistories)),
    {
      name: `collection ${count(n)}: hand-written's workflow tasks, for reference`,
      value: workflowTaskRow('', workflowTaskStats(r.floorHistories)).value,
    },
  ];
}

export async function benchFanOut(env: BenchEnv): Promise<Row[]> {
  return [...(await parallel(env)), ...(await collection(env))];
}
