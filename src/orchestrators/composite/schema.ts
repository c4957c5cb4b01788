import { z } from 'zod';

export const compositeFields = (task: z.ZodType) => ({
  tasks: z.array(task).min(1, 'a composite task needs at least one task under tasks'),
});
export type CompositeSpec = Record<string, never>;
