/**
 * Secrets on the real server, through a worker process whose environment has FLOWSTATE_SECRETS=TOKEN
 * and TOKEN=<random>: an `http` task sends `authorization: Bearer {{ secrets.TOKEN }}` to an endpoint
 * this test serves, which receives the real value (its first answer, a 500 that echoes the header,
 * makes the task retry); the run's output shows `Bearer ***`; neither `flowstate history` nor the
 * Temporal CLI's raw history (payloads decoded) nor the worker's log holds the value anywhere; a name
 * the worker does not allow fails the run with SecretNotAllowed; `flowstate validate` accepts both.
 * And the test kit stubs secrets (`secrets:` in a cases file, the example of docs/testing.md).
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { FlowstateClient } from '../../src/client';
import { loadFile } from '../../src/client/definitions';
import { ensureTemporalCli } from '../../src/server/temporal-cli';
import { CaseSession, loadCasesFile } from '../../src/testkit';
import { useTestEnv } from '../harness/env';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv();
const TOKEN = `tok-${randomBytes(12).toString('hex')}`;

const CALL = `id: secret-call
version: 1.0.0
tasks:
  - id: call
    http:
      url: "{{ input.url }}"
      method: POST
      headers: { authorization: "Bearer {{ secrets.TOKEN }}" }
      body: { note: hello }
    retry: { max_attempts: 3, initial_interval: 100ms }
    outputs: "{{ output.body }}"
`;
const DENIED = `id: secret-denied
version: 1.0.0
tasks:
  - id: call
    http: { url: "{{ input.url }}", headers: { authorization: "Bearer {{ secrets.OTHER }}" } }
`;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function exec(file: string, args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) =>
    execFile(
      file,
      args,
      { cwd: ROOT, env: env.processEnv(extra), timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

const flowstate = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
  exec(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), ...args], extra);

/** The history's text plus every payload decoded (payload data is base64 in history JSON). */
function everythingIn(historyJson: string): string {
  const decoded: string[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === 'data' && typeof x === 'string') decoded.push(Buffer.from(x, 'base64').toString('utf8'));
        visit(x);
      }
    }
  };
  visit(JSON.parse(historyJson));
  return [historyJson, ...decoded].join('\n');
}

