/**
 * The environment around the CLI as a newcomer meets it, through `bin/flowstate.js` in a process of
 * its own: FLOWSTATE_METRICS_PORT in the shell (only `worker` serves metrics), a variable with a value
 * that cannot work (one line naming it, exit 2), FLOWSTATE_TRACING=console (spans on stderr, stdout
 * stays the command's), and `validate` of cases files alone.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { eventually } from '../harness/eventually';
import { spawnWorker } from '../harness/worker-process';
import { exampleTools } from '../../examples/tools';
import { freePort } from '../../src/server/free-port';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv({ tools: exampleTools });

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** `flowstate ...` on the harness's server and this file's task queue, with `extra` in its environment. */
function flowstate(args: string[], extra: NodeJS.ProcessEnv = {}): Promise<Ran> {
  const base: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(base)) if (/^(FLOWSTATE|TEMPORAL|OTEL)_/.test(name)) delete base[name];
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/flowstate.js'), ...args],
      {
        cwd: ROOT,
        env: { ...base, TEMPORAL_ADDRESS: env.address, FLOWSTATE_TASK_QUEUE: env.taskQueue, ...extra },
        timeout: 120_000,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const metricsAnswer = (port: number) =>
  fetch(`http://127.0.0.1:${port}/metrics`).then(
    (r) => r.ok,
    () => false,
  );

test('FLOWSTATE_METRICS_PORT in the shell: the worker serves it, and CLI commands beside it run', async () => {
  const port = await freePort();
  const taskQueue = `${env.taskQueue}-metrics`;
  const worker = await spawnWorker({
    address: env.address,
    taskQueue,
    env: { FLOWSTATE_METRICS_PORT: String(port), FLOWSTATE_METRICS_HOST: '127.0.0.1' },
  });
  try {
    await eventually(() => metricsAnswer(port), Boolean);
    const shell = {
      FLOWSTATE_METRICS_PORT: String(port),
      FLOWSTATE_METRICS_HOST: '127.0.0.1',
      FLOWSTATE_TASK_QUEUE: taskQueue,
    };
    const id = `metrics-${Date.now()}`;
    const run = await flowstate(
      ['run', 'definitions/hello.yaml', '--input', '{"name":"Ada"}', '--id', id, '--wait'],
      shell,
    );
    expect(run).toMatchObject({ code: 0, stderr: expect.not.stringContaining('Address already in use') });
    expect(JSON.parse(run.stdout)).toEqual({ greeting: 'Hello, Ada!', words: 2 });
    // `events` and `replay` install Temporal's native runtime: the commands that used to bind the port.
    const events = await flowstate(['events', id], shell);
    expect(events.stderr).not.toContain('Address already in use');
    expect(events.code).toBe(0);
    expect(events.stdout).toContain('run.completed');
    expect(await metricsAnswer(port)).toBe(true);
  } finally {
    await worker.stop();
  }
});

test.each([
  [
    'FLOWSTATE_LOG_LEVEL',
    'loud',
    'list',
    /^flowstate: FLOWSTATE_LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent; got 'loud'$/,
  ],
  ['FLOWSTATE_LOG_LEVEL', 'loud', 'worker', /^flowstate: FLOWSTATE_LOG_LEVEL must be one of .*; got 'loud'$/],
  [
    'FLOWSTATE_METRICS_PORT',
    'abc',
    'worker',
    /^flowstate: FLOWSTATE_METRICS_PORT must be a port number \(1-65535\); got 'abc'$/,
  ],
  [
    'FLOWSTATE_TRACING',
    'loud',
    'list',
    /^flowstate: FLOWSTATE_TRACING must be 'otlp', 'console' or 'off'; got 'loud'$/,
  ],
  ['FLOWSTATE_TRACING', 'loud', 'worker', /^flowstate: FLOWSTATE_TRACING must be .*; got 'loud'$/],
  [
    'TEMPORAL_ADDRESS',
    'a:b:c',
    'list',
    /^flowstate: TEMPORAL_ADDRESS must be host:port of a Temporal server \(e\.g\. localhost:7233\); got 'a:b:c'$/,
  ],
  [
    'TEMPORAL_ADDRESS',
    'localhost:99999',
    'worker',
    /^flowstate: TEMPORAL_ADDRESS must be .*; got 'localhost:99999'$/,
  ],
  [
    'TEMPORAL_TLS_CERT',
    '/nowhere/cert.pem',
    'list',
    /^flowstate: TEMPORAL_TLS_KEY must be the client key file that goes with TEMPORAL_TLS_CERT; got ''$/,
  ],
  [
    'FLOWSTATE_ENCRYPTION_KEY',
    'c2hvcnQ=',
    'list',
    /^flowstate: FLOWSTATE_ENCRYPTION_KEY decodes to 5 bytes; AES-256 needs exactly 32/,
  ],
  [
    'FLOWSTATE_DECRYPTION_KEYS',
    'not base64!',
    'worker',
    /^flowstate: FLOWSTATE_DECRYPTION_KEYS entry 1 is not base64/,
  ],
  [
    'FLOWSTATE_AGENTS',
    '/nowhere/agents.yaml',
    'worker',
    /^flowstate: FLOWSTATE_AGENTS must be the path of an agents file \(docs\/agents\.md\); got '\/nowhere\/agents\.yaml'$/,
  ],
  [
    'FLOWSTATE_WEBHOOK_URL',
    'hooks.example',
    'worker',
    /^flowstate: FLOWSTATE_WEBHOOK_URL must be an http:\/\/ or https:\/\/ URL; got 'hooks\.example'$/,
  ],
  [
    'FLOWSTATE_HTTP_MAX_RESPONSE_BYTES',
    '1MB',
    'worker',
    /^flowstate: FLOWSTATE_HTTP_MAX_RESPONSE_BYTES must be a positive number of bytes; got '1MB'$/,
  ],
  [
    'FLOWSTATE_WORKFLOW_STACK_FRAMES',
    'all',
    'worker',
    /^flowstate: FLOWSTATE_WORKFLOW_STACK_FRAMES must be a whole number of frames \(1-100\); got 'all'$/,
  ],
  [
    'FLOWSTATE_WORKFLOW_TASK_SLOTS',
    '1',
    'worker',
    /^flowstate: FLOWSTATE_WORKFLOW_TASK_SLOTS must be a whole number of workflow tasks \(2-1000\); got '1'$/,
  ],
  [
    'FLOWSTATE_EXPR_TIMEOUT_MS',
    '0',
    'worker',
    /^flowstate: FLOWSTATE_EXPR_TIMEOUT_MS must be a whole number from 10 to 600000; got '0'$/,
  ],
])('%s=%s: `flowstate %s` says so in one line and exits 2', async (name, value, command, line) => {
  const ran = await flowstate([command], { [name]: value });
  expect(ran.stderr.trim()).toMatch(line);
  expect(ran.stderr.trim().split('\n')).toHaveLength(1);
  expect(ran.code).toBe(2);
});

test('both TLS files given but unreadable: one line naming the variable and the file', async () => {
  const ran = await flowstate(['list'], {
    TEMPORAL_TLS_CERT: '/nowhere/cert.pem',
    TEMPORAL_TLS_KEY: '/nowhere/key.pem',
  });
  expect(ran.stderr.trim()).toBe(
    "flowstate: TEMPORAL_TLS_CERT must be a readable PEM file (ENOENT); got '/nowhere/cert.pem'",
  );
  expect(ran.code).toBe(2);
});

test('FLOWSTATE_TRACING=console: spans go to stderr, stdout is only the run id', async () => {
  const id = `traced-${Date.now()}`;
  const ran = await flowstate(['run', 'definitions/hello.yaml', '--input', '{"name":"Ada"}', '--id', id], {
    FLOWSTATE_TRACING: 'console',
  });
  expect(ran.code).toBe(0);
  expect(ran.stdout).toBe(`${id}\n`);
  const spans = ran.stderr
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { name: string; traceId: string });
  expect(spans.map((s) => s.name)).toContainEqual(expect.stringMatching(/^StartWorkflow:/));
});

test('validate of cases files alone: ok, exit 0', async () => {
  const ran = await flowstate(['validate', 'definitions/hello.cases.yaml']);
  expect(ran).toMatchObject({
    code: 0,
    stdout: 'ok definitions/hello.cases.yaml (test cases)\n',
    stderr: '',
  });
});
