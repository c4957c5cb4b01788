/**
 * `subflow`: a task that runs another definition as a child workflow of the same interpreter, the
 * child resolved (a file beside the parent, or the registry) and pinned when the parent compiles.
 * On the real server: output, pinning across a registry push, a child failure's path, cancellation,
 * and the self-reaching definition refused by `flowstate validate`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';
import { loadFile } from '../../src/client/definitions';
import { FilesystemRegistry } from '../../src/registry';
import { loadExample } from '../harness/definitions';
import { useTestEnv } from '../harness/env';
import { eventually } from '../harness/eventually';

const ROOT = path.join(__dirname, '../..');

/** Fails for a word of the given length, so a child fails at one item of its collection. */
const measure = defineTool({
  name: 'measure',
  input: z.object({ word: z.string(), refuse: z.number() }),
  run: ({ word, refuse }) => {
    if (word.length === refuse)
      throw ApplicationFailure.create({
        type: 'TooLong',
        message: `'${word}' is refused`,
        nonRetryable: true,
      });
    return { len: word.length };
  },
});

const env = useTestEnv({ tools: [measure] });
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-subflow-it-'));
const registry = path.join(dir, 'registry');
const write = (name: string, text: string) => {
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

const counter = (version: string, refuse = 99) => `id: count
version: ${version}
input: { type: object, required: [words], properties: { words: { type: array } } }
output: "{{ { 'version': '${version}', 'lens': tasks.each.output.len } }}"
tasks:
  - id: each
    type: collection
    items: "{{ input.words }}"
    task: { id: len, tool: measure, with: { word: "{{ item }}", refuse: ${refuse} } }
`;

const parent = (ref: string, gate = false) => `id: parent
version: 1.0.0
input: { type: object, properties: { words: { type: array } } }
tasks:
${gate ? '  - { id: review, tool: echo, with: { ok: true }, acceptance: { acceptors: [editor] } }\n' : ''}  - id: count
    type: subflow
    definition: ${ref}
    with: { words: "{{ input.words }}" }
  - id: total
    tool: echo
    with: { lens: "{{ tasks.count.output.lens }}", version: "{{ tasks.count.output.version }}" }
`;

async function push(version: string, refuse?: number): Promise<void> {
  const file = write(`count-${version}.yaml`, counter(version, refuse));
  const compiled = await loadFile(file);
  await new FilesystemRegistry(registry).push({
    id: 'count',
    version,
    content: fs.readFileSync(file, 'utf8'),
    contentHash: compiled.hash,
  });
}

/** Run `flowstate` as a process on this file's server and queue. */
const cli = (args: string[]) =>
  new Promise<{ code: number; out: string }>((resolve) =>
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/flowstate.js'), ...args],
      { cwd: ROOT, env: env.processEnv() },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, out: stdout + stderr }),
    ),
  );

beforeAll(() => {
  process.env.FLOWSTATE_REGISTRY = registry;
});
afterAll(() => {
  delete process.env.FLOWSTATE_REGISTRY;
});

test("a file subflow runs as the child '<parent id>/<task path>' and its output is the task's", async () => {
  write('count.yaml', counter('0.1.0'));
  const definition = await loadFile(write('by-file.yaml', parent('./count.yaml')));
  const { workflowId } = await env.start(definition, { words: ['a', 'bb', 'ccc'] });
  const result = await env.flowstate.result(workflowId);
  expect(result.output).toEqual({ lens: [1, 2, 3], version: '0.1.0' });
  const child = await env.client.workflow.getHandle(`${workflowId}/count`).describe();
  expect(child.status.name).toBe('COMPLETED');
  expect(child.memo).toMatchObject({ definition: 'count', version: '0.1.0', parent: workflowId });
  // The server records the parent link, which the Web UI shows on both runs' pages.
  expect(child.parentExecution?.workflowId).toBe(workflowId);
});

test('a registry subflow is pinned: pushing 1.0.1 while the parent waits changes nothing for it', async () => {
  await push('1.0.0');
  const definition = await loadFile(write('pinned.yaml', parent('count@^1.0.0', true)));
  const { workflowId } = await env.start(definition, { words: ['four', 'x'] });
  await eventually(
    () => env.flowstate.state(workflowId),
    (s) => s.pending_gates.some((g) => g.gate === 'review'),
  );
  await push('1.0.1', 4); // 1.0.1 refuses four-letter words
  await env.flowstate.decide(workflowId, { gate: 'review', decision: 'approve', by: 'editor' });
  expect((await env.flowstate.result(workflowId)).output).toEqual({ lens: [4, 1], version: '1.0.0' });
  // A parent compiled now takes 1.0.1.
  const later = await loadFile(write('later.yaml', parent('count@^1.0.0')));
  const failed = await env.start(later, { words: ['four', 'x'] });
  const failure = await eventually(
    () => env.flowstate.failure(failed.workflowId),
    (f) => f !== undefined,
  );
  expect(failure).toMatchObject({ type: 'TooLong', task: 'count/each' });
});

test("a child failure fails the task with the child's type, message and path under the task", async () => {
  write('count-refusing.yaml', counter('0.2.0', 3));
  const definition = await loadFile(write('failing.yaml', parent('./count-refusing.yaml')));
  const { workflowId } = await env.start(definition, { words: ['a', 'bb', 'ccc', 'dd'] });
  const failure = await eventually(
    () => env.flowstate.failure(workflowId),
    (f) => f !== undefined,
  );
  expect(failure).toEqual({
    type: 'TooLong',
    // The collection names the failed item in its message, as in any run: `each[2]: ...`.
    message: expect.stringContaining("each[2]: 'ccc' is refused"),
    task: 'count/each',
  });
});

