/** How a fan-out (parallel branches, collection items) combines its children's outcomes. */
import { z } from 'zod';

/** `wait_all`, `fail_fast`, `best_effort` or `race`. */
export const Strategy = z.enum(['wait_all', 'fail_fast', 'best_effort', 'race']);
export type StrategyName = z.infer<typeof Strategy>;
