/**
 * Zod pieces shared by the workflow document and every task type. Task-type fields live with their
 * orchestrator (`src/orchestrators/<type>/schema.ts`) and are assembled by `src/dsl/schema.ts`.
 */
import { z } from 'zod';
import { Duration, Expression, jumpTarget, TaskId, Template, withRole } from '../contract/fields';

export const Next = z.object({ next: jumpTarget() }).strict();

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
    on_timeout: withRole(z.string(), { role: 'jump', except: ['fail'] })
      .optional()
      .describe("'fail' or a task id to jump to"),
    on_reject: z.enum(['revise', 'fail']).default('revise'),
    max_revisions: z.number().int().min(0).default(3),
    allow_self_review: z
      .boolean()
      .optional()
      .describe("false: the run's starter (known from a token at start) may not decide this gate"),
  })
  .strict();

/**
 * A hook: a tool called at a point of a task's (or the run's) life with `event` in scope. A failing
 * hook is ignored (logged) unless `on_error: fail`; a `before_task` hook returning `{ skip: true }`
 * vetoes the task.
 */
export const Hook = z
  .object({
    tool: z.string().min(1).describe('tool to call'),
    with: Template.optional().describe(
      'its input (templates see `event` and the task scope); default: { event }',
    ),
    on_error: z.enum(['ignore', 'fail']).default('ignore'),
  })
  .strict();
export type HookSpec = z.infer<typeof Hook>;

/** Hooks of a task (or, at the workflow level, of every task). */
export const TaskHooks = z
  .object({ before_task: Hook.optional(), after_task: Hook.optional(), on_error: Hook.optional() })
  .strict();

/** Fields every task has, whatever its type. */
export const commonTaskFields = {
  id: TaskId.describe('unique in the whole definition'),
  description: z.string().optional(),
  with: Template.optional().describe("the task's input; strings may hold {{ }} templates"),
  outputs: Template.optional().describe(
    "shape of the task's output from `output` (the raw result); default: the raw result",
  ),
  if: Expression.optional().describe('expression; false skips the task (its output is null)'),
  on_success: Next.optional().describe('task of the same sequence to go to next'),
  on_error: Next.optional().describe('task of the same sequence to go to on failure; it sees `error`'),
  final: z.boolean().optional().describe('true ends the run after this task'),
  retry: Retry.optional().describe('retry policy of the task'),
  timeout: Duration.optional().describe('time for the task including retries, e.g. 30s, 5m, 2h, 7d'),
  acceptance: Acceptance.optional().describe("approval gate on the task's output"),
  hooks: TaskHooks.optional().describe('tools called before/after this task and on its error'),
};

/** Names of the common fields, so orchestrators and the compiler can tell them from type fields. */
export const COMMON_TASK_FIELDS = new Set(['type', ...Object.keys(commonTaskFields)]);

export type RetrySpec = z.infer<typeof Retry>;
export type AcceptanceSpec = z.infer<typeof Acceptance>;
