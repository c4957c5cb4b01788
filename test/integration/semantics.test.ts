/**
 * What users rely on, run on the real dev server: parallel strategies (with real cancellation of
 * losers), max_workers, collection order and batches, router default, retries with backoff,
 * non-retryable types, per-task timeouts, and bad input that fails one run but not the worker.
 */
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { failureOf } from '../harness/failures';
import { Probe } from '../harness/probe-tools';

const probe = new Probe();
const env = useTestEnv({ tools: probe.tools() });

beforeEach(() => probe.reset());

const branch = (id: string, ms: number, extra = '') =>
  `      - { id: ${id}, tool: sleep, with: { label: ${id}, ms: ${ms}${extra} } }`;

function parallelDef(strategy: string, branches: string[], maxWorkers?: number) {
  return compileYaml(`
id: par-${strategy.replace(/_/g, '-')}
version: 1.0.0
tasks:
  - id: fan
    type: parallel
    strategy: ${strategy}
${maxWorkers ? `    max_workers: ${maxWorkers}\n` : ''}    tasks:
${branches.join('\n')}
`);
}

describe('parallel strategies', () => {
  test('wait_all returns every branch output by child id', async () => {
    const def = parallelDef('wait_all', [
      branch('a', 300, ', value: 1'),
      branch('b', 50, ', value: 2'),
      branch('c', 10, ', value: 3'),
    ]);
    const result = await env.run(def);
    expect(result.output).toEqual({ a: 1, b: 2, c: 3 });
  });

  test('fail_fast fails at the first failure and cancels the running siblings', async () => {
    const def = parallelDef('fail_fast', [branch('bad', 200, ', fail: Broken'), branch('slow', 20_000)]);
    const started = Date.now();
    const failure = await failureOf(env.run(def));
    expect(failure.type).toBe('Broken');
    expect(failure.message).toContain('fan/bad');
    expect(Date.now() - started).toBeLessThan(10_000);
    // The sibling's activity really received the cancellation (it did not just get abandoned).
    await waitFor(() => probe.of('slow', 'cancelled').length === 1);
    expect(probe.of('slow', 'finished')).toHaveLength(0);
  });

  test('best_effort completes with per-branch results and errors', async () => {
    const def = parallelDef('best_effort', [
      branch('ok', 10, ', value: fine'),
      branch('bad', 10, ', fail: Broken'),
    ]);
    const { output } = await env.run(def);
    expect(output).toEqual({
      ok: { ok: true, output: 'fine' },
      bad: { ok: false, error: { type: 'Broken', message: 'bad failed on purpose', task: 'fan/bad' } },
    });
  });

  test('race returns the first success and cancels the rest', async () => {
    const def = parallelDef('race', [
      branch('slow', 20_000, ', value: slow'),
      branch('quick', 100, ', value: quick'),
    ]);
    const { output } = await env.run(def);
    expect(output).toBe('quick');
    await waitFor(() => probe.of('slow', 'cancelled').length === 1);
  });

  test('max_workers is never exceeded', async () => {
    const branches = ['a', 'b', 'c', 'd', 'e', 'f'].map((id) => branch(id, 300, ', gauge: pool'));
    await env.run(parallelDef('wait_all', branches, 2));
    expect(probe.peak('pool')).toBe(2);
    expect(probe.events.filter((e) => e.event === 'finished')).toHaveLength(6);
  });
});

describe('collection', () => {
  const def = (mode: string, batch?: number) =>
    compileYaml(`
id: coll-${mode}
version: 1.0.0
tasks:
  - id: each
    type: collection
    items: input.items
    filter: item.keep
    mode: ${mode}
${batch ? `    batch: ${batch}\n` : ''}    task: { id: work, tool: sleep, with: { label: "{{ item.name }}", ms: "{{ item.ms }}", value: "{{ item.name & '@' & index }}", gauge: coll } }
`);
  const items = [
    { name: 'a', ms: 400, keep: true },
    { name: 'b', ms: 10, keep: false },
    { name: 'c', ms: 200, keep: true },
    { name: 'd', ms: 10, keep: true },
  ];

  test('parallel: outputs in item order whatever the completion order; batch bounds concurrency', async () => {
    const { output } = await env.run(def('parallel', 2), { items });
    expect(output).toEqual(['a@0', 'c@2', 'd@3']);
    expect(probe.peak('coll')).toBe(2);
    const finished = probe.events.filter((e) => e.event === 'finished').map((e) => e.label);
    expect(finished.indexOf('c')).toBeLessThan(finished.indexOf('a'));
    expect(probe.events.map((e) => e.label)).not.toContain('b');
  });

  test('sequential: one item at a time, in order', async () => {
    const { output } = await env.run(def('sequential'), { items });
    expect(output).toEqual(['a@0', 'c@2', 'd@3']);
    expect(probe.peak('coll')).toBe(1);
    expect(probe.events.filter((e) => e.event === 'started').map((e) => e.label)).toEqual(['a', 'c', 'd']);
  });

  test('items that are not an array fail the run with a typed error naming the task', async () => {
    const failure = await failureOf(env.run(def('parallel'), { items: { not: 'an array' } }));
    expect(failure.type).toBe('ItemsNotArray');
    expect(failure.message).toMatch(/^each: items \(input.items\) gave object, not an array/);
  });
});

