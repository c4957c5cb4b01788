/**
 * `flowstate server` and `npm start` where TEMPORAL_ADDRESS points (a port of its own, nothing there
 * yet), Web UI links to the UI that serves, and the examples' sample inputs (README's `schedule`
 * command, `npm start -- handshake-ping`), each as a process as users run them.
 */
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eventually } from '../harness/eventually';
import { freePort, portAnswers } from '../../src/server/free-port';

const ROOT = path.resolve(__dirname, '../..');
const address = process.env.FLOWSTATE_TEST_ADDRESS!;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: none of Flowstate's variables but those given. */
function shell(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base)) if (/^(FLOWSTATE|TEMPORAL|OTEL|npm)_/.test(name)) delete base[name];
  return { ...base, ...extra };
}

function run(command: string, args: string[], extra: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, env: shell(extra), timeout: 240_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const flowstate = (args: string[], extra: NodeJS.ProcessEnv) =>
  run(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), ...args], extra);
const npmStart = (args: string[], extra: NodeJS.ProcessEnv) =>
  run('npm', ['start', '--silent', '--', ...args], extra);

/** A gRPC port with nothing on it nor on the port 1000 above (the Web UI's). */
async function freePair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (port <= 64_535 && !(await portAnswers('127.0.0.1', port + 1000))) return port;
  }
}

test('flowstate server listens on the port of TEMPORAL_ADDRESS, its Web UI on that port + 1000', async () => {
  const port = await freePair();
  const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-server-')), 'temporal.db');
  const extra = { TEMPORAL_ADDRESS: `127.0.0.1:${port}` };
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), 'server', '--db', db], {
    cwd: ROOT,
    env: shell(extra),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  child.stdout!.on('data', (d) => (stdout += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await eventually(
      () => stdout,
      (s) => s.includes('Ctrl-C stops it.') || child.exitCode !== null,
      120_000,
    );
    expect(stdout).toContain(`Temporal dev server on 127.0.0.1:${port}`);
    const ui = `http://127.0.0.1:${port + 1000}/namespaces/default/workflows`;
    expect(stdout).toContain(`Web UI: ${ui}`);
    expect((await fetch(ui)).ok).toBe(true);
    const listed = await flowstate(['list'], extra);
    expect(listed.code).toBe(0);
  } finally {
    child.kill('SIGINT');
    await exited;
  }
});

test('npm start with TEMPORAL_ADDRESS on a free port starts the dev server there and links to its UI', async () => {
  const port = await freePair();
  const started = await npmStart(['hello'], { TEMPORAL_ADDRESS: `127.0.0.1:${port}` });
  expect(started.stderr).toBe('');
  expect(started.code).toBe(0);
  expect(started.stdout).toContain(`Starting the Temporal dev server on 127.0.0.1:${port}`);
  expect(started.stdout).toContain('"greeting": "Hello, Ada!"');
  expect(started.stdout).toMatch(
    new RegExp(`Web UI: http://127\\.0\\.0\\.1:${port + 1000}/namespaces/default/workflows/hello-`),
  );
});

test('npm start -- handshake-ping runs with its sample input against the pong peer it names', async () => {
  const taskQueue = `start-env-${Date.now()}`;
  const extra = {
    TEMPORAL_ADDRESS: address,
    FLOWSTATE_TASK_QUEUE: taskQueue,
    FLOWSTATE_UI_URL: 'http://ui.example:8080/',
  };
  // The peer the sample input names; npm start's worker (same task queue) runs it too.
  const pong = await flowstate(
    [
      'run',
      'definitions/handshake-pong.yaml',
      '--input-file',
      'definitions/handshake-pong.input.json',
      '--id',
      'handshake-pong-demo',
    ],
    extra,
  );
  expect(pong.code).toBe(0);
  const ping = await npmStart(['handshake-ping'], extra);
  expect(ping.code).toBe(0);
  expect(ping.stdout).toContain(`Using the Temporal server at ${address}.`);
  expect(ping.stdout).toContain('"answered": true');
  expect(ping.stdout).toContain(
    'Web UI: http://ui.example:8080/namespaces/default/workflows/handshake-ping-',
  );
});

test("README's schedule command works as written", async () => {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const line = /^npx flowstate (schedule definitions\/scheduled-report\.yaml .*?)\s+#/m.exec(readme)?.[1];
  expect(line).toBeDefined();
  const args = line!.match(/'[^']*'|\S+/g)!.map((a) => a.replace(/^'|'$/g, ''));
  const id = `readme-schedule-${Date.now()}`;
  const extra = { TEMPORAL_ADDRESS: address };
  const created = await flowstate([...args, '--id', id], extra);
  expect(created.code).toBe(0);
  expect(created.stdout + created.stderr).toContain(
    `schedule ${id} runs scheduled-report@1.0.0 on cron '0 7 * * *'`,
  );
  expect((await flowstate(['schedule', '--delete', id], extra)).code).toBe(0);
});
