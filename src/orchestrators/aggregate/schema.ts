import { z } from 'zod';

/** aggregate has only the common fields; `outputs` is required. */
export const aggregateFields = () => ({
  outputs: z.unknown().refine((v) => v !== undefined, 'an aggregate task needs outputs'),
});
export type AggregateSpec = { outputs: unknown };
