/**
 * Update routing and views: an update goes to the one task waiting for its name (or the task its
 * payload names), and queries read the waiting tasks' views.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { AwaitUpdateDirective, Json } from '../../../src/contract/directive';
import { readView, waiterFor, type UpdateWaiter } from '../../../src/workflows/updates';

function waiter(task: string, update: string, views?: Record<string, Json>): UpdateWaiter {
  const directive: AwaitUpdateDirective = { kind: 'await_update', update, ...(views ? { views } : {}) };
  return { task, directive, apply: async () => ({ kind: 'done', output: null }), busy: false };
}

function failureOf(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (e) {
    return e as ApplicationFailure;
  }
  throw new Error('expected a failure');
}

describe('waiterFor', () => {
  const phase = waiter('session', 'complete-phase');
  const review = waiter('review', 'approve-item');

  test('the one task waiting for the update takes it', () => {
    expect(waiterFor('complete-phase', { phase: 1 }, [review, phase])).toBe(phase);
  });

  test('several tasks waiting for the same update: the payload names one, or the update is refused', () => {
    const other = waiter('session-2', 'complete-phase');
    expect(waiterFor('complete-phase', { task: 'session-2' }, [phase, other])).toBe(other);
    const failure = failureOf(() => waiterFor('complete-phase', {}, [phase, other]));
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure.type).toBe('UnknownUpdate');
    expect(failure.nonRetryable).toBe(true);
    expect(failure.message).toBe(
      "several tasks wait for 'complete-phase' (session, session-2): name one with task; " +
        "waiting now: 'complete-phase' (task session), 'complete-phase' (task session-2)",
    );
  });

  test('no task waiting: UnknownUpdate says what the run waits for', () => {
    expect(failureOf(() => waiterFor('nope', null, [phase])).message).toBe(
      "no task is waiting for update 'nope'; waiting now: 'complete-phase' (task session)",
    );
    expect(failureOf(() => waiterFor('nope', null, [])).message).toMatch(/waiting now: none$/);
    expect(failureOf(() => waiterFor('complete-phase', { task: 'other' }, [phase])).type).toBe(
      'UnknownUpdate',
    );
  });

  test('a task whose update was already taken takes no other', () => {
    const taken: UpdateWaiter = { ...waiter('session', 'complete-phase'), next: { kind: 'done', output: 1 } };
    expect(failureOf(() => waiterFor('complete-phase', null, [taken])).type).toBe('UnknownUpdate');
  });
});

describe('readView', () => {
  const session = waiter('session', 'complete-phase', {
    'current-phase': 2,
    task: { design: [{ title: 'models' }, { title: 'api' }] },
  });

  test('a query by a view name reads it; its arguments index into it', () => {
    expect(readView('current-phase', [], [session])).toBe(2);
    expect(readView('task', ['design', 1], [session])).toEqual({ title: 'api' });
    expect(readView('task', ['design', '0', 'title'], [session])).toBe('models');
  });

  test('an argument that indexes nothing names what is there', () => {
    expect(() => readView('task', ['build'], [session])).toThrow("task: no 'build' here (known: design)");
    expect(() => readView('current-phase', ['x'], [session])).toThrow(
      "current-phase: no 'x' here (known: none)",
    );
  });

  test('an unknown query lists the queries the run answers', () => {
    expect(() => readView('nope', [], [session])).toThrow(
      "unknown query 'nope'; this run answers state, current-phase, task",
    );
    expect(() => readView('nope', [], [])).toThrow("unknown query 'nope'; this run answers state");
  });
});
