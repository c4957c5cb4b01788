/**
 * The expression box of this process: one pool of evaluator processes, started on a worker's first
 * task (`warmExpressionBox`) or on the first expression that needs it (test kit, CLI), and its limits.
 */
import { boxLimits } from './limits';
import { EvaluatorPool } from './pool';
import { forkEvaluator } from './process';

export { boxReason, INLINE_FUNCTIONS, INLINE_MAX_LITERAL } from './inline';
export { boxLimits, DEFAULT_BOX_LIMITS, limitsFromEnv, type BoxLimits } from './limits';
export { EvaluatorPool } from './pool';

let pool: EvaluatorPool | undefined;
let users = 0;

/** This process's pool of evaluators (created on first use; its processes do not keep it alive). */
export function expressionBox(): EvaluatorPool {
  return (pool ??= new EvaluatorPool(boxLimits(), forkEvaluator));
}

/** Start one evaluator ahead of need (when none runs), so the first boxed expression does not wait. */
export function warmExpressionBox(): void {
  expressionBox().warm();
}

/** Kill the evaluators; the next boxed expression starts a new pool. */
export function closeExpressionBox(): void {
  pool?.close();
  pool = undefined;
}

/**
 * Tie the box to a worker: when the worker's `run()` ends (and no other worker of this process uses
 * the box) the evaluators are killed. The worker starts one ahead of need with `warmExpressionBox()`
 * on its first task, not here: an evaluator process starting with the worker would compete with its
 * first poll and first workflow task for the CPU.
 */
export function withExpressionBox<W extends { run(): Promise<void> }>(worker: W): W {
  users++;
  const run = worker.run.bind(worker);
  worker.run = () =>
    run().finally(() => {
      if (--users === 0) closeExpressionBox();
    });
  return worker;
}
