import { Reuse } from '../../../src/workflows/reuse';

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
});
