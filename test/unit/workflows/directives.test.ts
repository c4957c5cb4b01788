/**
 * The deterministic pieces of performing a task: the activity call's options and input, what a
 * `done` makes of the task, fan-out batches and stop rules, and the failure of a directive kind the
 * interpreter does not know.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { makeCreateTaskState } from '../../../src/activities/create-task-state';
import type { TaskStateActivities } from '../../../src/contract/activities';
import type { CompiledTask } from '../../../src/contract/compiled';
import type { ChildResult, ChildRun } from '../../../src/contract/directive';
import { asFailure, assertNever, TaskFailed } from '../../../src/workflows/failures';
import { BATCH_RUNS, batchPlan, meets } from '../../../src/workflows/fan-out';
import { exportOutputs, outcomeOf, unknownDirective } from '../../../src/workflows/perform';
import { Frame } from '../../../src/workflows/scope';
import { activityInput, activityOptions } from '../../../src/workflows/task-state';

function task(over: Partial<CompiledTask> = {}): CompiledTask {
  return {
    id: 'fetch',
    type: 'basic',
    spec: { tool: 'http' },
    children: [],
    reads: ['input'],
    execution: {
      local: false,
      startToCloseMs: 30_000,
      retry: {
        maximumAttempts: 3,
        initialIntervalMs: 1_000,
        backoffCoefficient: 2,
        nonRetryableErrorTypes: ['Bad'],
      },
    },
    ...over,
  };
}

describe('the createTaskState call', () => {
  test("the worker's activity has the signature the workflow calls", () => {
    type Implemented = ReturnType<typeof makeCreateTaskState>;
    const fits: Implemented extends TaskStateActivities['createTaskState'] ? true : false = true;
    expect(fits).toBe(true);
  });

  test("options: the task's timeouts and retry policy, and a summary naming the task", () => {
    expect(activityOptions(task(), 'a/fetch')).toEqual({
      startToCloseTimeout: 30_000,
      retry: {
        maximumAttempts: 3,
        initialInterval: 1_000,
        backoffCoefficient: 2,
        nonRetryableErrorTypes: ['Bad'],
      },
      summary: 'a/fetch (basic)',
    });
    const timed = task({
      execution: {
        ...task().execution,
        scheduleToCloseMs: 60_000,
        retry: { ...task().execution.retry, maximumIntervalMs: 5_000 },
      },
    });
    expect(activityOptions(timed, 'fetch')).toMatchObject({
      scheduleToCloseTimeout: 60_000,
      retry: { maximumInterval: 5_000 },
    });
  });

  test("input: the task without its children's specs, and only the scope it reads", () => {
    const child = task({ id: 'inner', type: 'router', spec: { big: 'x'.repeat(100) } });
    const frame = new Frame();
    frame.outputs.set('earlier', 'not read');
    const base = {
      definition: { id: 'd', version: '1.0.0', hash: 'h' },
      input: { url: 'u' },
      workflow: { id: 'wf' },
    };
    expect(activityInput(task({ children: [child] }), frame, 'fetch', base)).toEqual({
      task: {
        id: 'fetch',
        type: 'basic',
        spec: { tool: 'http' },
        children: [{ id: 'inner', type: 'router' }],
      },
      path: 'fetch',
      scope: { input: { url: 'u' } },
    });
    const response = { kind: 'signal' as const, payload: 1 };
    expect(activityInput(task(), frame, 'fetch', base, response).response).toBe(response);
    expect(activityInput(task(), frame, 'fetch', base)).not.toHaveProperty('response');
  });
});

describe('done and children', () => {
  test("a done directive's output, jump, meta and skip; nothing else", () => {
    expect(outcomeOf({ kind: 'done', output: 1, attempt: 2, reply: 'r' })).toEqual({ output: 1 });
    expect(outcomeOf({ kind: 'done', output: null, next: 'b', meta: { agent: 'x' }, skipped: true })).toEqual(
      {
        output: null,
        next: 'b',
        meta: { agent: 'x' },
        skipped: true,
      },
    );
  });

  test('exported outputs are those of completed runs only', () => {
    const frame = new Frame();
    const results: ChildResult[] = [
      { key: 'a', status: 'completed', outputs: { security: 's' } },
      { key: 'b', status: 'failed', outputs: { style: 'partial' } },
      { key: 'c', status: 'cancelled', outputs: {} },
    ];
    exportOutputs(results, frame);
    expect(Object.fromEntries(frame.outputs)).toEqual({ security: 's' });
  });

  test('stop rules: first_failure stops on a failed run, first_success on a completed one', () => {
    const failed: ChildResult = { key: 'a', status: 'failed', outputs: {} };
    const completed: ChildResult = { key: 'b', status: 'completed', outputs: {} };
    const cancelled: ChildResult = { key: 'c', status: 'cancelled', outputs: {} };
    expect([failed, completed, cancelled].map((r) => meets('first_failure', r))).toEqual([
      true,
      false,
      false,
    ]);
    expect([failed, completed, cancelled].map((r) => meets('first_success', r))).toEqual([
      false,
      true,
      false,
    ]);
    expect([failed, completed].map((r) => meets(undefined, r))).toEqual([false, false]);
  });
});

describe('batchPlan', () => {
  const runs = (n: number): ChildRun[] => Array.from({ length: n }, (_, i) => ({ key: `${i}`, tasks: [0] }));

  test(`batches of ${BATCH_RUNS}, in order, the last one partial`, () => {
    const { batches } = batchPlan(runs(1_201));
    expect(batches.map((b) => b.length)).toEqual([500, 500, 201]);
    expect(batches.flat().map((r) => r.key)).toEqual(runs(1_201).map((r) => r.key));
  });

  test('no max_workers: every batch at once, each batch unbounded', () => {
    expect(batchPlan(runs(1_200))).toMatchObject({ inner: undefined, lanes: 3 });
  });

  test('max_workers holds in total: split between batches and inside them', () => {
    expect(batchPlan(runs(1_200), 10)).toMatchObject({ inner: 10, lanes: 1 });
    expect(batchPlan(runs(3_000), 1_000)).toMatchObject({ inner: 500, lanes: 2 });
    expect(batchPlan(runs(3_000), 1_499)).toMatchObject({ inner: 500, lanes: 2 });
  });
});

describe('failures', () => {
  test('a directive of an unknown kind fails its task with UnknownDirective', () => {
    const failure = unknownDirective({ kind: 'teleport' }, 'a/b');
    expect(failure).toBeInstanceOf(TaskFailed);
    expect(failure.error).toMatchObject({ type: 'UnknownDirective', task: 'a/b' });
    expect(failure.message).toMatch(/^a\/b: unknown directive kind 'teleport'/);
  });

  test('assertNever only takes `never`, and throws the failure it is given', () => {
    const fail = (v: unknown) => unknownDirective(v, 'x');
    // @ts-expect-error a value that is not `never` does not compile
    expect(() => assertNever({ kind: 'teleport' }, fail)).toThrow(TaskFailed);
  });

  test('a task failure leaves the run as a typed, non-retryable failure; anything else unchanged', () => {
    const error = { type: 'GateRejected', message: 'rejected by editor', task: 'draft' };
    const failure = asFailure(new TaskFailed(error)) as ApplicationFailure;
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      type: 'GateRejected',
      message: 'draft: rejected by editor',
      nonRetryable: true,
    });
    expect(failure.details).toEqual([error]);
    const other = new Error('boom');
    expect(asFailure(other)).toBe(other);
  });
});
