/**
 * The pool every fan-out runs in: units (one child run, or one batch child workflow) at most `limit`
 * at once, each in its own cancellation scope, stopped early per `stopOn` or `maxFailures`.
 * Deterministic code only.
 */
import { CancellationScope } from '@temporalio/workflow';
import type { ChildResult, ChildrenDirective } from '../contract/directive';

/** How a pool stops besides `stopOn`. */
export interface PoolOptions {
  /** Stop once more than this many results have failed. */
  maxFailures?: number;
  /** Receives the pool's `stop`: start no more units, and cancel the running ones (or `onStop`). */
  control?: (stop: () => void) => void;
  /** Instead of cancelling the running units' scopes on a stop. */
  onStop?: () => void;
}

/**
 * Run `count` units with at most `limit` at once, each in its own cancellation scope; when a unit's
 * results meet `stopOn`, or more than `maxFailures` failed, cancel the others. Units never started
 * are left undefined.
 */
export async function runPool(
  count: number,
  limit: number | undefined,
  stopOn: ChildrenDirective['stopOn'],
  unit: (i: number, scope: CancellationScope) => Promise<ChildResult[]>,
  options: PoolOptions = {},
): Promise<Array<ChildResult | undefined>> {
  const results: ChildResult[][] = [];
  const scopes: CancellationScope[] = [];
  let next = 0;
  let stopped = false;
  let failed = 0;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    if (options.onStop) options.onStop();
    else scopes.forEach((s) => s.cancel());
  };
  options.control?.(stop);
  const lane = async () => {
    while (!stopped && next < count) {
      const i = next++;
      scopes[i] = new CancellationScope();
      results[i] = await unit(i, scopes[i]);
      failed += results[i].filter((r) => r.status === 'failed').length;
      if (options.maxFailures !== undefined && failed > options.maxFailures) stop();
      if (results[i].some((r) => meets(stopOn, r))) stop();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit ?? count, count)) }, lane));
  return Array.from({ length: count }, (_, i) => results[i]).flatMap((r) => r ?? [undefined]);
}

/** Whether a run's result stops the fan-out. */
export function meets(stopOn: ChildrenDirective['stopOn'], result: ChildResult): boolean {
  return stopOn === 'first_failure'
    ? result.status === 'failed'
    : stopOn === 'first_success' && result.status === 'completed';
}
