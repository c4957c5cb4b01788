/** What the benchmarks share: a dev server, workers, history metrics and percentiles. */
import { Client, Connection } from '@temporalio/client';
import path from 'node:path';
import { NativeConnection, Runtime, DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { FlowstateClient } from '../src/client';
import { startDevServer, type DevServer } from '../src/server/dev-server';
import { createWorker, WORKFLOWS_PATH } from '../src/worker';
import type { Tool } from '../src/activities';
import { scanWorkflowTasks } from '../src/replay';

export interface Row {
  name: string;
  value: string;
  budget?: string;
  /** undefined: no budget to judge against. */
  ok?: boolean;
}

/**
 * BENCH_SCALE (default 1): every count of the bench (items, branches, runs, rounds) times this, for a
 * smoke run (`BENCH_SCALE=0.05 npm run bench`). Ratios at a small scale are not the budgets' figures.
 */
export const SCALE = (() => {
  const raw = process.env.BENCH_SCALE?.trim();
  const n = raw ? Number(raw) : 1;
  if (!(n > 0 && n <= 1)) throw new Error(`BENCH_SCALE must be a number in (0, 1]; got '${raw}'`);
  return n;
})();

/** `n` at the bench's scale, at least `min`. */
export function scaled(n: number, min = 1): number {
  return Math.max(min, Math.round(n * SCALE));
}

/** `1,000` */
export const count = (n: number) => n.toLocaleString('en');

export interface BenchEnv {
  server: DevServer;
  client: Client;
  flowstate: FlowstateClient;
  nativeConnection: NativeConnection;
  workflowBundle: { code: string };
  /** The hand-written floors' bundle (baseline/workflow.ts), as a Temporal user builds it. */
  baselineBundle: { code: string };
  /** Run a Flowstate worker on a task queue until `fn` resolves. */
  withWorker<T>(
    taskQueue: string,
    fn: (flowstate: FlowstateClient, worker: Worker) => Promise<T>,
    opts?: { tools?: Tool<any, any>[]; worker?: object },
  ): Promise<T>;
  /** A worker for the hand-written floors (bench/baseline/workflow.ts) on `taskQueue`. */
  baselineWorker(taskQueue: string): Promise<Worker>;
  close(): Promise<void>;
}

/** The floors' activities: the same echo as Flowstate's, and a page source for the paged loop. */
export const baselineActivities = {
  echo: async (input: unknown) => input,
  page: async ({ cursor, size, total }: { cursor: number | null; size: number; total: number }) => {
    const from = cursor ?? 0;
    return {
      items: Array.from({ length: Math.min(size, total - from) }, (_, i) => from + i + 1),
      next: from + size < total ? from + size : null,
    };
  },
};

export async function benchEnv(): Promise<BenchEnv> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const noop = () => undefined;
  const logger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };
  const [server, workflowBundle, baselineBundle] = await Promise.all([
    startDevServer({ ui: false }),
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger }),
    bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'baseline/workflow.ts'), logger }),
  ]);
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const settings = { address: server.address, namespace: 'default', taskQueue: 'bench' };
  return {
    server,
    client,
    flowstate: new FlowstateClient(client, settings),
    nativeConnection,
    workflowBundle,
    baselineBundle,
    async withWorker(taskQueue, fn, opts = {}) {
      const worker = await createWorker({
        connection: nativeConnection,
        taskQueue,
        workflowBundle,
        tools: opts.tools,
        worker: opts.worker,
      });
      const flowstate = new FlowstateClient(client, { ...settings, taskQueue });
      return worker.runUntil(fn(flowstate, worker));
    },
    baselineWorker(taskQueue) {
      return Worker.create({
        connection: nativeConnection,
        taskQueue,
        workflowBundle: baselineBundle,
        activities: baselineActivities,
        maxCachedWorkflows: 2_000,
      });
    },
    async close() {
      await nativeConnection.close();
      await connection.close();
      await server.stop();
    },
  };
}

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export async function historyOf(client: Client, workflowId: string): Promise<HistoryEvent[]> {
  return (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
}

/** Encoded size of one history event, as the server stores it. */
export function eventBytes(e: HistoryEvent): number {
  return temporal.api.history.v1.HistoryEvent.encode(e).finish().length;
}

export function eventMs(e: HistoryEvent): number {
  const t = e.eventTime!;
  return Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6);
}

export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const median = (values: number[]) => percentile(values, 50);
export const fmt = (n: number, digits = 2) => n.toFixed(digits);

/** How long a workflow task took, from its Started to its Completed (or Failed, TimedOut) event. */
export interface WorkflowTaskStats {
  tasks: number;
  maxMs: number;
  /** Over 1 s (DESIGN.md section 8: none of a fan-out's may be). */
  over1s: number;
  failed: number;
  timedOut: number;
}

/** The workflow tasks of some histories: count, the longest, those over 1 s, failed and timed out. */
export function workflowTaskStats(histories: HistoryEvent[][]): WorkflowTaskStats {
  const stats: WorkflowTaskStats = { tasks: 0, maxMs: 0, over1s: 0, failed: 0, timedOut: 0 };
  for (const events of histories) {
    const scan = scanWorkflowTasks(events, 1_000);
    stats.tasks += scan.tasks;
    stats.maxMs = Math.max(stats.maxMs, scan.maxMs);
    stats.over1s += scan.issues.filter((i) => (i.ms ?? 0) > 1_000).length;
    stats.failed += scan.issues.filter((i) => i.kind === 'failed').length;
    stats.timedOut += scan.issues.filter((i) => i.kind === 'timed_out').length;
  }
  return stats;
}

/** A row for workflow-task stats: ok when none is over 1 s and none failed or timed out. */
export function workflowTaskRow(name: string, s: WorkflowTaskStats): Row {
  return {
    name,
    value: `longest ${Math.round(s.maxMs)} ms of ${count(s.tasks)}; over 1 s ${s.over1s}, failed ${s.failed}, timed out ${s.timedOut}`,
    budget: '≤ 1 s, 0 failed',
    ok: s.over1s === 0 && s.failed === 0 && s.timedOut === 0,
  };
}

/** A ratio row: `Flowstate / floor`, judged against `budget` (a maximum ratio). */
export function ratioRow(name: string, flowstate: number, floor: number, budget: number, unit = 'ms'): Row {
  const ratio = flowstate / floor;
  const show = (n: number) => (unit === 's' ? `${fmt(n / 1000, 1)} s` : `${fmt(n, 0)} ms`);
  return {
    name,
    value: `${fmt(ratio)}× (${show(flowstate)} vs hand-written ${show(floor)})`,
    budget: `≤ ${budget}×`,
    ok: ratio <= budget,
  };
}

/** Every history of a run and its child workflows (recursively), parent first. */
export async function historiesWithChildren(client: Client, workflowId: string): Promise<HistoryEvent[][]> {
  const all: HistoryEvent[][] = [];
  const queue = [workflowId];
  while (queue.length > 0) {
    const ids = queue.splice(0, 20);
    const got = await Promise.all(ids.map((id) => historyOf(client, id)));
    for (const events of got) {
      all.push(events);
      for (const e of events) {
        const child = e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId;
        if (child) queue.push(child);
      }
    }
  }
  return all;
}
