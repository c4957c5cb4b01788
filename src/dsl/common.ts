/**
 * Zod pieces shared by the workflow document and every task type. Task-type fields live with their
 * orchestrator (`src/orchestrators/<type>/schema.ts`) and are assembled by `src/dsl/schema.ts`.
 */
import { z } from 'zod';

/** `30s`, `5m`, `2h`, `7d`, `250ms`. */
export const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'expected a duration such as 250ms, 30s, 5m, 2h or 7d');

/** A task id: letters, digits, `-` and `_`. */
export const TaskId = z
  .string()
  .regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'expected a task id: a letter, then letters, digits, - or _');

/** A JSONata expression, written bare (`input.n > 3`) or as one template (`{{ input.n > 3 }}`). */
export const Expression = z.string().min(1, 'expected an expression');

/** Any value; strings in it may hold `{{ }}` templates. */
export const Template = z.unknown();

export const Next = z.object({ next: TaskId }).strict();

export const Retry = z
  .object({
    max_attempts: z.number().int().min(1).optional(),
    initial_interval: Duration.optional(),
    backoff_coefficient: z.number().min(1).optional(),
    max_interval: Duration.optional(),
    non_retryable: z.array(z.string()).optional(),
  })
  .strict();

export const Acceptance = z
  .object({
    acceptors: z.array(z.string().min(1)).optional(),
    timeout: Duration.optional(),
    on_timeout: z.string().optional().describe("'fail' or a task id to jump to"),
    on_reject: z.enum(['revise', 'fail']).default('revise'),
    max_revisions: z.number().int().min(0).default(3),
  })
  .strict();

/** Fields every task has, whatever its type. */
export const commonTaskFields = {
  id: TaskId,
  description: z.string().optional(),
  with: Template.optional(),
  outputs: Template.optional(),
  if: Expression.optional(),
  on_success: Next.optional(),
  on_error: Next.optional(),
  final: z.boolean().optional(),
  retry: Retry.optional(),
  timeout: Duration.optional(),
  acceptance: Acceptance.optional(),
};

/** Names of the common fields, so orchestrators and the compiler can tell them from type fields. */
export const COMMON_TASK_FIELDS = new Set(['type', ...Object.keys(commonTaskFields)]);

export type RetrySpec = z.infer<typeof Retry>;
export type AcceptanceSpec = z.infer<typeof Acceptance>;

/** Parse a duration string to milliseconds. */
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`invalid duration '${text}': expected e.g. 250ms, 30s, 5m, 2h or 7d`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Math.round(Number(m[1]) * unit);
}
