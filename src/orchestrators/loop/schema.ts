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
  on_exhausted: z
    .enum(['fail', 'continue'], {
      error:
        'on_exhausted is fail (the default: MaxIterationsExceeded) or continue (succeed with the passes run)',
    })
    .default('fail')
    .describe(
      'when max_iterations passes ran and until is still false: fail with MaxIterationsExceeded (default), or continue with the array of pass outputs',
    ),
});
export type LoopSpec = { until: string; max_iterations: number; on_exhausted?: 'fail' | 'continue' };
