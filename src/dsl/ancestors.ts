/**
 * Which tasks of a sequence can run before which, in time and memory close to linear in the size of
 * the sequence's jump graph (a validator that is quadratic dies on a 20,000-task definition).
 *
 * The graph (a task's successors: the next task when it falls through, and its jump targets) is
 * condensed into its strongly connected components (loops made of jumps), numbered in topological
 * order. A component's ancestors are then a set of topological positions, kept as sorted intervals:
 * in a sequence that mostly falls through, every task's ancestors are one interval. Should jumps make
 * the intervals many (a pathological graph), the sets become bitsets instead, which bound the memory at
 * n²/8 bytes (50 MB for 20,000 tasks).
 */

/** The tasks that can run before one task (reach it in one step or more). */
export interface AncestorSet {
  has(task: number): boolean;
}

/** Past this many intervals in all (per task, on average), bitsets are cheaper. */
const INTERVALS_PER_TASK = 16;

/**
 * For each task, the tasks from which it can be reached in one step or more. `maxIntervals` (default
 * 16 per task) is where intervals give way to bitsets.
 */
export function ancestorSets(
  successors: readonly (readonly number[])[],
  maxIntervals = successors.length * INTERVALS_PER_TASK + 1024,
): AncestorSet[] {
  const { component, count } = components(successors);
  // Tarjan numbers components in reverse topological order: flip them so edges go up.
  const topo = component.map((c) => count - 1 - c);
  const members: number[][] = Array.from({ length: count }, () => []);
  topo.forEach((c, task) => members[c].push(task));
  // A component is a loop when it has two tasks or a task that jumps to itself.
  const looped = members.map((tasks) => tasks.length > 1 || successors[tasks[0]].includes(tasks[0]));
  const preds: number[][] = Array.from({ length: count }, () => []);
  successors.forEach((next, task) => {
    for (const s of next) if (topo[s] !== topo[task]) preds[topo[s]].push(topo[task]);
  });
  // Positions of components in topological order are the component numbers themselves.
  const sets = intervalAncestors(preds, looped, maxIntervals) ?? bitsetAncestors(preds, looped);
  return topo.map((c) => ({ has: (task: number) => sets[c].has(topo[task]) }));
}

/** Strongly connected components (Tarjan, iterative): component numbers in reverse topological order. */
function components(successors: readonly (readonly number[])[]): { component: number[]; count: number } {
  const n = successors.length;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const component = new Array<number>(n).fill(-1);
  const stack: number[] = [];
  let next = 0;
  let count = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: Array<[number, number]> = [[root, 0]];
    index[root] = low[root] = next++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      if (i < successors[v].length) {
        frame[1] = i + 1;
        const w = successors[v][i];
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack.push(w);
          onStack[w] = 1;
          work.push([w, 0]);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1][0];
        low[parent] = Math.min(low[parent], low[v]);
      }
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = 0;
          component[w] = count;
        } while (w !== v);
        count++;
      }
    }
  }
  return { component, count };
}

/** Ancestors as sorted, disjoint `[from, to]` intervals of components; undefined past `budget` intervals. */
function intervalAncestors(preds: number[][], looped: boolean[], budget: number): AncestorSet[] | undefined {
  const sets: number[][] = []; // flat [from0, to0, from1, to1, ...]
  let total = 0;
  for (let c = 0; c < preds.length; c++) {
    let set: number[] = looped[c] ? [c, c] : [];
    for (const p of preds[c]) set = union(union(set, [p, p]), sets[p]);
    total += set.length / 2;
    if (total > budget) return undefined;
    sets.push(set);
  }
  return sets.map((set) => ({
    has(task: number): boolean {
      // Binary search for the last interval starting at or before the task.
      let lo = 0;
      let hi = set.length / 2 - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        if (set[2 * mid] <= task) lo = mid + 1;
        else hi = mid - 1;
      }
      return hi >= 0 && task <= set[2 * hi + 1];
    },
  }));
}

/** The union of two interval lists, adjacent intervals merged. */
function union(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && a[i] <= b[j]);
    const from = takeA ? a[i] : b[j];
    const to = takeA ? a[i + 1] : b[j + 1];
    if (takeA) i += 2;
    else j += 2;
    if (out.length > 0 && from <= out[out.length - 1] + 1) {
      out[out.length - 1] = Math.max(out[out.length - 1], to);
    } else {
      out.push(from, to);
    }
  }
  return out;
}

/** Ancestors as one bitset per component. */
function bitsetAncestors(preds: number[][], looped: boolean[]): AncestorSet[] {
  const words = (preds.length + 31) >>> 5;
  const sets: Uint32Array[] = [];
  for (let c = 0; c < preds.length; c++) {
    const set = new Uint32Array(words);
    if (looped[c]) set[c >>> 5] |= 1 << (c & 31);
    for (const p of preds[c]) {
      set[p >>> 5] |= 1 << (p & 31);
      const other = sets[p];
      for (let w = 0; w < words; w++) set[w] |= other[w];
    }
    sets.push(set);
  }
  return sets.map((set) => ({ has: (task: number) => (set[task >>> 5] & (1 << (task & 31))) !== 0 }));
}