test('cancelling the parent cancels the child', async () => {
  write('waits.yaml', 'id: waits\nversion: 1.0.0\ntasks:\n  - { id: hold, type: wait, wait_for: go }\n');
  const definition = await loadFile(
    write(
      'cancel.yaml',
      'id: outer\nversion: 1.0.0\ntasks:\n  - { id: inner, type: subflow, definition: ./waits.yaml }\n',
    ),
  );
  const { workflowId } = await env.start(definition, {});
  const child = env.client.workflow.getHandle(`${workflowId}/inner`);
  await eventually(
    () =>
      child.describe().then(
        (d) => d.status.name,
        () => 'absent',
      ),
    (s) => s === 'RUNNING',
  );
  await env.flowstate.cancel(workflowId);
  await eventually(
    () => child.describe().then((d) => d.status.name),
    (s) => s === 'CANCELLED',
  );
  // The parent closes a workflow task after its child did: poll it too (on a cluster the gap shows).
  const parent = await eventually(
    () =>
      env.client.workflow
        .getHandle(workflowId)
        .describe()
        .then((d) => d.status.name),
    (s) => s !== 'RUNNING',
  );
  expect(parent).toBe('CANCELLED');
});

test("a child's gate is listed in the parent's state under the task's path and decided through the parent", async () => {
  write(
    'legal.yaml',
    'id: legal-review\nversion: 1.0.0\ntasks:\n  - { id: legal, tool: echo, with: { ok: true }, acceptance: { acceptors: [lawyer] } }\n',
  );
  const definition = await loadFile(
    write(
      'review.yaml',
      'id: contract\nversion: 1.0.0\ntasks:\n  - { id: review, type: subflow, definition: ./legal.yaml }\n',
    ),
  );
  const { workflowId } = await env.start(definition, {});
  const state = await eventually(
    () => env.flowstate.state(workflowId),
    (s) => s.pending_gates.length > 0,
  );
  expect(state.status).toBe('waiting_acceptance');
  // Visible in the list of runs waiting for approval, under the parent's path of the gate.
  await eventually(
    () => env.client.workflow.getHandle(workflowId).describe(),
    (d) => JSON.stringify(d.searchAttributes.FlowstatePendingGate) === '["review/legal"]',
  );
  expect(state.pending_gates).toEqual([
    expect.objectContaining({
      gate: 'review/legal',
      task: 'review/legal',
      acceptors: ['lawyer'],
      status: 'pending',
    }),
  ]);
  // Someone who is no acceptor is refused by the parent, as the child would refuse them.
  const refused = await env.flowstate
    .decide(workflowId, { gate: 'review/legal', decision: 'approve', by: 'mallory' })
    .then(
      () => 'decided',
      (e: Error) => (e.cause as Error | undefined)?.message ?? e.message,
    );
  expect(refused).toBe("'mallory' may not decide gate 'review/legal': acceptors are lawyer");
  const ran = await cli(['approve', workflowId, '--gate', 'review/legal', '--by', 'lawyer']);
  expect(ran).toMatchObject({ code: 0, out: expect.stringContaining('review/legal: approved by lawyer') });
  expect((await env.flowstate.result(workflowId)).output).toEqual({ ok: true });
  const described = await env.client.workflow.getHandle(workflowId).describe();
  expect(described.searchAttributes.FlowstatePendingGate ?? []).toEqual([]);
  const child = await env.flowstate.result(`${workflowId}/review`);
  expect(child.decisions).toEqual([expect.objectContaining({ gate: 'legal', decided_by: 'lawyer' })]);
});

test('flowstate validate refuses a definition that reaches itself, at the edge closing the cycle', async () => {
  write(
    'ping.yaml',
    'id: ping\nversion: 1.0.0\ntasks:\n  - { id: to-pong, type: subflow, definition: ./pong.yaml }\n',
  );
  const pong = write(
    'pong.yaml',
    'id: pong\nversion: 1.0.0\ntasks:\n  - { id: to-ping, type: subflow, definition: ./ping.yaml }\n',
  );
  const ran = await cli(['validate', path.join(dir, 'ping.yaml')]);
  expect(ran.code).toBe(1);
  expect(ran.out).toContain(`${pong}:4:47: subflow cycle: ping → pong → ping`);
});

test("a templated 'with' that does not match the child's input schema fails the task before the child starts", async () => {
  write('count-typed.yaml', counter('0.3.0'));
  const text = parent('./count-typed.yaml').replace('"{{ input.words }}"', '"{{ input.word }}"');
  const definition = await loadFile(write('typed.yaml', text));
  const { workflowId } = await env.start(definition, { word: 'not-a-list' });
  const failure = await eventually(
    () => env.flowstate.failure(workflowId),
    (f) => f !== undefined,
  );
  expect(failure).toEqual({
    type: 'SubflowInputInvalid',
    message: expect.stringContaining(
      "'with' does not match the input schema of count@0.3.0: /words must be array",
    ),
    task: 'count',
  });
  expect(await env.flowstate.exists(`${workflowId}/count`)).toBe(false);
});

test("contract-review: the example's legal review subflow, its gate approved through the parent", async () => {
  const { workflowId } = await env.start(await loadExample('contract-review'), { customer: 'Acme' });
  await eventually(
    () => env.flowstate.state(workflowId),
    (s) => s.pending_gates.some((g) => g.gate === 'review/check'),
  );
  await env.flowstate.decide(workflowId, { gate: 'review/check', decision: 'approve', by: 'lawyer' });
  const { output } = await env.flowstate.result(workflowId);
  expect(output).toEqual({ to: 'Acme', text: 'Contract for Acme', checked_by: 'legal' });
});
