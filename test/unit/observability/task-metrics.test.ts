import { ApplicationFailure, CancelledFailure, type MetricTags } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import {
  outcomeOfDirective,
  outcomeOfError,
  taskCallOf,
  taskMetricsInterceptors,
} from '../../../src/observability/task-metrics';
import {
  TASK_ATTEMPT_FAILURES,
  TASKS_COMPLETED,
  TASKS_FAILED,
  TASKS_STARTED,
} from '../../../src/observability/metric-names';

describe('classifying a createTaskState call', () => {
  test('taskCallOf reads type, path and whether the call is a response', () => {
    expect(taskCallOf({ task: { id: 'a', type: 'basic' }, path: 'x/a', scope: {} })).toEqual({
      type: 'basic',
      path: 'x/a',
      responding: false,
    });
    expect(
      taskCallOf({ task: { type: 'parallel' }, path: 'p', response: { kind: 'children' } })?.responding,
    ).toBe(true);
    expect(taskCallOf('other')).toBeUndefined();
    expect(taskCallOf({ task: {}, path: 'p' })).toBeUndefined();
  });

  test('done completes, fail fails, the other directives continue the task', () => {
    expect(outcomeOfDirective({ kind: 'done', output: 1 })).toBe('completed');
    expect(outcomeOfDirective({ kind: 'fail', error: {} })).toBe('failed');
    for (const kind of ['children', 'await_signal', 'emit'])
      expect(outcomeOfDirective({ kind })).toBe('continues');
  });

  const policy = { maximumAttempts: 3, nonRetryableErrorTypes: ['ToolNotFound'] };
  test.each([
    ['a retryable error on attempt 1 of 3', ApplicationFailure.retryable('boom', 'Flaky'), 1, 'retrying'],
    ['a retryable error on the last attempt', ApplicationFailure.retryable('boom', 'Flaky'), 3, 'failed'],
    ['a non-retryable failure', ApplicationFailure.nonRetryable('bad', 'ExpressionError'), 1, 'failed'],
    [
      'a type the policy lists as non-retryable',
      ApplicationFailure.retryable('no', 'ToolNotFound'),
      1,
      'failed',
    ],
    [
      'a plain error named like a listed type',
      Object.assign(new Error('x'), { name: 'ToolNotFound' }),
      1,
      'failed',
    ],
    ['a cancellation', new CancelledFailure('cancelled'), 1, 'cancelled'],
  ])('%s', (_label, error, attempt, expected) => {
    expect(outcomeOfError(error, { attempt, retryPolicy: policy })).toBe(expected);
  });

  test('unlimited attempts (0 or no policy) keep retrying', () => {
    expect(outcomeOfError(new Error('x'), { attempt: 50, retryPolicy: { maximumAttempts: 0 } })).toBe(
      'retrying',
    );
    expect(outcomeOfError(new Error('x'), { attempt: 50 })).toBe('retrying');
  });
});

/** A Context with what the interceptor reads, and a meter that records what is counted. */
function fakeContext(info: { attempt?: number; activityType?: string } = {}) {
  const counted: Array<{ name: string; value: number; tags: MetricTags }> = [];
  const logs: Array<{ level: string; message: string }> = [];
  const ctx = {
    info: { activityType: 'createTaskState', attempt: 1, retryPolicy: { maximumAttempts: 2 }, ...info },
    cancellationSignal: new AbortController().signal,
    metricMeter: {
      createCounter: (name: string) => ({
        add: (value: number, tags: MetricTags = {}) => counted.push({ name, value, tags }),
      }),
    },
    log: { debug: (message: string) => logs.push({ level: 'debug', message }) },
  } as unknown as Context;
  return { ctx, counted, logs };
}

const arg = (type: string, response?: unknown) => ({
  task: { id: 't', type, spec: {}, children: [] },
  path: 'a/t',
  scope: {},
  ...(response ? { response } : {}),
});
const run = (ctx: Context, args: unknown[], fn: () => Promise<unknown>) =>
  taskMetricsInterceptors(ctx).inbound!.execute!({ args, headers: {} }, fn as never);

describe('the activity interceptor', () => {
  test('a first call that answers done counts started and completed, tagged with the task type', async () => {
    const { ctx, counted } = fakeContext();
    await run(ctx, [arg('basic')], async () => ({ kind: 'done', output: 1 }));
    expect(counted).toEqual([
      { name: TASKS_STARTED, value: 1, tags: { task_type: 'basic' } },
      { name: TASKS_COMPLETED, value: 1, tags: { task_type: 'basic' } },
    ]);
  });

  test('a container: the first call continues, the response call completes it; started once', async () => {
    const { ctx, counted } = fakeContext();
    await run(ctx, [arg('parallel')], async () => ({ kind: 'children', runs: [] }));
    await run(ctx, [arg('parallel', { kind: 'children', results: [] })], async () => ({
      kind: 'done',
      output: {},
    }));
    expect(counted.map((c) => c.name)).toEqual([TASKS_STARTED, TASKS_COMPLETED]);
  });

  test('a retried attempt is not a new start; errors count as attempt failures, then as a failure on the last attempt', async () => {
    const first = fakeContext({ attempt: 1 });
    await expect(
      run(first.ctx, [arg('basic')], async () =>
        Promise.reject(ApplicationFailure.retryable('down', 'Http')),
      ),
    ).rejects.toThrow('down');
    const last = fakeContext({ attempt: 2 });
    await expect(
      run(last.ctx, [arg('basic')], async () => Promise.reject(ApplicationFailure.retryable('down', 'Http'))),
    ).rejects.toThrow('down');
    expect(first.counted.map((c) => c.name)).toEqual([TASKS_STARTED, TASK_ATTEMPT_FAILURES]);
    expect(last.counted.map((c) => c.name)).toEqual([TASKS_FAILED]);
  });

  test('a fail directive counts as failed', async () => {
    const { ctx, counted } = fakeContext();
    await run(ctx, [arg('wait')], async () => ({ kind: 'fail', error: { type: 'X', message: 'no' } }));
    expect(counted.map((c) => c.name)).toEqual([TASKS_STARTED, TASKS_FAILED]);
  });

  test('other activities pass through uncounted', async () => {
    const { ctx, counted } = fakeContext({ activityType: 'somethingElse' });
    expect(await run(ctx, [arg('basic')], async () => 'ok')).toBe('ok');
    expect(counted).toEqual([]);
  });

  test('log lines of the call carry taskPath and taskType', async () => {
    const { ctx } = fakeContext();
    const interceptors = taskMetricsInterceptors(ctx);
    const before = interceptors.outbound!.getLogAttributes!({ workflowId: 'w' }, (a) => a);
    expect(before).toEqual({ workflowId: 'w' });
    await interceptors.inbound!.execute!({ args: [arg('router')], headers: {} }, (async () => ({
      kind: 'done',
      output: 1,
    })) as never);
    expect(interceptors.outbound!.getLogAttributes!({ workflowId: 'w' }, (a) => a)).toEqual({
      workflowId: 'w',
      taskPath: 'a/t',
      taskType: 'router',
    });
  });
});
