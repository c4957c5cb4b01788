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
import { type BenchEnv, type Row, fmt, median, scaled } from './lib';

const TASKS = scaled(200, 20);
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
  const run = (taskQueue: string, sinks?: object) =>
    env.withWorker(
      taskQueue,
      async (fs) => {
        const times: number[] = [];
        for (let i = 0; i < 4; i++) {
          const t = performance.now();
          await fs.result((await fs.start(def, {})).workflowId);
          if (i > 0) times.push(performance.now() - t);
        }
        return median(times);
      },
      sinks ? { worker: { sinks } } : {},
    );
  try {
    const off = await run(
      'bench-events-off',
      eventSinks(() => undefined),
    );
    const on = await run('bench-events-on');
    await webhook.stop(10_000);
    const ratio = on / off;
    return [
      {
        name: `${TASKS} tasks: events delivered (bus + webhook) vs dropped`,
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