test('router falls back to default when no route matches', async () => {
  const def = compileYaml(`
id: route-default
version: 1.0.0
tasks:
  - id: pick
    type: router
    condition: input.kind
    routes:
      a: { id: on-a, tool: echo, with: a }
    default: { id: other, tool: echo, with: "other {{ input.kind }}" }
`);
  expect((await env.run(def, { kind: 'a' })).output).toEqual({ route: 'a' });
  const ref = await env.start(def, { kind: 'zzz' });
  expect((await env.flowstate.result(ref.workflowId)).output).toEqual({ route: 'default' });
  const state = await env.flowstate.state(ref.workflowId);
  expect(state.outputs['pick/other']).toBe('other zzz');
});

describe('retries and timeouts', () => {
  test('retries with backoff until the tool succeeds; the idempotency key stays the same across them', async () => {
    const def = compileYaml(`
id: retry-backoff
version: 1.0.0
tasks:
  - id: call
    tool: flaky
    with: { label: f, succeed_on: 3 }
    retry: { max_attempts: 3, initial_interval: 300ms, backoff_coefficient: 2 }
`);
    const ref = await env.start(def);
    const { output } = await env.flowstate.result(ref.workflowId);
    expect(output).toEqual({ attempt: 3, key: `${ref.workflowId}/call` });
    const at = probe.of('f').map((e) => e.at);
    expect(at).toHaveLength(3);
    expect(at[1] - at[0]).toBeGreaterThanOrEqual(250);
    expect(at[2] - at[1]).toBeGreaterThanOrEqual(500);
  });

  test('an error type listed in non_retryable is not retried', async () => {
    const def = compileYaml(`
id: no-retry
version: 1.0.0
tasks:
  - id: call
    tool: flaky
    with: { label: nr, succeed_on: 3, type: Fatal }
    retry: { max_attempts: 5, initial_interval: 100ms, non_retryable: [Fatal] }
`);
    const failure = await failureOf(env.run(def));
    expect(failure.type).toBe('Fatal');
    expect(probe.of('nr')).toHaveLength(1);
  });

  test('a task timeout covers the call, including retries', async () => {
    const def = compileYaml(`
id: slow-call
version: 1.0.0
tasks:
  - id: call
    tool: sleep
    with: { label: t, ms: 10000 }
    timeout: 1s
`);
    const started = Date.now();
    const failure = await failureOf(env.run(def));
    expect(failure.message).toMatch(/^call: /);
    expect(failure.type).toMatch(/Timeout/);
    expect(Date.now() - started).toBeLessThan(8_000);
  });
});

describe('bad input fails the run, never the worker', () => {
  test('an unregistered tool, a failing expression: typed errors naming the task path', async () => {
    const noTool = compileYaml(`
id: no-tool
version: 1.0.0
tasks:
  - { id: first, tool: echo, with: 1 }
  - { id: missing, tool: does-not-exist }
`);
    const badExpr = compileYaml(`
id: bad-expr
version: 1.0.0
tasks:
  - { id: compute, tool: echo, with: "{{ $number(input.n) }}" }
`);
    const a = await failureOf(env.run(noTool));
    expect(a.type).toBe('ToolNotFound');
    expect(a.message).toMatch(/^missing: no tool 'does-not-exist' is registered/);
    const b = await failureOf(env.run(badExpr, { n: 'not a number' }));
    expect(b.type).toBe('ExpressionError');
    expect(b.message).toMatch(/^compute: /);
    // The same worker still serves other runs.
    expect((await env.run(badExpr, { n: '42' })).output).toBe(42);
  });
});

async function waitFor(predicate: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('large fan-outs run in batch child workflows', () => {
  test('1,200 items: outputs in item order, the parent history stays small', async () => {
    const def = compileYaml(`
id: big-collection
version: 1.0.0
tasks:
  - id: each
    type: collection
    items: "[1..1200]"
    task: { id: double, type: aggregate, outputs: "{{ item * 2 }}" }
`);
    const ref = await env.start(def);
    const { output } = await env.flowstate.result(ref.workflowId);
    expect(output).toEqual(Array.from({ length: 1200 }, (_, i) => (i + 1) * 2));
    const history = await env.client.workflow.getHandle(ref.workflowId).fetchHistory();
    const events = history.events ?? [];
    const children = events.filter((e) => e.startChildWorkflowExecutionInitiatedEventAttributes);
    expect(children.map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes!.workflowId)).toEqual(
      [0, 1, 2].map((b) => `${ref.workflowId}/each#${b}`),
    );
    expect(events.length).toBeLessThan(100);
  });

  test('batch limits hold inside a batch child workflow', async () => {
    const def = compileYaml(`
id: big-limited
version: 1.0.0
tasks:
  - id: each
    type: collection
    items: "[1..250]"
    batch: 20
    task: { id: work, tool: sleep, with: { label: "i{{ item }}", ms: 300, value: "{{ item }}", gauge: big } }
`);
    const { output } = await env.run(def);
    expect(output).toEqual(Array.from({ length: 250 }, (_, i) => i + 1));
    // Never more than `batch` at once, and really in parallel (not one by one).
    expect(probe.peak('big')).toBeLessThanOrEqual(20);
    expect(probe.peak('big')).toBeGreaterThanOrEqual(10);
  });
});
