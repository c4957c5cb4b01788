/**
 * Following runs with the `flowstate` CLI as a newcomer does (bin/flowstate.js in a process of its
 * own, real dev server): Ctrl-C while waiting, no worker on the task queue, commands on a finished
 * run, what `status` shows of a failed run, `list` order and encrypted runs.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { exampleTools } from '../../examples/tools';
import { eventually } from '../harness/eventually';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv({ tools: exampleTools });

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cliEnv(extraEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return env.processEnv({ FLOWSTATE_ENCRYPTION_KEY: '', ...extraEnv });
}

function flowstate(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/flowstate.js'), ...args],
      { cwd: ROOT, env: cliEnv(extraEnv) },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** Start the CLI, wait until its stderr contains `ready`, press Ctrl-C (SIGINT), and let it end. */
function interrupted(args: string[], ready: string, extraEnv: NodeJS.ProcessEnv = {}): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), ...args], {
      cwd: ROOT,
      env: cliEnv(extraEnv),
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!sent && stderr.includes(ready)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? -1 : null), stdout, stderr }));
  });
}

const pendingGates = async (id: string, n = 1) =>
  eventually(
    async () => (await env.flowstate.state(id)).pending_gates.length,
    (count) => count >= n,
  );

function definitionFile(name: string, yaml: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-cli-runs-')), `${name}.yaml`);
  fs.writeFileSync(file, yaml);
  return file;
}

test('Ctrl-C during run --wait or result stops waiting (exit 130), says how to follow or cancel the run, and the run goes on', async () => {
  const id = `cli-runs-ctrl-c-${randomUUID().slice(0, 8)}`;
  const run = interrupted(
    ['run', 'definitions/document-approval.yaml', '--input', '{"title":"T"}', '--id', id, '--wait'],
    'gates: draft',
  );
  const ran = await run;
  expect(ran.code).toBe(130);
  expect(ran.stderr).toContain(`${id} goes on`);
  expect(ran.stderr).toContain(`npx flowstate status ${id} --watch`);
  expect(ran.stderr).toContain(`npx flowstate result ${id}`);
  expect(ran.stderr).toContain(`npx flowstate cancel ${id}`);
  expect((await env.flowstate.describe(id)).temporalStatus).toBe('RUNNING');
  await pendingGates(id);

  const result = await interrupted(['result', id], `waiting for ${id}`);
  expect(result.code).toBe(130);
  expect(result.stderr).toContain(`${id} goes on`);
  expect((await env.flowstate.describe(id)).temporalStatus).toBe('RUNNING');
  expect((await flowstate(['approve', id, '--by', 'editor'])).code).toBe(0);
  expect(JSON.parse((await flowstate(['result', id])).stdout)).toEqual({ published: 'T', revision: 0 });
});

test('no worker on the task queue: run --wait says so and how to start one; status fails fast with exit 2', async () => {
  const queue = `no-worker-${randomUUID().slice(0, 8)}`;
  const id = `cli-runs-no-worker-${randomUUID().slice(0, 8)}`;
  const noWorker = { FLOWSTATE_TASK_QUEUE: queue };
  try {
    const waited = await interrupted(
      ['run', 'definitions/hello.yaml', '--input', '{"name":"Q"}', '--id', id, '--wait'],
      'no worker polls',
      noWorker,
    );
    expect(waited.stderr).toContain(
      `flowstate: no worker polls task queue '${queue}': start one with 'npx flowstate worker' (with FLOWSTATE_TASK_QUEUE=${queue}); ${id} waits until one does`,
    );
    expect(waited.code).toBe(130);
    const status = await flowstate(['status', id], noWorker);
    expect(status.code).toBe(2);
    expect(status.stderr.trim()).toBe(
      `flowstate: no worker polls task queue '${queue}': start one with 'npx flowstate worker' (with FLOWSTATE_TASK_QUEUE=${queue}); it answers queries about ${id}`,
    );
    // Terminated by Temporal, the run is not shown as the running its search attribute still says.
    await env.client.workflow.getHandle(id).terminate('test');
    const cancel = await flowstate(['cancel', id], noWorker);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toContain(`${id} has finished (terminated): nothing to cancel`);
    expect((await flowstate(['list', '--limit', '1000'])).stdout).toMatch(
      new RegExp(`${id}\thello@1.0.0\tterminated\t`),
    );
  } finally {
    await env.client.workflow
      .getHandle(id)
      .terminate('test cleanup')
      .catch(() => undefined);
  }
});

test('approve, signal and cancel on a finished run say it has finished, with its status (exit 1)', async () => {
  const done = await flowstate(['run', 'definitions/hello.yaml', '--input', '{"name":"F"}', '--wait']);
  const id = /started (\S+)/.exec(done.stderr)![1]!;
  const approve = await flowstate(['approve', id, '--by', 'editor']);
  expect(approve.code).toBe(1);
  expect(approve.stderr.trim()).toBe(
    `flowstate: ${id} has finished (completed): no gate to decide; see 'npx flowstate status ${id}'`,
  );
  const signal = await flowstate(['signal', id, 'ping']);
  expect(signal.code).toBe(1);
  expect(signal.stderr).toContain(`${id} has finished (completed): 'ping' not sent`);
  const cancel = await flowstate(['cancel', id]);
  expect(cancel.code).toBe(1);
  expect(cancel.stderr).toContain(`${id} has finished (completed): nothing to cancel`);
  expect(cancel.stdout).toBe('');
  // Still the plain answer for a run that does not exist.
  expect((await flowstate(['signal', 'cli-runs-no-such-run', 'ping'])).stderr).toContain(
    "no run with id 'cli-runs-no-such-run'",
  );
});

