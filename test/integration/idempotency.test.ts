/**
 * The idempotency key a receiver sees (DESIGN.md section 4), on the real dev server through the
 * built-in `http` tool's `idempotency-key` header: the same for every retry of one call, different
 * for each loop pass and collection item, and carrying the revision when a task rejected at its gate
 * runs again.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';

const env = useTestEnv();

/** What the endpoint received: each request's path and idempotency key, in order. */
const received: Array<{ path: string; key: string | undefined }> = [];
/** How many times each key asked for `/flaky`: the first two get a 500. */
const flakyCalls = new Map<string, number>();
let server: http.Server;
let base = '';

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const key = req.headers['idempotency-key'] as string | undefined;
    const path = (req.url ?? '').split('?')[0];
    received.push({ path, key });
    req.resume();
    req.on('end', () => {
      if (path === '/flaky') {
        const n = (flakyCalls.get(key ?? '') ?? 0) + 1;
        flakyCalls.set(key ?? '', n);
        if (n <= 2) {
          res.writeHead(500, { 'content-type': 'application/json' }).end('{"error":"try again"}');
          return;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ key }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise((resolve) => server?.close(resolve)));

beforeEach(() => {
  received.length = 0;
  flakyCalls.clear();
});

const keysFor = (path: string) => received.filter((r) => r.path === path).map((r) => r.key);

test('a call that fails twice with HTTP 500 and then succeeds sends the same key three times', async () => {
  const def = compileYaml(`
id: idempotent-retries
version: 1.0.0
tasks:
  - id: charge
    http: { url: "{{ input.base }}/flaky", method: POST, body: { amount: 10 } }
    retry: { max_attempts: 3, initial_interval: 100ms, backoff_coefficient: 1 }
`);
  const { workflowId } = await env.start(def, { base });
  const { output } = await env.flowstate.result(workflowId);
  expect(keysFor('/flaky')).toEqual([`${workflowId}/charge`, `${workflowId}/charge`, `${workflowId}/charge`]);
  expect(output).toMatchObject({ status: 200, body: { key: `${workflowId}/charge` } });
});

test('loop passes and collection items send different keys (their task paths differ)', async () => {
  const def = compileYaml(`
id: idempotent-passes
version: 1.0.0
tasks:
  - id: poll
    type: loop
    max_iterations: 2
    until: "{{ index = 1 }}"
    tasks:
      - id: ping
        http: { url: "{{ input.base }}/loop" }
  - id: each
    type: collection
    items: "{{ ['a', 'b'] }}"
    task:
      id: fetch
      http: { url: "{{ input.base }}/item" }
`);
  const { workflowId } = await env.start(def, { base });
  await env.flowstate.result(workflowId);
  const passes = keysFor('/loop');
  expect(passes).toEqual([`${workflowId}/poll[0]/ping`, `${workflowId}/poll[1]/ping`]);
  const items = keysFor('/item');
  expect(items).toHaveLength(2);
  expect(new Set(items).size).toBe(2);
  for (const key of items) expect(key).toMatch(new RegExp(`^${workflowId}/each\\[`));
});

test('a task rejected at its gate runs again with a key naming the revision', async () => {
  const def = compileYaml(`
id: idempotent-revisions
version: 1.0.0
tasks:
  - id: draft
    http: { url: "{{ input.base }}/draft", method: POST, body: { text: draft } }
    acceptance: { acceptors: [editor], on_reject: revise, max_revisions: 2 }
`);
  const { workflowId } = await env.start(def, { base });
  const pendingAt = (revision: number) =>
    eventually(
      () => env.flowstate.state(workflowId),
      (s) => s.pending_gates.some((g) => g.gate === 'draft' && g.revision === revision),
    );
  await pendingAt(0);
  await env.flowstate.decide(workflowId, {
    gate: 'draft',
    decision: 'reject',
    by: 'editor',
    comment: 'shorter',
  });
  await pendingAt(1);
  await env.flowstate.decide(workflowId, { gate: 'draft', decision: 'approve', by: 'editor' });
  await env.flowstate.result(workflowId);
  expect(keysFor('/draft')).toEqual([`${workflowId}/draft`, `${workflowId}/draft#revision-1`]);
});
