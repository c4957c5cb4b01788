/** How a fan-out (parallel branches, collection items) combines its children's outcomes. */
import { z } from 'zod';

/** `wait_all`, `fail_fast`, `best_effort` or `race`. */
export const Strategy = z.enum(['wait_all', 'fail_fast', 'best_effort', 'race']);
export type StrategyName = z.infer<typeof Strategy>;

/** `tolerated_failures`: a count of children (`3`) or a share of them (`"10%"`). */
export const ToleratedFailures = z
  .union([
    z.number().int('expected a whole number of children').min(0, 'expected 0 or more children'),
    z
      .string()
      .regex(
        /^(100(\.0+)?|[1-9]?\d(\.\d+)?)%$/,
        'expected a count (3) or a percentage from "0%" to "100%" (e.g. "10%")',
      ),
  ])
  .describe('children that may fail before the task fails with ToleranceExceeded: a count or "<n>%"');
export type ToleratedFailuresValue = z.infer<typeof ToleratedFailures>;

/**
 * The most failed children tolerated out of `total`: the count itself, or the share rounded down
 * (10 % of 25 → 2). More failures than this fail the task.
 */
export function toleratedCount(tolerance: ToleratedFailuresValue, total: number): number {
  if (typeof tolerance === 'number') return tolerance;
  return Math.floor((Number(tolerance.slice(0, -1)) * total) / 100 + 1e-9);
}

/** Strategies `tolerated_failures` contradicts, with the fix to print. */
export const TOLERANCE_CONFLICTS: Partial<Record<StrategyName, string>> = {
  fail_fast: 'fail_fast fails at the first failure; drop strategy (tolerated_failures keeps every outcome)',
  race: 'race ends at the first success; drop tolerated_failures or use another strategy',
  best_effort:
    'best_effort tolerates every failure; drop strategy (tolerated_failures keeps best_effort’s output shape)',
};