describe('secrets', () => {
  let server: http.Server;
  let url = '';
  const received: string[] = [];
  let worker: WorkerProcess;
  let workerLog = '';
  let queue = '';
  let dir = '';

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const authorization = req.headers.authorization ?? '';
      received.push(authorization);
      req.resume();
      // The first call fails with a body that echoes the header: the retry's last failure goes to history.
      const status = received.length === 1 ? 500 : 200;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? { received: authorization } : { rejected: authorization }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-secrets-'));
    fs.writeFileSync(path.join(dir, 'call.yaml'), CALL);
    fs.writeFileSync(path.join(dir, 'denied.yaml'), DENIED);
    queue = `${env.taskQueue}-secrets`;
    worker = await spawnWorker({
      address: env.address,
      taskQueue: queue,
      env: { FLOWSTATE_SECRETS: 'TOKEN', TOKEN },
    });
    worker.child.stderr!.on('data', (d) => (workerLog += d));
  });

  afterAll(async () => {
    await worker?.stop();
    await new Promise((resolve) => server?.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('flowstate validate accepts secrets.NAME', async () => {
    const ran = await flowstate(['validate', path.join(dir, 'call.yaml'), path.join(dir, 'denied.yaml')]);
    expect(ran).toMatchObject({ code: 0 });
  });

  test('the endpoint gets the real value; the output, history and logs show only ***', async () => {
    const id = `secret-call-${randomUUID().slice(0, 8)}`;
    const run = await flowstate(
      ['run', path.join(dir, 'call.yaml'), '--input', JSON.stringify({ url }), '--id', id, '--wait'],
      { FLOWSTATE_TASK_QUEUE: queue },
    );
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ received: 'Bearer ***' });
    expect(received).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`]);

    const history = await flowstate(['history', id]);
    expect(history.code).toBe(0);
    const ours = everythingIn(history.stdout);
    // The decoding works (the redacted output and the retried failure are there), and the value is not.
    expect(ours).toContain('{"received":"Bearer ***"}');
    expect(ours).toContain('{\\"rejected\\":\\"Bearer ***\\"}');
    expect(ours).not.toContain(TOKEN);

    const temporal = await exec(await ensureTemporalCli(), [
      'workflow',
      'show',
      '--workflow-id',
      id,
      '--output',
      'json',
      '--address',
      env.address,
    ]);
    expect(temporal.code).toBe(0);
    const raw = everythingIn(temporal.stdout);
    expect(raw).toContain('Bearer ***');
    expect(raw).not.toContain(TOKEN);

    // The worker logged the failed attempt (redacted), and never the value.
    expect(workerLog).toContain('***');
    expect(workerLog).not.toContain(TOKEN);
  });

  test('a name the worker does not allow fails the run with SecretNotAllowed, naming the fix', async () => {
    const client = new FlowstateClient(env.client, {
      address: env.address,
      namespace: 'default',
      taskQueue: queue,
    });
    const before = received.length;
    const { workflowId } = await client.start(await loadFile(path.join(dir, 'denied.yaml')), { url });
    const failure = await client.failure(workflowId);
    expect(failure).toMatchObject({ type: 'SecretNotAllowed' });
    expect(failure?.message).toContain(
      "task 'call' reads secrets.OTHER, which is not allowed on this worker (FLOWSTATE_SECRETS=TOKEN): " +
        'add it to FLOWSTATE_SECRETS on the worker (FLOWSTATE_SECRETS=TOKEN,OTHER)',
    );
    expect(received.length).toBe(before);
  });
});

describe('the test kit stubs secrets', () => {
  const NOTIFY = `id: secret-notify
version: 1.0.0
tasks:
  - id: notify
    http:
      url: https://hooks.example.com/deploys
      method: POST
      headers: { authorization: "Bearer {{ secrets.HOOK_TOKEN }}" }
`;
  // The example of docs/testing.md, plus a case whose definition reads a secret it does not stub.
  const CASES = `definition: notify.yaml
secrets: { HOOK_TOKEN: test-token-1 }
tools:
  http:
    match:
      - when: "input.headers.authorization = 'Bearer test-token-1'"
        output: { status: 200, body: "{{ input.headers.authorization }}" }
    error: { type: WrongToken, non_retryable: true }
cases:
  - name: notifies with the token
    expect:
      output: { status: 200, body: "Bearer ***" }
  - name: a case's own secret replaces the file's
    secrets: { HOOK_TOKEN: other-token-2 }
    expect:
      error: { type: WrongToken }
  - name: a secret the case does not stub
    definition: denied.yaml
    input: { url: "https://hooks.example.com/x" }
    expect:
      error: { type: SecretNotAllowed, message_includes: "add 'OTHER' under 'secrets:' in the cases file" }
`;

  test('each case reads its stubs; the output shows ***; an unstubbed name fails', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-secrets-kit-'));
    try {
      fs.writeFileSync(path.join(dir, 'notify.yaml'), NOTIFY);
      fs.writeFileSync(path.join(dir, 'denied.yaml'), DENIED);
      fs.writeFileSync(path.join(dir, 'notify.cases.yaml'), CASES);
      const loaded = loadCasesFile(path.join(dir, 'notify.cases.yaml'));
      if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
      const session = await CaseSession.open(loaded.cases, {
        address: env.address,
        workflowBundle: process.env.FLOWSTATE_TEST_BUNDLE!,
      });
      const results = await session.runAll().finally(() => session.close());
      expect(results.map((r) => [r.name, r.ok, r.failures])).toEqual([
        ['notifies with the token', true, []],
        ["a case's own secret replaces the file's", true, []],
        ['a secret the case does not stub', true, []],
      ]);
      expect(results[0].calls).toEqual([
        expect.objectContaining({
          name: 'http',
          input: expect.objectContaining({ headers: { authorization: 'Bearer test-token-1' } }),
        }),
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
