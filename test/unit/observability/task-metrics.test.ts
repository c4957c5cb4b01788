import { ApplicationFailure, CancelledFailure, type MetricMeter, type MetricTags } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import {
  countTaskEvent,
  taskMetricsSinks,
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
  test('a call that answers (done, fail, children) counts nothing: tasks are counted from their events', async () => {
    const { ctx, counted, logs } = fakeContext();
    await run(ctx, [arg('basic')], async () => ({ kind: 'done', output: 1 }));
    await run(ctx, [arg('wait')], async () => ({ kind: 'fail', error: { type: 'X', message: 'no' } }));
    await run(ctx, [arg('parallel')], async () => ({ kind: 'children', runs: [] }));
    expect(counted).toEqual([]);
    expect(logs.map((l) => l.message)).toEqual(['task completed', 'task failed', 'task answered children']);
  });

  test('an attempt that throws and will be retried counts as an attempt failure; the last attempt does not', async () => {
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
    expect(first.counted).toEqual([{ name: TASK_ATTEMPT_FAILURES, value: 1, tags: { task_type: 'basic' } }]);
    expect(last.counted).toEqual([]);
  });

  test('other activities pass through uncounted', async () => {
    const { ctx, counted } = fakeContext({ activityType: 'somethingElse', attempt: 1 });
    await expect(
      run(ctx, [arg('basic')], async () => Promise.reject(ApplicationFailure.retryable('down', 'Http'))),
    ).rejects.toThrow('down');
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

describe('task counters from lifecycle events', () => {
  const info = { namespace: 'default', taskQueue: 'q1' };
  function meter() {
    const counted: Array<{ name: string; tags: MetricTags }> = [];
    const m = {
      createCounter: (name: string) => ({
        add: (_v: number, tags: MetricTags = {}) => counted.push({ name, tags }),
      }),
    } as unknown as MetricMeter;
    return { m, counted };
  }
  const event = (type: string, data?: Record<string, unknown>) => ({ type, data }) as never;

  test.each([
    ['task.started', TASKS_STARTED],
    ['task.completed', TASKS_COMPLETED],
    ['task.skipped', TASKS_COMPLETED],
    ['task.failed', TASKS_FAILED],
  ])('%s adds one to %s, tagged with the task type, namespace and task queue', (type, name) => {
    const { m, counted } = meter();
    countTaskEvent(info, event(type, { type: 'signal' }), m);
    expect(counted).toEqual([{ name, tags: { namespace: 'default', taskQueue: 'q1', task_type: 'signal' } }]);
  });

  test('other events, and events without a task type, count nothing', () => {
    const { m, counted } = meter();
    for (const type of ['run.started', 'task.retried', 'gate.waiting', 'branch.chosen'])
      countTaskEvent(info, event(type, { type: 'basic' }), m);
    countTaskEvent(info, event('task.completed'), m);
    expect(counted).toEqual([]);
  });

  test('the sink is not called on replay', () => {
    expect(taskMetricsSinks().flowstateEvents.emit.callDuringReplay).toBe(false);
  });
});
