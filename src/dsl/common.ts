/**
 * Zod pieces shared by the workflow document and every task type. Task-type fields live with their
 * orchestrator (`src/orchestrators/<type>/schema.ts`) and are assembled by `src/dsl/schema.ts`.
 */
import { z } from 'zod';

/** `30s`, `5m`, `2h`, `7d`, `250ms`. */
export const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'expected a duration such as 250ms, 30s, 5m, 2h or 7d');

const taskIdSchema = () =>
  z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, 'expected a task id: a letter, then letters, digits, - or _');

/** A task id: letters, digits, `-` and `_`. */
export const TaskId = taskIdSchema();

// ---- Field roles ---------------------------------------------------------------------------------
// What a type's fields mean for scoping and jumps. The DSL knows no task type: each type marks its own
// fields (in its schema.ts) and the checks, the compiler and the graph read the marks.

/** A field holding nested tasks, and how the container runs them. */
export interface NestedTasksRole {
  role: 'tasks';
  /**
   * `sequence`: one run walks the tasks in order (jumps allowed between them, later ones see earlier
   * ones); `each`: every task runs alone (a parallel branch, a route, the body of each item).
   */
  runs: 'sequence' | 'each';
  /** Their outputs are visible (`tasks.<id>`) to the tasks that run after the container. */
  exported: boolean;
  /** The container's own expression fields that also see these tasks' outputs (a loop's `until`). */
  visibleIn?: readonly string[];
}

/** A field naming a task to jump to, in the same sequence as the task. */
export interface JumpRole {
  role: 'jump';
  /** Values that are not task ids (`fail`). */
  except?: readonly string[];
}

/** A field whose value names a variable the container adds to its nested tasks' scope (`item_var`). */
export interface VariableRole {
  role: 'variable';
  /** The container's own expression fields that also see the variable (a collection's `filter`). */
  visibleIn?: readonly string[];
}

export type FieldRole = NestedTasksRole | JumpRole | VariableRole;

/** The registry of field roles, keyed by schema instance. */
export const fieldRoles = z.registry<FieldRole>();

/** Mark a (fresh) schema instance with a role; returns the schema. */
export function withRole<T extends z.ZodType>(schema: T, role: FieldRole): T {
  fieldRoles.add(schema, role);
  return schema;
}

/** A task id to jump to (a fresh instance, so marking it does not mark every `TaskId`). */
export const jumpTarget = (except?: readonly string[]) =>
  withRole(taskIdSchema(), { role: 'jump', ...(except ? { except } : {}) });

/** A JSONata expression, written bare (`input.n > 3`) or as one template (`{{ input.n > 3 }}`). */
export const Expression = z.string().min(1, 'expected an expression');

/** Any value; strings in it may hold `{{ }}` templates. */
export const Template = z.unknown();

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
    with: Template.optional().describe('its input (templates see `event` and the task scope); default: { event }'),
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

/** Parse a duration string to milliseconds. */
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`invalid duration '${text}': expected e.g. 250ms, 30s, 5m, 2h or 7d`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Math.round(Number(m[1]) * unit);
}
