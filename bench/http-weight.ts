/**
 * History weight of `http` (issue 17, item 5): 20 `http` tasks in sequence against a loopback API
 * answering like a typical JSON service (its headers as node, a proxy and an app add them), and the
 * bytes each task adds to the run's history: in total, and of its output by field (status, headers,
 * body, as JSON).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { type BenchEnv, type HistoryEvent, type Row, eventBytes, fmt, historyOf } from './lib';

const TASKS = 20;

/** A JSON API on loopback: the body is small, as most API answers are; the headers are the usual set. */
async function api(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const body = JSON.stringify({ id: req.url, name: 'widget', price: 12.5, tags: ['a', 'b'] });
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-cache',
      etag: `W/"${body.length.toString(16)}-abcdef0123456789"`,
      'x-request-id': '3f2b8c1e-5d4a-4c7b-9e1f-0a2b3c4d5e6f',
      server: 'nginx/1.25.3',
      vary: 'Accept-Encoding',
      'alt-svc': 'h3=":443"; ma=86400',
      // node adds date, connection, keep-alive and transfer-encoding (no content-length given).
    });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** The `{ status, headers, body }` object inside a payload, wherever the activity's result holds it. */
function findHttpOutput(value: unknown): { status: unknown; headers: unknown; body: unknown } | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const o = value as Record<string, unknown>;
  if ('status' in o && 'headers' in o && 'body' in o && typeof o.status === 'number')
    return o as { status: unknown; headers: unknown; body: unknown };
  for (const v of Object.values(o)) {
    const found = findHttpOutput(v);
    if (found) return found;
  }
  return undefined;
}

const jsonBytes = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

/** Bytes per task of the http outputs in a history, by field, averaged over the tasks. */
export function httpFieldBytes(events: HistoryEvent[]): { status: number; headers: number; body: number } {
  const sums = { status: 0, headers: 0, body: 0 };
  let n = 0;
  for (const e of events) {
    for (const p of e.activityTaskCompletedEventAttributes?.result?.payloads ?? []) {
      const out = findHttpOutput(JSON.parse(Buffer.from(p.data ?? []).toString('utf8')));
      if (!out) continue;
      sums.status += jsonBytes(out.status);
      sums.headers += jsonBytes(out.headers);
      sums.body += jsonBytes(out.body);
      n++;
    }
  }
  return { status: sums.status / n, headers: sums.headers / n, body: sums.body / n };
}

export async function benchHttpWeight(env: BenchEnv): Promise<Row[]> {
  const server = await api();
  try {
    const tasks = Array.from(
      { length: TASKS },
      (_, i) => `  - { id: get${i}, http: { url: "${server.url}/items/${i}" } }`,
    );
    const def = compileOrThrow(
      `id: http20\nversion: 1.0.0\ntasks:\n${tasks.join('\n')}\n`,
      'bench-http.yaml',
      builtinTaskTypes(),
    );
    return await env.withWorker('bench-http-weight', async (fs) => {
      const { workflowId } = await fs.start(def, {});
      await fs.result(workflowId);
      const events = await historyOf(env.client, workflowId);
      const total = events.reduce((sum, e) => sum + eventBytes(e), 0);
      const fields = httpFieldBytes(events);
      return [
        {
          name: `${TASKS} http tasks: history bytes per task`,
          value: `${fmt(total / TASKS, 0)} B (history ${total} B, ${events.length} events)`,
        },
        {
          name: 'http task output by field (JSON bytes)',
          value: `status ${fields.status}, headers ${fmt(fields.headers, 0)}, body ${fmt(fields.body, 0)}`,
        },
      ];
    });
  } finally {
    await server.close();
  }
}
