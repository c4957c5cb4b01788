import { z } from 'zod';
import { withRole } from '../../contract/fields';

export const compositeFields = (task: z.ZodType) => ({
  // One sequence sharing a scope; its tasks' outputs are visible after the composite task.
  tasks: withRole(z.array(task).min(1, 'a composite task needs at least one task under tasks'), {
    role: 'tasks',
    runs: 'sequence',
    exported: true,
  }),
});
export type CompositeSpec = Record<string, never>;
