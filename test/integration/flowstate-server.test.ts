/**
 * `flowstate server` as a user starts it (bin/flowstate.js in a process of its own, with its
 * options): it serves, and the Temporal server under it runs with the dynamic config of
 * src/server/dynamic-config.ts.
 */
import { builtinTaskTypes } from '../../src/orchestrators/registry';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { FlowstateClient } from '../../src/client';
import { compileOrThrow } from '../../src/dsl/loader';
import { createWorker } from '../../src/worker';
import { freePort } from '../../src/server/free-port';
import { DEV_SERVER_DYNAMIC_CONFIG, dynamicConfigFlags } from '../../src/server/dynamic-config';
import { exampleTools } from '../../examples/tools';

const ROOT = path.resolve(__dirname, '../..');
let server: ChildProcess;
let address = '';

beforeAll(async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-server-'));
  const [port, uiPort] = [await freePort(), await freePort()];
  const args = [
    'server',
    '--db',
    path.join(dir, 'temporal.db'),
    '--port',
    String(port),
    '--ui-port',
    String(uiPort),
  ];
  server = spawn(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), ...args], {
    cwd: dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  address = await new Promise<string>((resolve, reject) => {
    server.stdout!.on('data', (d) => {
      out += d;
      const m = /Temporal dev server on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    server.stderr!.on('data', (d) => (out += d));
    server.once('exit', (code) => reject(new Error(`flowstate server exited (${code}): ${out}`)));
  });
}, 120_000);

afterAll(async () => {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGTERM');
  await exited;
});

test('the Temporal server under `flowstate server` carries the dynamic config values', () => {
  const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.pid)], { encoding: 'utf8' })
    .trim()
    .split(/\s+/);
  const cmdlines = pids.map((pid) => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
  const temporal = cmdlines.find((c) => c.includes('server start-dev'))!;
  expect(temporal).toBeDefined();
  expect(temporal).toContain(dynamicConfigFlags(DEV_SERVER_DYNAMIC_CONFIG).join(' '));
});

test('it serves: a run of definitions/hello.yaml completes on it', async () => {
  const connection = await Connection.connect({ address });
  const nativeConnection = await NativeConnection.connect({ address });
  try {
    const taskQueue = 'flowstate-server-test';
    const worker = await createWorker({
      connection: nativeConnection,
      taskQueue,
      tools: exampleTools,
      workflowBundle: { codePath: process.env.FLOWSTATE_TEST_BUNDLE! },
    });
    const flowstate = new FlowstateClient(new Client({ connection }), {
      address,
      namespace: 'default',
      taskQueue,
    });
    const hello = compileOrThrow(
      fs.readFileSync(path.join(ROOT, 'definitions/hello.yaml'), 'utf8'),
      'hello.yaml',
      builtinTaskTypes(),
    );
    const result = await worker.runUntil(async () => {
      const { workflowId } = await flowstate.start(hello, { name: 'Ada' });
      return flowstate.result(workflowId);
    });
    expect(result.output).toEqual({ greeting: 'Hello, Ada!', words: 2 });
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
}, 60_000);
