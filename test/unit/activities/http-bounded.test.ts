/**
 * The `http` tool's bounded read and its response headers, against real loopback servers: a body over
 * the limit (announced by content-length, or streamed for ever) fails with a non-retryable
 * `HttpResponseTooLarge` naming the limit and the setting, within seconds and without holding it; a
 * body under the limit comes back whole; transport headers are left out of the output.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import {
  DEFAULT_MAX_RESPONSE_BYTES,
  ResponseTooLarge,
  maxResponseBytesFromEnv,
  readBodyBounded,
} from '../../../src/activities/builtin-tools/bounded-body';
import { httpTool } from '../../../src/activities/builtin-tools/http';

let server: http.Server;
let base = '';
let endlessClosed = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = Buffer.alloc(64 * 1024, 120);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      res.on('close', () => (endlessClosed = true));
      pump();
    } else if (req.url === '/announced') {
      res.writeHead(200, { 'content-length': String(10 * 1024 * 1024), 'content-type': 'text/plain' });
      res.write('x');
    } else {
      const body = JSON.stringify({ n: 1, text: 'é'.repeat(1000) });
      res.writeHead(200, {
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        etag: '"abc"',
        'x-request-id': 'r-1',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const call = () => ({
  taskPath: 'get',
  run: {
    workflowId: 'w',
    runId: 'r',
    attempt: 1,
    idempotencyKey: 'w/get/1',
    heartbeat: () => undefined,
    cancelled: new AbortController().signal,
  },
});

const run = (input: Record<string, unknown>) =>
  httpTool.run(httpTool.input.parse(input) as never, call()) as Promise<{
    status: number;
    headers: Record<string, string>;
    body: unknown;
  }>;

test('readBodyBounded returns a body at the limit whole and refuses one byte more', async () => {
  const body = JSON.stringify({ n: 1, text: 'é'.repeat(1000) });
  const size = Buffer.byteLength(body);
  expect(await readBodyBounded(await fetch(`${base}/ok`), size)).toBe(body);
  await expect(readBodyBounded(await fetch(`${base}/ok`), size - 1)).rejects.toBeInstanceOf(ResponseTooLarge);
});

test('an endless stream fails at the limit within seconds and the connection is closed', async () => {
  endlessClosed = false;
  const t = Date.now();
  const err = await readBodyBounded(await fetch(`${base}/endless`), 256 * 1024).catch((e) => e);
  expect(err).toBeInstanceOf(ResponseTooLarge);
  expect(err.received).toBeGreaterThan(256 * 1024);
  expect(err.received).toBeLessThan(256 * 1024 + 1024 * 1024);
  expect(Date.now() - t).toBeLessThan(5_000);
  for (let i = 0; i < 100 && !endlessClosed; i++) await new Promise((r) => setTimeout(r, 20));
  expect(endlessClosed).toBe(true);
});

test('a content-length over the limit fails before the body is read', async () => {
  const err = await readBodyBounded(await fetch(`${base}/announced`), 1024).catch((e) => e);
  expect(err).toBeInstanceOf(ResponseTooLarge);
  expect(err.announced).toBe(true);
  expect(err.message).toContain('10485760 bytes, over the limit of 1 KiB (1024 bytes)');
});

test('the http tool fails with a non-retryable HttpResponseTooLarge naming the limit and the settings', async () => {
  const err = await run({ url: `${base}/endless`, max_response_bytes: 100_000 }).catch((e) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect(err.type).toBe('HttpResponseTooLarge');
  expect(err.nonRetryable).toBe(true);
  expect(err.message).toContain('over the limit of 100000 bytes');
  expect(err.message).toContain('max_response_bytes');
  expect(err.message).toContain('FLOWSTATE_HTTP_MAX_RESPONSE_BYTES');
});

test('the http tool returns status, body and the headers that describe the answer, not the transport', async () => {
  const out = await run({ url: `${base}/ok` });
  expect(out.status).toBe(200);
  expect(out.body).toEqual({ n: 1, text: 'é'.repeat(1000) });
  expect(out.headers).toEqual({ 'content-type': 'application/json', etag: '"abc"', 'x-request-id': 'r-1' });
  // HEAD keeps content-length: there it is the answer.
  const head = await run({ url: `${base}/ok`, method: 'HEAD' });
  expect(head.headers['content-length']).toBe(String(Buffer.byteLength(JSON.stringify(out.body))));
});

test('the worker limit comes from FLOWSTATE_HTTP_MAX_RESPONSE_BYTES; a bad value names the variable', () => {
  expect(maxResponseBytesFromEnv({})).toBe(DEFAULT_MAX_RESPONSE_BYTES);
  expect(maxResponseBytesFromEnv({ FLOWSTATE_HTTP_MAX_RESPONSE_BYTES: '2048' })).toBe(2048);
  expect(() => maxResponseBytesFromEnv({ FLOWSTATE_HTTP_MAX_RESPONSE_BYTES: '1MB' })).toThrow(
    "FLOWSTATE_HTTP_MAX_RESPONSE_BYTES must be a positive number of bytes; got '1MB'",
  );
});
