/**
 * The `flowstate` CLI as users run it (`bin/flowstate.js` in a process of its own) against the real
 * dev server: every command, and bad input with the exit codes of DESIGN.md section 6
 * (0 success, 1 the workflow failed or input was invalid, 2 usage or connection error).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { exampleTools } from '../../examples/tools';
import { eventually } from '../harness/eventually';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv({ tools: exampleTools });
const registry = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-cli-registry-'));

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function flowstate(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/flowstate.js'), ...args],
      {
        cwd: ROOT,
        env: env.processEnv({ FLOWSTATE_REGISTRY: registry, ...extraEnv }),
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const pendingGate = async (id: string) => {
  for (let i = 0; i < 150; i++) {
    if ((await env.flowstate.state(id)).pending_gates.length > 0) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('no gate pending');
};

test('validate: exit 0 on the examples, 1 with file:line:col on an invalid file', async () => {
  const ok = await flowstate(['validate', 'definitions/hello.yaml', 'definitions/order-saga.yaml']);
  expect(ok.code).toBe(0);
  expect(ok.stdout).toContain('definitions/hello.yaml');
  const bad = path.join(os.tmpdir(), `bad-${Date.now()}.yaml`);
  fs.writeFileSync(bad, 'id: bad\nversion: 1.0.0\ntasks:\n  - id: a\n    type: paralel\n    tasks: []\n');
  const failed = await flowstate(['validate', bad]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain(`${bad}:5:11: unknown task type 'paralel': did you mean 'parallel'?`);
});

test('run --wait prints the result; run without --wait prints the workflow id', async () => {
  const waited = await flowstate(['run', 'definitions/hello.yaml', '--input', '{"name":"Ada"}', '--wait']);
  expect(waited.code).toBe(0);
  expect(JSON.parse(waited.stdout)).toEqual({ greeting: 'Hello, Ada!', words: 2 });
  const started = await flowstate([
    'run',
    'definitions/hello.yaml',
    '--input',
    '{"name":"Bo"}',
    '--id',
    `hello-cli-${Date.now()}`,
  ]);
  expect(started.code).toBe(0);
  const id = started.stdout.trim();
  expect(id).toMatch(/^hello-cli-\d+$/);
  const result = await flowstate(['result', id]);
  expect(JSON.parse(result.stdout)).toEqual({ greeting: 'Hello, Bo!', words: 2 });
});

test('run --input-file, and a failed run exits 1 with the task path', async () => {
  const input = path.join(os.tmpdir(), `saga-${Date.now()}.json`);
  fs.writeFileSync(input, JSON.stringify({ order: 'c1', items: ['x'], amount: 5, country: 'fr' }));
  const ok = await flowstate(['run', 'definitions/order-saga.yaml', '--input-file', input, '--wait']);
  expect(JSON.parse(ok.stdout)).toEqual({ status: 'completed', tracking: 'trk-c1' });
  const failing = await flowstate([
    'run',
    'definitions/retry-until-healthy.yaml',
    '--input',
    '{"service":"x","healthy_after":99}',
    '--wait',
  ]);
  expect(failing.code).toBe(1);
  expect(failing.stderr).toContain('flowstate: run failed: [MaxIterationsExceeded] probe: until');
});

test('status shows the gate and the command to decide it; approve and reject decide it', async () => {
  const { stdout } = await flowstate([
    'run',
    'definitions/document-approval.yaml',
    '--input',
    '{"title":"CLI"}',
  ]);
  const id = stdout.trim();
  await pendingGate(id);
  const status = await flowstate(['status', id]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('waiting_acceptance');
  expect(status.stdout).toContain(`gate draft is waiting for a decision (acceptors: editor, chief)`);
  expect(status.stdout).toContain(`npx flowstate approve ${id} --gate 'draft' --by editor`);
  const json = JSON.parse((await flowstate(['status', id, '--json'])).stdout);
  expect(json.pending_gates[0]).toMatchObject({ gate: 'draft', status: 'pending' });

  const refused = await flowstate(['approve', id, '--gate', 'draft', '--by', 'mallory']);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain("'mallory' may not decide gate 'draft': acceptors are editor, chief");
  const unknownGate = await flowstate(['approve', id, '--gate', 'nope', '--by', 'editor']);
  expect(unknownGate.code).toBe(1);
  expect(unknownGate.stderr).toContain("gate 'nope' is not pending; pending gates: draft");

  const rejected = await flowstate([
    'reject',
    id,
    '--gate',
    'draft',
    '--by',
    'editor',
    '--comment',
    'tighter',
  ]);
  expect(rejected.stdout).toContain('draft: rejected by editor');
  for (let i = 0; i < 100 && (await env.flowstate.state(id)).pending_gates[0]?.revision !== 1; i++)
    await new Promise((r) => setTimeout(r, 100));
  const approved = await flowstate(['approve', id, '--by', 'chief']);
  expect(approved.stdout).toContain('draft: approved by chief');
  expect(JSON.parse((await flowstate(['result', id])).stdout)).toEqual({ published: 'CLI', revision: 1 });
});

test('signal, list, cancel, history', async () => {
  const pong = (
    await flowstate(['run', 'definitions/handshake-pong.yaml', '--input', '{"token":"k"}'])
  ).stdout.trim();
  const listed = await flowstate(['list', '--definition', 'handshake-pong']);
  expect(listed.stdout).toContain(pong);
  const sent = await flowstate(['signal', pong, 'ping', '--payload', '{"token":"k","reply_to":"nobody"}']);
  expect(sent.code).toBe(0);
  // pong's answer goes to a run that does not exist: its signal task fails, as it should.
  const failed = await flowstate(['result', pong]);
  expect(failed.code).toBe(1);
  expect(failed.stderr).toContain('[SignalFailed] answer:');

  const waiting = (
    await flowstate(['run', 'definitions/handshake-pong.yaml', '--input', '{"token":"z"}'])
  ).stdout.trim();
  const cancelled = await flowstate(['cancel', waiting]);
  expect(cancelled.stdout).toContain(`cancel requested for ${waiting}`);
  // The Web UI and `flowstate list --status cancelled` see it as cancelled, not failed.
  const handle = env.client.workflow.getHandle(waiting);
  await eventually(
    async () => (await handle.describe()).searchAttributes.FlowstateStatus,
    (s) => JSON.stringify(s) === '["cancelled"]',
  );
  expect((await flowstate(['list', '--status', 'cancelled'])).stdout).toContain(waiting);
  const history = await flowstate(['history', pong]);
  expect(history.code).toBe(0);
  const parsed = JSON.parse(history.stdout);
  expect(parsed.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
});

test('graph and schema need no server', async () => {
  const graph = await flowstate(['graph', 'definitions/order-saga.yaml'], {
    TEMPORAL_ADDRESS: '127.0.0.1:1',
  });
  expect(graph.code).toBe(0);
  expect(graph.stdout).toMatch(/^flowchart/);
  const schema = await flowstate(['schema'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  expect(JSON.parse(schema.stdout)).toHaveProperty('$schema');
});

test('push, ls, pull and run id@version from the registry', async () => {
  const pushed = await flowstate(['push', 'definitions/hello.yaml']);
  expect(pushed.code).toBe(0);
  expect(pushed.stdout).toContain('pushed: hello@1.0.0');
  expect((await flowstate(['push', 'definitions/hello.yaml'])).stdout).toContain('already there, unchanged');
  expect((await flowstate(['ls'])).stdout).toContain('hello\t1.0.0');
  expect((await flowstate(['pull', 'hello@1.0.0'])).stdout).toBe(
    fs.readFileSync(path.join(ROOT, 'definitions/hello.yaml'), 'utf8') +
      (fs.readFileSync(path.join(ROOT, 'definitions/hello.yaml'), 'utf8').endsWith('\n') ? '' : '\n'),
  );
  const run = await flowstate(['run', 'hello@1.0.0', '--input', '{"name":"Reg"}', '--wait']);
  expect(JSON.parse(run.stdout)).toEqual({ greeting: 'Hello, Reg!', words: 2 });
  const missing = await flowstate(['run', 'hello@9.9.9', '--wait']);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('9.9.9');
});

test('bad input: unknown workflow id, invalid JSON, input not matching the schema, usage errors', async () => {
  const unknown = await flowstate(['status', 'no-such-run']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr.trim()).toMatch(/^flowstate: .*no-such-run/);
  const badJson = await flowstate(['run', 'definitions/hello.yaml', '--input', '{name:']);
  expect(badJson.code).toBe(1);
  expect(badJson.stderr).toContain('flowstate: --input is not valid JSON');
  const badInput = await flowstate(['run', 'definitions/hello.yaml', '--input', '{"nome":"x"}']);
  expect(badInput.code).toBe(1);
  expect(badInput.stderr).toContain(
    "input does not match the input schema of hello@1.0.0: (input) must have required property 'name'",
  );
  const usage = await flowstate(['approve']);
  expect(usage.code).toBe(2);
  const unknownCommand = await flowstate(['frobnicate']);
  expect(unknownCommand.code).toBe(2);
});

test('server unreachable: exit 2 and one clear line', async () => {
  const ran = await flowstate(['list'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  expect(ran.code).toBe(2);
  const lines = ran.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(
    /^flowstate: cannot reach Temporal at 127\.0\.0\.1:1 \(.*\): start a dev server with 'npx flowstate server'/,
  );
});

test('--help everywhere, with examples', async () => {
  const help = await flowstate(['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Examples:');
  const runHelp = await flowstate(['run', '--help']);
  expect(runHelp.code).toBe(0);
  expect(runHelp.stdout).toContain('--input-file');
  expect(runHelp.stdout).toContain('Examples:');
});

test('the bin runs under any name: a symlink called flowstate (as npm links it) and npx flowstate', async () => {
  const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    version: string;
  };
  const run = (file: string, args: string[], cwd: string) =>
    new Promise<Ran>((resolve) =>
      execFile(file, args, { cwd, timeout: 120_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-bin-'));
  fs.symlinkSync(path.join(ROOT, 'bin/flowstate.js'), path.join(dir, 'flowstate'));
  const linked = await run(path.join(dir, 'flowstate'), ['--version'], dir);
  expect(linked).toMatchObject({ code: 0, stdout: `${version}\n` });
  const npx = await run('npx', ['flowstate', '--version'], ROOT);
  expect(npx).toMatchObject({ code: 0, stdout: `${version}\n` });
}, 150_000);
