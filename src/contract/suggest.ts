/**
 * "Did you mean": the one helper every layer uses to suggest the name a user probably meant (a field,
 * a task type, a task id, a template field, a CLI command).
 */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word` by edit distance (ignoring case; two neighbouring letters swapped
 * count as one edit, so `gaol` is nearer `goal` than `gate`), when close enough to be a typo: at most
 * 40% of the word's length (at least 2, and always less than the word's length, so `x` suggests
 * nothing). Ties go to the candidate sharing the longest prefix with `word`. `word` itself is never
 * suggested.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.min(Math.max(2, Math.ceil(w.length * 0.4)), w.length - 1);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    const d = swapped(w, c) ? 1 : distance(w, c);
    if (d > limit) continue;
    const score = d - commonPrefix(w, c) / 100;
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

/** True when `b` is `a` with two neighbouring letters swapped. */
function swapped(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return i < a.length - 1 && a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** `: did you mean 'x'?`, or an empty string when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hint = closest(word, candidates);
  return hint === undefined ? '' : `: did you mean '${hint}'?`;
}
