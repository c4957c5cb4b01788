/**
 * tolerated_failures on the real dev server: within the threshold (a count, a percentage) the task
 * succeeds with best_effort's per-child shape; past it, it fails with ToleranceExceeded and the
 * children still running really receive their cancellation. A collection of 520 items (two batch
 * child workflows) counts its failures over all items, not per batch.
 */
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { failureOf } from '../harness/failures';
import { Probe } from '../harness/probe-tools';
import { pollUntil } from '../../src/testkit/poll';

const probe = new Probe();
const env = useTestEnv({ tools: probe.tools() });

beforeEach(() => probe.reset());

const branch = (id: string, ms: number, extra = '') =>
  `      - { id: ${id}, tool: sleep, retry: { max_attempts: 1 }, with: { label: ${id}, ms: ${ms}${extra} } }`;

const parallelDef = (tolerance: string, branches: string[]) =>
  compileYaml(`
id: tolerant-parallel
version: 1.0.0
tasks:
  - id: fan
    type: parallel
    tolerated_failures: ${tolerance}
    tasks:
${branches.join('\n')}
`);

/** A collection of `n` items: those in `failing` fail, `slow` sleeps a minute, the others return their item. */
const collectionDef = (n: number, tolerance: string, failing: number[], slow?: number) =>
  compileYaml(`
id: tolerant-collection
version: 1.0.0
tasks:
  - id: each
    type: collection
    items: "[1..${n}]"
    tolerated_failures: ${tolerance}
    task:
      id: work
      tool: sleep
      retry: { max_attempts: 1 }
      with: >-
        {{ item in [${failing.join(',')}] ? { "label": "i" & $string(item), "fail": "Broken" }
           : { "label": item = ${slow ?? -1} ? "slow" : "i" & $string(item),
               "ms": item = ${slow ?? -1} ? 60000 : 0, "value": item } }}
`);

const broken = (task: string, label: string) => ({
  ok: false,
  error: { type: 'Broken', message: `${label} failed on purpose`, task },
});

describe('within the threshold', () => {
  test('a count: the task succeeds with { ok, output | error } per branch', async () => {
    const def = parallelDef('1', [
      branch('a', 10, ', value: 1'),
      branch('b', 10, ', fail: Broken'),
      branch('c', 50, ', value: 3'),
    ]);
    const { output } = await env.run(def);
    expect(output).toEqual({
      a: { ok: true, output: 1 },
      b: broken('fan/b', 'b'),
      c: { ok: true, output: 3 },
    });
  });

  test('a percentage: 10 % of 10 items tolerates one failure, every item runs', async () => {
    const { output } = await env.run(collectionDef(10, '"10%"', [4]));
    expect(output).toEqual(
      Array.from({ length: 10 }, (_, i) => (i === 3 ? broken('each[3]', 'i4') : { ok: true, output: i + 1 })),
    );
    expect(probe.events.filter((e) => e.event === 'started')).toHaveLength(10);
  });
});

describe('over the threshold', () => {
  test('ToleranceExceeded names failed of total and the threshold; the branch still running is cancelled', async () => {
    const def = parallelDef('1', [
      branch('bad1', 50, ', fail: Broken'),
      branch('bad2', 300, ', fail: Broken'),
      branch('slow', 60_000),
    ]);
    const started = Date.now();
    const failure = await failureOf(env.run(def));
    expect(failure.type).toBe('ToleranceExceeded');
    expect(failure.message).toBe(
      'fan: 2 of 3 branches failed, more than the 1 tolerated (tolerated_failures: 1); 1 not finished were ' +
        'cancelled; first failure: fan/bad1: Broken: bad1 failed on purpose',
    );
    expect(Date.now() - started).toBeLessThan(30_000);
    // The running branch's activity really received the cancellation.
    await pollUntil(() => probe.of('slow', 'cancelled').length === 1 || undefined, { timeoutMs: 10_000 });
    expect(probe.of('slow', 'finished')).toHaveLength(0);
  });
});

describe('batch child workflows (more than 200 items)', () => {
  // 520 items: batch #0 holds items 1-500, batch #1 items 501-520. Three failures in each: neither
  // batch alone passes 5, the total (6) does.
  const failing = [1, 2, 3, 501, 502, 503];

  test('the threshold holds over all items: 6 failures of 520 within "2%" (10)', async () => {
    const ref = await env.start(collectionDef(520, '"2%"', failing));
    const { output } = await env.flowstate.result(ref.workflowId);
    const entries = output as Array<{ ok: boolean }>;
    expect(entries).toHaveLength(520);
    expect(entries.flatMap((e, i) => (e.ok ? [] : [i + 1]))).toEqual(failing);
    expect(entries[519]).toEqual({ ok: true, output: 520 });
  });

  test('past it over all items the task fails, and the batch still running is told to stop', async () => {
    const ref = await env.start(collectionDef(520, '5', failing, 10));
    const failure = await failureOf(env.flowstate.result(ref.workflowId));
    expect(failure.type).toBe('ToleranceExceeded');
    expect(failure.message).toMatch(
      /^each: 6 of 520 items failed, more than the 5 tolerated \(tolerated_failures: 5\); \d+ not finished were cancelled; first failure: each\[0\]: Broken: i1 failed on purpose$/,
    );
    // The minute-long item was cancelled (the parent told its batch to stop), not left to finish.
    await pollUntil(() => probe.of('slow', 'cancelled').length === 1 || undefined, { timeoutMs: 10_000 });
    expect(probe.of('slow', 'finished')).toHaveLength(0);
    // The histories show how: failures reported by both batches, the stop sent to batch #0.
    const history = async (id: string) =>
      (await env.client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const parent = await history(ref.workflowId);
    const reports = parent.filter(
      (e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'flowstate.runs-failed',
    );
    expect(reports.length).toBeGreaterThanOrEqual(6);
    const stopped = parent.flatMap(
      (e) => e.signalExternalWorkflowExecutionInitiatedEventAttributes?.workflowExecution?.workflowId ?? [],
    );
    expect(stopped).toContain(`${ref.workflowId}/each#0`);
    const batch0 = await history(`${ref.workflowId}/each#0`);
    expect(
      batch0.some((e) => e.workflowExecutionSignaledEventAttributes?.signalName === 'flowstate.runs-stop'),
    ).toBe(true);
  });
});
