/** What the benchmarks share: a dev server, workers, history metrics and percentiles. */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { FlowstateClient } from '../src/client';
import { startDevServer, type DevServer } from '../src/server/dev-server';
import { createWorker, WORKFLOWS_PATH } from '../src/worker';
import type { Tool } from '../src/activities';

export interface Row {
  name: string;
  value: string;
  budget?: string;
  /** undefined: no budget to judge against. */
  ok?: boolean;
}

export interface BenchEnv {
  server: DevServer;
  client: Client;
  flowstate: FlowstateClient;
  nativeConnection: NativeConnection;
  workflowBundle: { code: string };
  /** Run a Flowstate worker on a task queue until `fn` resolves. */
  withWorker<T>(
    taskQueue: string,
    fn: (flowstate: FlowstateClient, worker: Worker) => Promise<T>,
    opts?: { tools?: Tool<any, any>[]; worker?: object },
  ): Promise<T>;
  close(): Promise<void>;
}

export async function benchEnv(): Promise<BenchEnv> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const noop = () => undefined;
  const [server, workflowBundle] = await Promise.all([
    startDevServer({ ui: false }),
    bundleWorkflowCode({
      workflowsPath: WORKFLOWS_PATH,
      logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
    }),
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
