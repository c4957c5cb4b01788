import { z } from 'zod';

export const Strategy = z.enum(['wait_all', 'fail_fast', 'best_effort', 'race']);
export type StrategyName = z.infer<typeof Strategy>;

export const parallelFields = (task: z.ZodType) => ({
  tasks: z.array(task).min(1, 'a parallel task needs at least one task under tasks'),
  strategy: Strategy.default('wait_all'),
  max_workers: z.number().int().min(1).optional(),
});
export type ParallelSpec = { strategy: StrategyName; max_workers?: number };
