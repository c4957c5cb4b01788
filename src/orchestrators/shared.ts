/** Small helpers orchestrators share: building directives and reading child results. */
import type { ChildResult, Directive, Json, TaskError } from '../contract/directive';
import {
  TOLERANCE_CONFLICTS,
  toleratedCount,
  type StrategyName,
  type ToleratedFailuresValue,
} from '../contract/strategies';

export const done = (output: unknown, next?: string): Directive => ({
  kind: 'done',
  output: (output ?? null) as Json,
  ...(next !== undefined ? { next } : {}),
});

export const fail = (type: string, message: string): Directive => ({
  kind: 'fail',
  error: { type, message },
});

/** When to cancel the remaining runs, for a strategy. */
export function stopOnFor(
  strategy: StrategyName,
  sequential = false,
): 'first_failure' | 'first_success' | undefined {
  if (strategy === 'fail_fast' || (sequential && strategy === 'wait_all')) return 'first_failure';
  if (strategy === 'race') return 'first_success';
  return undefined;
}

/** The first failed result, in run order. */
export function firstFailure(results: ChildResult[]): ChildResult | undefined {
  return results.find((r) => r.status === 'failed');
}

/** A fail directive carrying a child's error, prefixed with the child's path so users see where. */
export function failWith(error: TaskError): Directive {
  return { kind: 'fail', error: { type: error.type, message: `${error.task}: ${error.message}` } };
}

/** A best-effort entry: `{ ok: true, output }` or `{ ok: false, error }`. */
export function outcome(result: ChildResult, output: Json): Json {
  if (result.status === 'completed') return { ok: true, output };
  const error = result.error ?? { type: 'Cancelled', message: 'cancelled', task: result.key };
  return { ok: false, error: { ...error } };
}

/**
 * Combine child results per strategy: `best_effort` keeps every outcome, `race` takes the first
 * completed run, the others fail on the first failure. `pick` turns a completed result into output.
 */
export function combine(
  strategy: StrategyName,
  results: ChildResult[],
  pick: (r: ChildResult) => Json,
  assemble: (entries: Array<[ChildResult, Json]>) => Json,
): Directive {
  if (strategy === 'best_effort')
    return done(assemble(results.map((r) => [r, outcome(r, r.status === 'completed' ? pick(r) : null)])));
  if (strategy === 'race') {
    const winner = results.find((r) => r.status === 'completed');
    if (winner) return done(pick(winner));
    const failure = firstFailure(results);
    return failure?.error ? failWith(failure.error) : fail('RaceLost', 'no branch completed');
  }
  const failure = firstFailure(results) ?? results.find((r) => r.status === 'cancelled');
  if (failure)
    return failure.error ? failWith(failure.error) : fail('Cancelled', `${failure.key} was cancelled`);
  return done(assemble(results.map((r) => [r, pick(r)])));
}

/**
 * Combine under `tolerated_failures`: `best_effort`'s output while at most the tolerated number of
 * runs failed; past it, `ToleranceExceeded` naming how many failed of how many and the threshold.
 */
export function combineTolerant(
  tolerance: ToleratedFailuresValue,
  results: ChildResult[],
  pick: (r: ChildResult) => Json,
  assemble: (entries: Array<[ChildResult, Json]>) => Json,
  noun: string,
): Directive {
  const failed = results.filter((r) => r.status === 'failed');
  const max = toleratedCount(tolerance, results.length);
  if (failed.length <= max) return combine('best_effort', results, pick, assemble);
  const cancelled = results.filter((r) => r.status === 'cancelled').length;
  const first = failed[0].error;
  return fail(
    'ToleranceExceeded',
    `${failed.length} of ${results.length} ${noun} failed, more than the ${max} tolerated ` +
      `(tolerated_failures: ${typeof tolerance === 'number' ? tolerance : `"${tolerance}"`})` +
      (cancelled ? `; ${cancelled} not finished were cancelled` : '') +
      (first ? `; first failure: ${first.task}: ${first.type}: ${first.message}` : ''),
  );
}

/** The `children` directive fields for a strategy, or for `tolerated_failures` over `total` runs. */
export function stopFields(
  strategy: StrategyName,
  tolerance: ToleratedFailuresValue | undefined,
  total: number,
  sequential = false,
): { stopOn?: 'first_failure' | 'first_success'; maxFailures?: number } {
  if (tolerance !== undefined) return { maxFailures: toleratedCount(tolerance, total) };
  const stopOn = stopOnFor(strategy, sequential);
  return stopOn ? { stopOn } : {};
}

/**
 * `tolerated_failures` with a strategy it contradicts (`fail_fast`, `race`, `best_effort`) is refused
 * with the fix.
 */
export function checkTolerance(spec: { strategy?: unknown; tolerated_failures?: unknown }): string[] {
  if (spec.tolerated_failures === undefined) return [];
  const conflict = TOLERANCE_CONFLICTS[spec.strategy as StrategyName];
  return conflict ? [`tolerated_failures cannot be combined with strategy: ${conflict}`] : [];
}
