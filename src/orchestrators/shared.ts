/** Small helpers orchestrators share: building directives and reading child results. */
import type { ChildResult, Directive, Json, TaskError } from '../contract/directive';
import type { StrategyName } from '../contract/strategies';

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
