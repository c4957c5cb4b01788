import type { CompiledTask } from '../../../src/contract/compiled';
import { Reuse, rootOf, runRoots } from '../../../src/workflows/reuse';

describe('Reuse', () => {
  test('a run records what it settled, in order, with the jumps taken', () => {
    const reuse = new Reuse();
    reuse.record('fetch', { n: 1 });
    reuse.record('pick', null, 'finish');
    reuse.record('fetch', { n: 2 });
    expect(reuse.all()).toEqual({
      fetch: [{ output: { n: 1 } }, { output: { n: 2 } }],
      pick: [{ output: null, next: 'finish' }],
    });
    expect(reuse.take('fetch')).toBeUndefined();
    expect(reuse.reused).toEqual([]);
  });

  test('a redrive takes each settled outcome once, in order; a path reached again runs', () => {
    const reuse = new Reuse({
      from: 'old',
      runId: 'r',
      reuse: { fetch: [{ output: 1 }, { output: 2 }], pick: [{ output: null, next: 'done' }] },
    });
    expect(reuse.take('fetch')).toEqual({ output: 1 });
    expect(reuse.take('pick')).toEqual({ output: null, next: 'done' });
    expect(reuse.take('fetch')).toEqual({ output: 2 });
    expect(reuse.take('fetch')).toBeUndefined();
    expect(reuse.take('store')).toBeUndefined();
    expect(reuse.reused).toEqual(['fetch', 'pick', 'fetch']);
  });

  test('forget drops a path and everything under it, nothing beside it', () => {
    const one = [{ output: 1 }];
    const reuse = new Reuse({
      from: 'old',
      runId: 'r',
      reuse: { each: one, 'each[0]': one, 'each/x': one, eachother: one, after: one },
    });
    reuse.forget('each');
    expect(['each', 'each[0]', 'each/x', 'eachother', 'after'].map((p) => reuse.take(p))).toEqual([
      undefined,
      undefined,
      undefined,
      { output: 1 },
      { output: 1 },
    ]);
  });

  test('reusedSince tells a reused task from one that ran (with or without reused tasks under it)', () => {
    const reuse = new Reuse({ from: 'old', runId: 'r', reuse: { 'each[0]': [{ output: 1 }] } });
    const mark = reuse.mark();
    reuse.take('each');
    reuse.take('each[0]');
    expect(reuse.reusedSince(mark, 'each')).toBe(false);
    expect(reuse.reusedSince(mark, 'each[0]')).toBe(true);
  });

  test("slice hands over what lies at or under a batch's run roots, and only that; it is not reused here again", () => {
    const one = [{ output: 1 }];
    const reuse = new Reuse({
      from: 'old',
      runId: 'r',
      reuse: {
        prepare: one,
        'each[0]': one,
        'each[1]/a': one,
        'each[1][2]': one,
        'each[10]': one,
        'each[2]': one,
      },
    });
    expect(Object.keys(reuse.slice(['each[0]', 'each[1]']))).toEqual(['each[0]', 'each[1]/a', 'each[1][2]']);
    expect(reuse.take('each[0]')).toBeUndefined();
    expect(reuse.take('each[10]')).toEqual({ output: 1 });
    expect(reuse.take('prepare')).toEqual({ output: 1 });
    expect(new Reuse().slice(['each[0]'])).toEqual({});
  });

  test("a batch's run roots: an item's segment, or a branch's task paths; rootOf finds the run a path is under", () => {
    const task = { children: [{ id: 'a' }, { id: 'b' }] } as unknown as CompiledTask;
    expect(runRoots(task, { key: '3', segment: '[3]', anonymous: true, tasks: [0] }, 'each')).toEqual([
      'each[3]',
    ]);
    expect(runRoots(task, { key: 'b', tasks: [1] }, 'fan')).toEqual(['fan/b']);
    expect(runRoots(task, { key: 'b', anonymous: true, tasks: [1] }, 'fan')).toEqual(['fan']);
    const roots = new Map([
      ['each[1]', 1],
      ['each[10]', 10],
    ]);
    expect(['each[1]', 'each[10]/x', 'each[1][0]/y', 'each[2]', 'each'].map((p) => rootOf(p, roots))).toEqual(
      [1, 10, 1, undefined, undefined],
    );
  });

  test('restore carries what earlier runs of a continue-as-new chain settled and reused; adopt adds reused paths', () => {
    const reuse = new Reuse({ from: 'old', runId: 'r', reuse: {} });
    reuse.restore({ settled: { first: [{ output: 1 }] }, reused: ['zero'] });
    reuse.record('hold', { token: 't' });
    reuse.adopt(['each[0]']);
    expect(reuse.all()).toEqual({ first: [{ output: 1 }], hold: [{ output: { token: 't' } }] });
    expect(reuse.reused).toEqual(['zero', 'each[0]']);
  });
});
