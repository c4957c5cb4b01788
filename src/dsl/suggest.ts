/** "Did you mean" suggestions for misspelt field names, task types and task ids. */
import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to `word` by edit distance, when close enough to be a typo: at most 40% of the
 * word's length (at least 2, and always less than the word's length, so `x` suggests nothing).
 * Ties go to the candidate sharing the longest prefix with `word`.
 */
export function suggest(word: string, candidates: Iterable<string>): string | undefined {
  const w = word.toLowerCase();
  const limit = Math.min(Math.max(2, Math.ceil(w.length * 0.4)), w.length - 1);
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    const d = distance(w, c);
    if (d > limit) continue;
    const score = d - commonPrefix(w, c) / 100;
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  return best;
}

function commonPrefix(a: string, b: string): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/** `: did you mean 'x'?` or an empty string. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const hint = suggest(word, candidates);
  return hint === undefined ? '' : `: did you mean '${hint}'?`;
}
