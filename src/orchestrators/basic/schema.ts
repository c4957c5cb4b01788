import { z } from 'zod';
import { Duration } from '../../contract/fields';

export const HttpCall = z
  .object({
    url: z.string().min(1),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
    headers: z.record(z.string(), z.string()).optional(),
    body: z.unknown().optional(),
    max_response_bytes: z
      .number()
      .int()
      .positive()
      .optional()
      .describe(
        "most bytes of the response read (default: the worker's FLOWSTATE_HTTP_MAX_RESPONSE_BYTES, else 1 MiB)",
      ),
  })
  .strict();

/** basic: exactly one of `tool`, `agent`, `http`. */
export const basicFields = () => ({
  tool: z
    .string()
    .min(1)
    .optional()
    .describe('name of a tool registered with the worker; `with` is its input'),
  agent: z.string().min(1).optional().describe('skill of an agent found in the agent registry'),
  http: HttpCall.optional(),
  heartbeat: Duration.optional().describe('heartbeat timeout for long calls, e.g. 30s'),
});
export const BasicShape = z.object(basicFields());
export type BasicSpec = z.infer<typeof BasicShape> & { with?: unknown };

/** A basic task names exactly one of `tool`, `agent` or `http`. */
export function checkBasic(spec: Record<string, unknown>): string[] {
  const set = (['tool', 'agent', 'http'] as const).filter((k) => spec[k] !== undefined);
  if (set.length === 1) return [];
  return set.length === 0
    ? ['a basic task needs exactly one of tool, agent or http (e.g. `tool: echo`)']
    : [`a basic task takes exactly one of tool, agent or http, not ${set.join(' and ')}`];
}
