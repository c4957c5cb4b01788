import { z } from 'zod';

export const signalFields = () => ({
  signal: z
    .object({
      name: z.string().min(1),
      workflow_id: z.string().optional().describe('target run; default: the parent run'),
      payload: z.unknown().optional(),
    })
    .strict(),
});
export type SignalSpec = { signal: { name: string; workflow_id?: string; payload?: unknown } };
