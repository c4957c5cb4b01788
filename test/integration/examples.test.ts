/**
 * Every example in `definitions/` runs on the real dev server with the example tools, and its
 * output is what the definition says it should be. Gated examples are driven through the client.
 */
import fs from 'node:fs';
import path from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml, loadExample } from '../harness/definitions';
import { exampleNames } from '../../src/client/definitions';
import { exampleTools, scan } from '../../examples/tools';

const env = useTestEnv({ tools: exampleTools });
const scanItems = (repo: string, kind: string) =>
  (scan.run({ repo, kind }, undefined as never) as { items: string[] }).items;

async function runExample(name: string, input: unknown) {
  const def = await loadExample(name);
  const ref = await env.start(def, input);
  return {
    ...(await env.flowstate.result(ref.workflowId)),
    state: await env.flowstate.state(ref.workflowId),
  };
}

test('every definition is run by an integration test', () => {
  const definitions = path.resolve(__dirname, '../../definitions');
  const names = exampleNames(definitions);
  const sources = fs
    .readdirSync(__dirname)
    .map((f) => fs.readFileSync(path.join(__dirname, f), 'utf8'))
    .join('\n');
  const tested = new Set([...sources.matchAll(/(?:runExample|loadExample)\('([\w-]+)'/g)].map((m) => m[1]));
  expect(names.filter((n) => !tested.has(n))).toEqual([]);
});

test('hello: basic tools and an aggregate', async () => {
  const { output } = await runExample('hello', { name: 'Ada' });
  expect(output).toEqual({ greeting: 'Hello, Ada!', words: 2 });
});

test('parallel-analysis: three scans in parallel, merged', async () => {
  const repo = 'acme/payments';
  const { output, state } = await runExample('parallel-analysis', { repo });
  const findings = [
    ...scanItems(repo, 'security'),
    ...scanItems(repo, 'style'),
    ...scanItems(repo, 'dependencies'),
  ];
  expect(output).toEqual({ repo, findings, count: findings.length });
  expect(state.completed).toEqual(
    expect.arrayContaining(['analyse/security', 'analyse/style', 'analyse/deps', 'analyse', 'merge']),
  );
});

describe('support-router', () => {
  test('an inline route runs as the next task, then the flow goes on', async () => {
    const { output, state } = await runExample('support-router', { text: 'The app crashes on upload' });
    expect(output).toEqual({ reply: 'Thanks, routed as bug' });
    expect(state.completed).toEqual(['classify', 'route/file-bug', 'route', 'acknowledge']);
    expect(state.outputs['route/file-bug']).toEqual({
      queue: 'engineering',
      text: 'The app crashes on upload',
    });
  });
  test('a route naming a task id jumps to it', async () => {
    const { output, state } = await runExample('support-router', { text: 'How do I log in?' });
    expect(output).toEqual({ reply: 'See the FAQ for: How do I log in?' });
    expect(state.completed).toEqual(['classify', 'route', 'faq']);
  });
});

test('per-item-pipeline: filter, scoped siblings, outputs in item order', async () => {
  const docs = [
    { id: 'intro', text: 'Flowstate runs YAML workflows' },
    { id: 'empty', text: '' },
    { id: 'usage', text: 'Write a definition and run it' },
  ];
  const { output, state } = await runExample('per-item-pipeline', { docs });
  expect(output).toEqual({ docs: 2, words: 10 });
  expect(state.outputs['process']).toEqual([
    { count: { words: 4 }, summary: { doc: 'intro', position: 0, words: 4 } },
    { count: { words: 6 }, summary: { doc: 'usage', position: 2, words: 6 } },
  ]);
  expect(state.completed).not.toContain('process[empty]/count');
});

test('release-checklist: a composite in one scope; `if` false skips with null', async () => {
  expect((await runExample('release-checklist', { version: '2.1.0', hotfix: true })).output).toEqual({
    tag: { tag: 'v2.1.0' },
    notes: null,
    announce: { message: 'Released v2.1.0' },
  });
  expect((await runExample('release-checklist', { version: '2.1.0', hotfix: false })).output).toMatchObject({
    notes: { notes: 'Release notes for v2.1.0' },
  });
});

describe('retry-until-healthy', () => {
  test('loops until healthy', async () => {
    const { output, state } = await runExample('retry-until-healthy', { service: 'db', healthy_after: 3 });
    expect(output).toEqual({ passes: 3, healthy: true });
    expect(state.completed.slice(0, 3)).toEqual(['probe[0]/check', 'probe[1]/check', 'probe[2]/check']);
  });
  test('hitting max_iterations is a clear failure, not an endless run', async () => {
    const def = await loadExample('retry-until-healthy');
    const err = await env.flowstate
      .result((await env.start(def, { service: 'db', healthy_after: 99 })).workflowId)
      .catch((e) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect(err.cause).toMatchObject({
      type: 'MaxIterationsExceeded',
      message:
        'probe: until (tasks.check.output.healthy) was still false after max_iterations (5) passes (on_exhausted: continue makes a loop that runs out succeed with its passes)',
    });
  });
});

describe('order-saga: compensation undoes completed steps in reverse order', () => {
  const input = { order: 'o-1', items: ['book'], amount: 50, country: 'fr' };
  test('happy path', async () => {
    const { output } = await runExample('order-saga', input);
    expect(output).toEqual({ status: 'completed', tracking: 'trk-o-1' });
  });
  test('payment declined: release the stock', async () => {
    const { output, state } = await runExample('order-saga', { ...input, amount: 5000 });
    expect(output).toEqual({
      status: 'compensated',
      failed: 'pay',
      reason: 'PaymentDeclined',
      refunded: null,
      released: 'res-o-1',
    });
    expect(state.completed).toEqual(['reserve', 'release', 'compensated']);
  });
  test('shipping failed: refund, then release', async () => {
    const { output, state } = await runExample('order-saga', { ...input, country: 'nowhere' });
    expect(output).toEqual({
      status: 'compensated',
      failed: 'deliver',
      reason: 'ShippingUnavailable',
      refunded: 'pay-o-1',
      released: 'res-o-1',
    });
    expect(state.completed).toEqual(['reserve', 'pay', 'refund-payment', 'release', 'compensated']);
  });
});

describe('handshake: two runs talking through signal and wait', () => {
  test('ping signals pong, pong ignores a non-matching ping and answers the matching one', async () => {
    const pong = await env.start(await loadExample('handshake-pong'), { token: 't-1' });
    await env.flowstate.signal(pong.workflowId, 'ping', { token: 'wrong', reply_to: 'nobody' });
    const ping = await env.start(await loadExample('handshake-ping'), {
      peer: pong.workflowId,
      token: 't-1',
    });
    expect((await env.flowstate.result(ping.workflowId)).output).toEqual({ answered: true });
    expect((await env.flowstate.result(pong.workflowId)).output).toEqual({ sent: true });
    const pongState = await env.flowstate.state(pong.workflowId);
    expect(pongState.outputs['ping']).toEqual({ token: 't-1', reply_to: ping.workflowId });
  });
});

test('wait with a timeout jumps to on_timeout', async () => {
  const def = compileYaml(`
id: wait-timeout
version: 1.0.0
tasks:
  - { id: reply, type: wait, wait_for: pong, timeout: 1s, on_timeout: gave-up }
  - { id: answered, type: aggregate, outputs: { answered: true }, final: true }
  - { id: gave-up, type: aggregate, outputs: { answered: false } }
`);
  const started = Date.now();
  expect((await env.run(def)).output).toEqual({ answered: false });
  expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
});

test('document-approval: a rejection is revised, then approved and published', async () => {
  const def = await loadExample('document-approval');
  const { workflowId } = await env.start(def, { title: 'Flowstate in production' });
  const pending = async (revision: number) => {
    for (let i = 0; i < 150; i++) {
      const s = await env.flowstate.state(workflowId);
      if (s.pending_gates.some((g) => g.revision === revision)) return s;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('gate not pending');
  };
  await pending(0);
  await env.flowstate.decide(workflowId, {
    gate: 'draft',
    decision: 'reject',
    by: 'editor',
    comment: 'shorter title',
  });
  const revised = await pending(1);
  expect(revised.pending_gates[0].output).toMatchObject({
    revision: 1,
    body: 'article for Flowstate in production (revised: shorter title)',
  });
  await env.flowstate.decide(workflowId, { gate: 'draft', decision: 'approve', by: 'chief' });
  expect((await env.flowstate.result(workflowId)).output).toEqual({
    published: 'Flowstate in production',
    revision: 1,
  });
});

test('tolerant-word-count: the blank document (1 in 10) is tolerated and reported; two blanks are too many', async () => {
  const input = JSON.parse(
    fs.readFileSync(path.resolve(__dirname, '../../definitions/tolerant-word-count.input.json'), 'utf8'),
  ) as { documents: Array<{ id: string; text: string }> };
  const { output } = await runExample('tolerant-word-count', input);
  expect(output).toMatchObject({ documents: 10, counted: 9, failed: ['count[blank]'] });

  const twoBlank = { documents: input.documents.map((d) => (d.id === 'faq' ? { ...d, text: '' } : d)) };
  const def = await loadExample('tolerant-word-count');
  const failed = await env.run(def, twoBlank).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(WorkflowFailedError);
  const cause = (failed as WorkflowFailedError).cause as { type?: string; message: string };
  expect(cause.type).toBe('ToleranceExceeded');
  expect(cause.message).toContain('2 of 10 items failed');
});
