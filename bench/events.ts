/**
 * The cost of events: a 200-task run with every event delivered (the worker's bus, a webhook to a
 * receiver on loopback) against the same run with a worker whose sink drops them. The workflow emits
 * in both; what differs is delivery, which is all a worker can switch off.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { eventSinks, onEvent, startWebhook } from '../src/events';
import type { FlowstateClient } from '../src/client';
import { type BenchEnv, type Row, fmt, median, scaled } from './lib';

const TASKS = scaled(200, 20);
const ROUNDS = scaled(8, 3);
const tasks = Array.from({ length: TASKS }, (_, i) => `  - { id: t${i}, tool: echo, with: ${i} }`).join('\n');
const text = `id: events-cost\nversion: 1.0.0\ntasks:\n${tasks}\n`;
const def = compileOrThrow(text, 'bench-events.yaml', builtinTaskTypes());

export async function benchEvents(env: BenchEnv): Promise<Row[]> {
  let received = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const webhook = startWebhook({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
  let onBus = 0;
  const unsubscribe = onEvent('*', () => void onBus++);
  // Both workers run at once and the runs alternate between them, so a host that speeds up or slows
  // down during the row (by 20 % within a minute, measured) moves both sides alike.
  const timeRun = async (fs: FlowstateClient) => {
    const t = performance.now();
    await fs.result((await fs.start(def, {})).workflowId);
    return performance.now() - t;
  };
  try {
    const times = { on: [] as number[], off: [] as number[] };
    await env.withWorker(
      'bench-events-off',
      (dropping) =>
        env.withWorker('bench-events-on', async (delivering) => {
          for (let round = 0; round < ROUNDS; round++) {
            const off = await timeRun(dropping);
            const on = await timeRun(delivering);
            // The first round warms both workers up.
            if (round === 0) continue;
            times.off.push(off);
            times.on.push(on);
          }
        }),
      { worker: { sinks: eventSinks(() => undefined) } },
    );
    const [on, off] = [median(times.on), median(times.off)];
    await webhook.stop(10_000);
    const ratio = on / off;
    return [
      {
        name: `${TASKS} tasks: events delivered (bus + webhook) vs dropped (median of ${ROUNDS - 1}, alternated)`,
        value: `${fmt(ratio)}× (${fmt(on, 0)} vs ${fmt(off, 0)} ms; ${onBus} events, ${received} posted)`,
        budget: '≤ 1.05×',
        ok: ratio <= 1.05,
      },
    ];
  } finally {
    unsubscribe();
    server.close();
  }
}
