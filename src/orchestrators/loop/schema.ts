import { z } from 'zod';
import { Expression, withRole } from '../../contract/fields';

export const loopFields = (task: z.ZodType) => ({
  // Each pass is one sequence in its own scope; `until` sees the pass's tasks.
  tasks: withRole(z.array(task).min(1, 'a loop needs at least one task under tasks'), {
    role: 'tasks',
    runs: 'sequence',
    exported: false,
    visibleIn: ['until'],
  }),
  until: Expression.describe('checked after each pass; sees index and the pass tasks'),
  max_iterations: z
    .number({ error: 'a loop needs max_iterations (a whole number ≥ 1) so it cannot run forever' })
    .int()
    .min(1),
});
export type LoopSpec = { until: string; max_iterations: number };
