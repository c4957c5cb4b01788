import { ancestorSets } from '../../../src/dsl/ancestors';

/** The tasks that reach `target` in one step or more, by a plain backwards search. */
function reference(successors: number[][], target: number): Set<number> {
  const preds = successors.map(() => [] as number[]);
  successors.forEach((next, k) => next.forEach((n) => preds[n].push(k)));
  const seen = new Set<number>();
  const stack = [...preds[target]];
  while (stack.length > 0) {
    const k = stack.pop()!;
    if (seen.has(k)) continue;
    seen.add(k);
    stack.push(...preds[k]);
  }
  return seen;
}

function expectSame(successors: number[][], maxIntervals?: number): void {
  const sets = ancestorSets(successors, maxIntervals);
  successors.forEach((_, i) => {
    const want = reference(successors, i);
    const got = successors.map((__, k) => k).filter((k) => sets[i].has(k));
    expect({ task: i, ancestors: got }).toEqual({ task: i, ancestors: [...want].sort((a, b) => a - b) });
  });
}

/** A small deterministic pseudo-random generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}

describe('ancestorSets: which tasks can run before which', () => {
  it('a sequence that falls through: every task before it', () => {
    const sets = ancestorSets([[1], [2], [3], []]);
    expect([0, 1, 2, 3].filter((k) => sets[3].has(k))).toEqual([0, 1, 2]);
    expect([0, 1, 2, 3].filter((k) => sets[0].has(k))).toEqual([]);
  });

  it('a task skipped by a jump is not before the jump target; a loop of jumps reaches itself', () => {
    // 0 jumps to 2 (skipping 1, which is final); 2 → 3 → 2 loops.
    const sets = ancestorSets([[2], [], [3], [2]]);
    expect([0, 1, 2, 3].filter((k) => sets[2].has(k))).toEqual([0, 2, 3]);
    expect(sets[1].has(0)).toBe(false);
    expect(sets[3].has(3)).toBe(true);
  });

  it('a task that jumps to itself is its own ancestor', () => {
    const sets = ancestorSets([[0, 1], []]);
    expect(sets[0].has(0)).toBe(true);
    expect(sets[1].has(1)).toBe(false);
  });

  it('matches a plain search on random graphs, with and without many holes', () => {
    const next = random(7);
    for (let trial = 0; trial < 60; trial++) {
      const n = 1 + Math.floor(next() * 40);
      const jumpRate = trial % 3 === 0 ? 0.6 : 0.15;
      const graph = Array.from({ length: n }, (_, i) => {
        const out: number[] = [];
        if (i + 1 < n && next() > 0.2) out.push(i + 1);
        if (next() < jumpRate) out.push(Math.floor(next() * n));
        return out;
      });
      expectSame(graph);
      expectSame(graph, 0); // as bitsets
    }
  });

  it('20,000 tasks whose jumps leave holes everywhere still get exact answers', () => {
    // Even tasks fall through to an odd, final task and jump over it: each even task's ancestors are
    // every even task before it (10,000 holes), the case that switches to bitsets.
    const n = 20_000;
    const graph = Array.from({ length: n }, (_, i) =>
      i % 2 === 1 ? [] : [i + 1, i + 2].filter((x) => x < n),
    );
    const sets = ancestorSets(graph);
    expect(sets[n - 2].has(0)).toBe(true);
    expect(sets[n - 2].has(n - 4)).toBe(true);
    expect(sets[n - 2].has(1)).toBe(false);
    expect(sets[n - 2].has(n - 3)).toBe(false);
    expect(sets[n - 1].has(n - 2)).toBe(true);
  });
});
