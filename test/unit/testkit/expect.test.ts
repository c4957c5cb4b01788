/** Expectations: each failure says what differs and names the task path it is about. */
import { checkExpectations, divergence, eventsFailure, type RunOutcome } from '../../../src/testkit/expect';
import type { ExpectSpec } from '../../../src/testkit/cases';
import type { FlowEvent } from '../../../src/events/types';

const run = (extra: Partial<RunOutcome> = {}): RunOutcome => ({
  status: 'completed',
  output: { greeting: 'Hello, Ada!', words: 2 },
  paths: ['greet', 'count', 'report'],
  outputs: {
    greet: { greeting: 'Hello, Ada!' },
    count: { words: 2 },
    report: { greeting: 'Hello, Ada!', words: 2 },
  },
  decisions: [],
  calls: [],
  outputFrom: 'report',
  ...extra,
});

const check = (expect: ExpectSpec, r: RunOutcome = run()) =>
  checkExpectations({ expect, expects: (k) => k in expect, where: (p) => `cases.yaml:${p.join('.')}` }, r);

test('nothing expected but completion: a completed run passes', async () => {
  expect(await check({})).toEqual([]);
});

test('a wrong output names the task whose output it is, with a diff', async () => {
  const [f] = await check({ output: { greeting: 'Hello, Ada!', words: 3 } });
  expect(f.message).toBe(
    "the run's output (the output of 'report') differs from expect.output; it ran: greet → count → report",
  );
  expect(f.path).toBe('report');
  expect(f.where).toBe('cases.yaml:expect.output');
  expect(f.diff).toContain('-   "words": 3,');
  expect(f.diff).toContain('+   "words": 2,');
});

test('output_includes compares only what it names; output_matches is a JSONata predicate', async () => {
  expect(
    await check({
      output_includes: { words: 2 },
      output_matches: ['output.words = 2', "paths[0] = 'greet'", '$not($exists(calls.echo))'],
    }),
  ).toEqual([]);
  const [f, g] = await check({ output_includes: { words: 5 }, output_matches: 'output.words > 2' });
  expect(f.diff).toContain('-   "words": 5,');
  expect(f.diff).not.toContain('greeting');
  expect(g.message).toMatch(/^output_matches `output.words > 2` is false, not true/);
});

test('a failed run where completion was expected: the task path and the error', async () => {
  const failed = run({
    status: 'failed',
    output: undefined,
    error: { type: 'PaymentDeclined', message: 'pay: card declined', task: 'pay' },
    paths: ['reserve'],
  });
  const [f] = await check({ output: {} }, failed);
  expect(f).toMatchObject({
    path: 'pay',
    message:
      "expected the run to be completed, but it failed at 'pay': [PaymentDeclined] pay: card declined (it ran: reserve)",
  });
});

test('error: type, message and task', async () => {
  const failed = run({
    status: 'failed',
    error: { type: 'GateTimeout', message: 'escalate: no decision', task: 'escalate' },
  });
  expect(
    await check(
      { error: { type: 'GateTimeout', task: 'escalate', message_includes: 'no decision' } },
      failed,
    ),
  ).toEqual([]);
  const [f] = await check({ error: { type: 'GateRejected', task: 'draft' } }, failed);
  expect(f.message).toBe(
    "the run failed at 'escalate' with type 'GateTimeout', not 'GateRejected' and task 'escalate', not 'draft': [GateTimeout] escalate: no decision",
  );
});

test('too many calls: the task path that made the call beyond the expected count', async () => {
  const calls = [0, 1, 2].map((i) => ({
    kind: 'tool' as const,
    name: 'health-check',
    path: `probe[${i}]/check`,
    attempt: 1,
    input: {},
    stubbed: true,
  }));
  const [f] = await check({ calls: { 'health-check': 2 } }, run({ calls }));
  expect(f.path).toBe('probe[2]/check');
  expect(f.message).toBe(
    "tool 'health-check' was called 3 times, expected 2: call 3 came from task 'probe[2]/check' (attempt 1); all calls: probe[0]/check (attempt 1), probe[1]/check (attempt 1), probe[2]/check (attempt 1)",
  );
  const [g] = await check({ calls: { 'agent:review-code': 1 } }, run());
  expect(g.message).toBe(
    "agent 'review-code' was called 0 times, expected 1 (the run went: greet → count → report)",
  );
});

test('paths: where the run went another way', () => {
  expect(
    divergence(['classify', 'route/file-bug', 'route', 'acknowledge'], ['classify', 'route', 'faq']),
  ).toEqual({
    message:
      "paths: the run went another way after 'classify': expected 'route/file-bug', it ran 'route' (it ran: classify → route → faq)",
    path: 'route',
  });
  // A group completes in any order.
  expect(divergence([['a/x', 'a/y'], 'a', 'b'], ['a/y', 'a/x', 'a', 'b'])).toBeUndefined();
  expect(divergence(['a', 'b', 'c'], ['a', 'b'])?.message).toBe(
    "paths: the run went another way after 'b': expected 'c' next, but the run completed no more tasks (it ran: a → b)",
  );
  expect(divergence(['a'], ['a', 'b'])).toEqual({
    message: "paths: the run went on after 'a' to 'b', which the case does not expect (it ran: a → b)",
    path: 'b',
  });
});

test('not_paths, outputs by path and decisions', async () => {
  const decided = run({
    decisions: [{ gate: 'draft', decision: 'reject', decided_by: 'editor', at: '', revision: 0 }],
  });
  const failures = await check(
    {
      not_paths: ['count'],
      outputs: { count: { words: 3 }, missing: 1 },
      decisions: [{ gate: 'draft', decision: 'approve' }],
    },
    decided,
  );
  expect(failures.map((f) => [f.path, f.message.split(' (')[0].split(';')[0]])).toEqual([
    ['count', "task 'count' ran, but the case says it must not"],
    ['count', "the output of task 'count' differs from expect.outputs"],
    ['missing', "task 'missing' never completed, so it has no output"],
    ['draft', 'decision 1 differs'],
  ]);
});

test('events: in order, others may come between; a missing one says what the run emitted', () => {
  const ev = (
    seq: number,
    type: FlowEvent['type'],
    path?: string,
    data?: Record<string, unknown>,
  ): FlowEvent => ({
    type,
    workflowId: 'w',
    runId: 'r',
    at: '',
    seq,
    ...(path ? { path } : {}),
    ...(data ? { data } : {}),
  });
  const events = [
    ev(1, 'run.started'),
    ev(2, 'task.started', 'a'),
    ev(3, 'branch.chosen', 'a', { route: 'x' }),
    ev(4, 'task.completed', 'a'),
    ev(5, 'run.completed'),
  ];
  expect(
    eventsFailure(
      [{ type: 'branch.chosen', path: 'a', data: { route: 'x' } }, { type: 'run.completed' }],
      events,
    ),
  ).toBeUndefined();
  const f = eventsFailure(
    [
      { type: 'task.completed', path: 'a' },
      { type: 'branch.chosen', path: 'a' },
    ],
    events,
  );
  expect(f).toMatchObject({ index: 1, path: 'a' });
  expect(f?.message).toMatch(
    /^events: expected event 2 \(branch\.chosen at 'a'\) after event 4 \(task\.completed a\), but it came earlier, as event 3; the run's events: run\.started, /,
  );
});
