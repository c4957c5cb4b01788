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
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-server-'));
const dbFile = path.join(dir, 'temporal.db');
let server: ChildProcess;
let address = '';
let ports: [number, number];
/** The run the serving test completed, which the restart test looks for. */
let completedRun = '';

/** `flowstate server --db <dbFile>` as a process; resolves with the address it prints. */
async function startServer(): Promise<void> {
  const [port, uiPort] = ports;
  const args = ['server', '--db', dbFile, '--port', String(port), '--ui-port', String(uiPort)];
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
}

/** Stop it as Ctrl-C does (SIGINT), and wait for it to exit. */
async function stopServer(): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise((r) => server.once('exit', r));
  server.kill('SIGINT');
  await exited;
}

beforeAll(async () => {
  ports = [await freePort(), await freePort()];
  await startServer();
}, 120_000);

afterAll(stopServer);

/** The Temporal server process under `flowstate server`, and its command line. */
function temporalChild(): { pid: number; cmdline: string } | undefined {
  const pids = execFileSync('ps', ['-o', 'pid=', '--ppid', String(server.pid)], { encoding: 'utf8' })
    .trim()
    .split(/\s+/);
  return pids
    .map((pid) => ({
      pid: Number(pid),
      cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '),
    }))
    .find((c) => c.cmdline.includes('server start-dev'));
}

test('the Temporal server under `flowstate server` carries the dynamic config values', () => {
  const temporal = temporalChild()?.cmdline;
  expect(temporal).toBeDefined();
  expect(temporal).toContain(dynamicConfigFlags(DEV_SERVER_DYNAMIC_CONFIG).join(' '));
  expect(temporal).toContain('--sqlite-pragma journal_mode=wal --sqlite-pragma synchronous=normal');
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
    const { workflowId, result } = await worker.runUntil(async () => {
      const { workflowId } = await flowstate.start(hello, { name: 'Ada' });
      return { workflowId, result: await flowstate.result(workflowId) };
    });
    expect(result.output).toEqual({ greeting: 'Hello, Ada!', words: 2 });
    completedRun = workflowId;
    // SQLite keeps its write-ahead log beside the database file.
    expect(fs.existsSync(`${dbFile}-wal`)).toBe(true);
  } finally {
    await nativeConnection.close();
    await connection.close();
  }
}, 60_000);

test('a run is still there after the Temporal server is killed (kill -9) and started again on the same file', async () => {
  expect(completedRun).not.toBe('');
  const exited = new Promise((r) => server.once('exit', r));
  process.kill(temporalChild()!.pid, 'SIGKILL');
  await exited;
  await startServer();
  const connection = await Connection.connect({ address });
  try {
    const flowstate = new FlowstateClient(new Client({ connection }), {
      address,
      namespace: 'default',
      taskQueue: 'flowstate-server-test',
    });
    expect((await flowstate.result(completedRun)).output).toEqual({ greeting: 'Hello, Ada!', words: 2 });
  } finally {
    await connection.close();
  }
}, 120_000);
