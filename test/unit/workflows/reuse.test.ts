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
});