test('status of a failed run shows the failed task and its error; loop passes show their [n]', async () => {
  const failing = await flowstate([
    'run',
    'definitions/retry-until-healthy.yaml',
    '--input',
    '{"service":"x","healthy_after":99}',
    '--wait',
  ]);
  expect(failing.code).toBe(1);
  const id = /started (\S+)/.exec(failing.stderr)![1]!;
  const status = await flowstate(['status', id]);
  expect(status.code).toBe(0);
  const lines = status.stdout.split('\n');
  expect(lines[0]).toMatch(/ failed$/);
  expect(lines).toContain(
    '  probe  failed: [MaxIterationsExceeded] until (tasks.check.output.healthy) was still false after max_iterations (5) passes (on_exhausted: continue makes a loop that runs out succeed with its passes)',
  );
  expect(lines).toEqual(expect.arrayContaining(['    probe[0]', '      check  done', '    probe[4]']));
  expect(status.stdout).toContain('failed at probe: [MaxIterationsExceeded]');
});

test('status of a gate whose revisions are exhausted shows it failed, not done', async () => {
  const id = (
    await flowstate(['run', 'definitions/document-approval.yaml', '--input', '{"title":"R"}'])
  ).stdout.trim();
  for (let revision = 0; revision <= 2; revision++) {
    await eventually(
      async () => (await env.flowstate.state(id)).pending_gates[0]?.revision,
      (r) => r === revision,
    );
    const rejected = await flowstate(['reject', id, '--by', 'editor', '--comment', `no ${revision}`]);
    expect(rejected.code).toBe(0);
  }
  expect((await flowstate(['result', id])).code).toBe(1);
  const status = await flowstate(['status', id]);
  expect(status.stdout).toContain(
    '  draft  failed (revisions exhausted): rejected by editor: no 2; no revisions left (max_revisions: 2)',
  );
  expect(status.stdout).not.toMatch(/draft {2}done/);
});

test('list is newest first; approve with several gates names --gate and the gates; a paused run reads paused once', async () => {
  const older = (
    await flowstate(['run', 'definitions/handshake-pong.yaml', '--input', '{"token":"old"}'])
  ).stdout.trim();
  const newer = await flowstate(['run', 'definitions/hello.yaml', '--input', '{"name":"N"}', '--wait']);
  const newerId = /started (\S+)/.exec(newer.stderr)![1]!;
  const listed = (await flowstate(['list', '--limit', '1000'])).stdout;
  expect(listed.indexOf(newerId)).toBeGreaterThanOrEqual(0);
  expect(listed.indexOf(newerId)).toBeLessThan(listed.indexOf(older));
  const starts = listed
    .trim()
    .split('\n')
    .map((l) => l.split('\t')[3]!);
  expect([...starts].sort().reverse()).toEqual(starts);

  const twoGates = definitionFile(
    'two-gates',
    `id: two-gates
version: 1.0.0
tasks:
  - id: review
    type: parallel
    tasks:
      - { id: legal, tool: echo, with: { part: legal }, acceptance: { acceptors: [editor] } }
      - { id: style, tool: echo, with: { part: style }, acceptance: { acceptors: [editor] } }
`,
  );
  const id = (await flowstate(['run', twoGates])).stdout.trim();
  await pendingGates(id, 2);
  const approve = await flowstate(['approve', id, '--by', 'editor']);
  expect(approve.code).toBe(1);
  expect(approve.stderr).toMatch(
    /several gates are pending \(review\/(legal|style), review\/(legal|style)\): name one with --gate/,
  );
  expect(approve.stderr).toContain(`npx flowstate approve ${id} --gate 'review/`);

  expect((await flowstate(['signal', id, 'pause'])).code).toBe(0);
  await eventually(
    async () => (await env.flowstate.state(id)).paused,
    (p) => p,
  );
  const header = (await flowstate(['status', id])).stdout.split('\n')[0]!;
  expect(header.match(/paused/g)).toHaveLength(1);
  await env.client.workflow.getHandle(id).terminate('test cleanup');
  await env.client.workflow.getHandle(older).terminate('test cleanup');
});

test('list shows an encrypted run without the key: its id and status, marked encrypted', async () => {
  const queue = `encrypted-${randomUUID().slice(0, 8)}`;
  const key = { FLOWSTATE_ENCRYPTION_KEY: randomBytes(32).toString('base64'), FLOWSTATE_TASK_QUEUE: queue };
  const id = (
    await flowstate(['run', 'definitions/hello.yaml', '--input', '{"name":"E"}'], key)
  ).stdout.trim();
  const plain = (await flowstate(['run', 'definitions/hello.yaml', '--input', '{"name":"P"}'])).stdout.trim();
  try {
    const listed = await flowstate(['list', '--limit', '1000']);
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((l) => l.startsWith(id));
    expect(line).toBe(
      `${id}\thello@1.0.0\trunning\t${line!.split('\t')[3]}\t(encrypted: set FLOWSTATE_ENCRYPTION_KEY)`,
    );
    expect(listed.stdout.split('\n').find((l) => l.startsWith(plain))).not.toContain('encrypted');
    // With the key the run reads as any other.
    const withKey = await flowstate(['list', '--limit', '1000'], key);
    expect(withKey.stdout.split('\n').find((l) => l.startsWith(id))).not.toContain('encrypted');
  } finally {
    await env.client.workflow.getHandle(id).terminate('test cleanup');
  }
});
