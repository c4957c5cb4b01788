import { GateClock } from '../../../src/observability/gate-clock';
import type { CompiledTask } from '../../../src/contract/compiled';

/** A compiled task with just what the clock reads. */
const task = (id: string, acceptance?: CompiledTask['acceptance'], children: CompiledTask[] = []) =>
  ({
    id,
    type: 'basic',
    spec: {},
    children,
    reads: [],
    execution: {} as CompiledTask['execution'],
    ...(acceptance ? { acceptance } : {}),
  }) as CompiledTask;
const gated = (acceptors: string[] = [], timeoutMs?: number) => ({
  acceptors,
  onReject: 'revise' as const,
  maxRevisions: 2,
  ...(timeoutMs ? { timeoutMs } : {}),
});
const call = (id: string, path = id) => ({ task: { id, type: 'basic' }, path });
const done = { kind: 'done', output: 'draft' };

function clockFor(...tasks: CompiledTask[]) {
  const clock = new GateClock();
  clock.learn({ definition: { id: 'doc', tasks }, input: {} });
  return clock;
}

test('a done on a gated task opens its gate; the decide update closes it with the wait in seconds', () => {
  const clock = clockFor(task('draft', gated(['editor'])), task('publish'));
  clock.activityResult(call('draft'), done, 1_000);
  clock.activityResult(call('publish'), done, 1_100);
  expect(clock.pending(1_200)).toEqual(['draft']);
  expect(clock.decided({ gate: 'draft', status: 'approved' }, 4_500)).toEqual({
    gate: 'draft',
    decision: 'approve',
    seconds: 3.5,
  });
  expect(clock.pending(4_600)).toEqual([]);
  expect(clock.decided({ gate: 'draft', status: 'approved' }, 5_000)).toBeUndefined();
});

test('only a done without a jump opens a gate; other directives do not', () => {
  const clock = clockFor(task('draft', gated()));
  clock.activityResult(call('draft'), { kind: 'children', runs: [] }, 0);
  clock.activityResult(call('draft'), { kind: 'done', output: null, next: 'elsewhere' }, 0);
  clock.activityResult(call('draft'), { kind: 'fail', error: {} }, 0);
  expect(clock.pending(1)).toEqual([]);
});

test('gates nested in containers are keyed by path (collection items each have their own)', () => {
  const clock = clockFor(task('architectures', undefined, [task('architecture', gated(['architect']))]));
  clock.activityResult(call('architecture', 'architecture[epic-1]'), done, 0);
  clock.activityResult(call('architecture', 'architecture[epic-2]'), done, 1_000);
  expect(clock.decided({ gate: 'architecture[epic-2]', status: 'rejected' }, 3_000)).toEqual({
    gate: 'architecture[epic-2]',
    decision: 'reject',
    seconds: 2,
  });
  expect(clock.pending(3_000)).toEqual(['architecture[epic-1]']);
});

test('a revision reopens the gate: each decision measures its own wait', () => {
  const clock = clockFor(task('draft', gated()));
  clock.activityResult(call('draft'), done, 0);
  expect(clock.decided({ gate: 'draft', status: 'rejected' }, 10_000)?.seconds).toBe(10);
  clock.activityResult(call('draft'), done, 12_000);
  expect(clock.decided({ gate: 'draft', status: 'approved' }, 13_000)?.seconds).toBe(1);
});

test('batch child workflows: gates are learned from the container task', () => {
  const clock = new GateClock();
  clock.learn({
    base: { definition: { id: 'big' } },
    task: task('items', undefined, [task('review', gated())]),
    runs: [],
  });
  clock.activityResult(call('review', 'items[7]'), done, 0);
  expect(clock.definition).toBe('big');
  expect(clock.pending(1)).toEqual(['items[7]']);
});

describe('approve/reject signals follow the run’s rules for taking a decision', () => {
  const twoGates = () => {
    const clock = clockFor(task('a', gated(['editor'])), task('b', gated()));
    clock.activityResult(call('a'), done, 0);
    clock.activityResult(call('b'), done, 0);
    return clock;
  };

  test('an acceptor deciding a named gate closes it', () => {
    expect(twoGates().signalled('approve', { gate: 'a', by: 'editor', comment: 'ok' }, 2_000)).toEqual({
      gate: 'a',
      decision: 'approve',
      seconds: 2,
    });
  });

  test('a gate without acceptors takes anyone', () => {
    expect(twoGates().signalled('reject', { gate: 'b', by: 'anyone' }, 1_000)?.decision).toBe('reject');
  });

  test.each([
    ['not an acceptor', { gate: 'a', by: 'intruder' }],
    ['no gate named while two are pending', { by: 'editor' }],
    ['a gate that is not pending', { gate: 'zzz', by: 'editor' }],
    ['no by', { gate: 'a' }],
    ['an unknown field', { gate: 'a', by: 'editor', decision: 'approve' }],
    ['a payload that is not an object', 'approve'],
  ])('ignored: %s', (_label, payload) => {
    const clock = twoGates();
    expect(clock.signalled('approve', payload, 1_000)).toBeUndefined();
    expect(clock.pending(1_000)).toEqual(['a', 'b']);
  });

  test('without a gate name, the only pending gate is meant', () => {
    const clock = clockFor(task('a', gated(['editor'])));
    clock.activityResult(call('a'), done, 0);
    expect(clock.signalled('approve', { by: 'editor' }, 500)).toEqual({
      gate: 'a',
      decision: 'approve',
      seconds: 0.5,
    });
  });

  test('a gate past its timeout is no longer pending', () => {
    const clock = clockFor(task('a', gated([], 60_000)));
    clock.activityResult(call('a'), done, 0);
    expect(clock.signalled('approve', { gate: 'a', by: 'x' }, 60_000)).toBeUndefined();
    expect(clock.pending(60_000)).toEqual([]);
  });
});
