import { z } from 'zod';
import { Duration, Expression, withRole } from '../../contract/fields';

export const waitFields = () => ({
  wait_for: z.string().min(1).describe('signal name'),
  condition: Expression.optional().describe(
    'expression on `signal` (the payload); false: ignore it and keep waiting',
  ),
  timeout: Duration.optional(),
  on_timeout: withRole(z.string(), { role: 'jump', except: ['fail'] })
    .optional()
    .describe("'fail' (default) or a task id to jump to"),
});
export type WaitSpec = { wait_for: string; condition?: string; timeout?: string; on_timeout?: string };
