import { z } from 'zod';
import { withRole } from '../../contract/fields';
import {
  Strategy,
  ToleratedFailures,
  type StrategyName,
  type ToleratedFailuresValue,
} from '../../contract/strategies';

export { Strategy, type StrategyName };
export { checkTolerance } from '../shared';

export const parallelFields = (task: z.ZodType) => ({
  // Each branch runs alone; the branches' outputs are visible after the parallel task.
  tasks: withRole(z.array(task).min(1, 'a parallel task needs at least one task under tasks'), {
    role: 'tasks',
    runs: 'each',
    exported: true,
  }),
  strategy: Strategy.default('wait_all'),
  max_workers: z.number().int().min(1).optional(),
  tolerated_failures: ToleratedFailures.optional(),
});
export type ParallelSpec = {
  strategy: StrategyName;
  max_workers?: number;
  tolerated_failures?: ToleratedFailuresValue;
};
