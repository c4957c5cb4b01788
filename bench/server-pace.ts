/**
 * "server pace": the dev server as `flowstate server` starts it (a SQLite file, with the dynamic
 * config of src/server/dynamic-config.ts and the pragmas of dev-server.ts) against one in memory with
 * no dispatch limit (every queue-read rate at 100,000), on 20 hand-written activities in sequence.
 * Near 1× means the embedded server neither rate-limits task dispatch nor waits on its disk; the
 * Temporal CLI's defaults measured ~3× here, SQLite's default journal 2.2× (docs/operations.md, "The
 * embedded server's pace").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { startDevServer } from '../src/server/dev-server';
import { DEV_SERVER_DYNAMIC_CONFIG, type DynamicConfig } from '../src/server/dynamic-config';
import { type BenchEnv, type Row, fmt, median } from './lib';

const UNLIMITED = 100_000;

/** Flowstate's values with every queue-read rate (and its host-wide twin) at 100,000. */
export function noDispatchLimit(config: DynamicConfig = DEV_SERVER_DYNAMIC_CONFIG): DynamicConfig {
  const rates = Object.keys(config).filter((key) => /ProcessorMaxPollRPS$/.test(key));
  const queues = [...rates, 'history.outboundProcessorMaxPollRPS'];
  const twins = queues.map((key) => key.replace(/MaxPollRPS$/, 'MaxPollHostRPS'));
  return { ...config, ...Object.fromEntries([...queues, ...twins].map((key) => [key, UNLIMITED])) };
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** 20 activities in sequence, alternating between the two servers; the first 2 rounds warm up. */
export async function benchServerPace(env: BenchEnv): Promise<Row[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-bench-pace-'));
  const [embedded, unlimited] = await Promise.all([
    startDevServer({ ui: false, dbFile: path.join(dir, 'temporal.db') }),
    startDevServer({ ui: false, dynamicConfig: noDispatchLimit() }),
  ]);
  const connections = await Promise.all(
    [embedded, unlimited].map(async (server) => ({
      connection: await Connection.connect({ address: server.address }),
      native: await NativeConnection.connect({ address: server.address }),
    })),
  );
  try {
    const servers = connections.map(({ connection, native }) => ({
      client: new Client({ connection }),
      native,
      ms: [] as number[],
    }));
    const workers = await Promise.all(
      servers.map((s) =>
        Worker.create({
          connection: s.native,
          taskQueue: 'bench-server-pace',
          workflowBundle: env.baselineBundle,
          activities: { echo: async (input: unknown) => input },
        }),
      ),
    );
    await workers[0].runUntil(
      workers[1].runUntil(async () => {
        for (let round = 0; round < 10; round++) {
          for (const [i, s] of servers.entries()) {
            const workflowId = `server-pace-${round}-${i}`;
            const ms = await timed(() =>
              s.client.workflow.execute('baseline', {
                taskQueue: 'bench-server-pace',
                workflowId,
                args: [20],
              }),
            );
            if (round >= 2) s.ms.push(ms);
          }
        }
      }),
    );
    const [flowstate, free] = servers.map((s) => median(s.ms));
    const ratio = flowstate / free;
    return [
      {
        name: 'server pace: 20 activities, `flowstate server` vs in memory, no dispatch limit',
        value: `${fmt(ratio)}× (${fmt(flowstate, 0)} vs ${fmt(free, 0)} ms)`,
        budget: '≤ 1.1×',
        ok: ratio <= 1.1,
      },
    ];
  } finally {
    for (const { connection, native } of connections) {
      await native.close();
      await connection.close();
    }
    await Promise.all([embedded.stop(), unlimited.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
