/**
 * Schema pieces every layer shares: durations, task ids, expressions, and the field roles a task type
 * uses to mark what its fields mean (nested tasks, jumps, variables). The DSL reads the marks; it
 * knows no task type. Imports nothing of the project.
 */
import { z } from 'zod';

/** `30s`, `5m`, `2h`, `7d`, `250ms`. */
export const Duration = z
  .string()
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, 'expected a duration such as 250ms, 30s, 5m, 2h or 7d');

/** A fresh task-id schema (fresh so marking one instance does not mark them all). */
export const taskIdSchema = () =>
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
  /**
   * `container`: these tasks run as the next task of the container's sequence (a router's inline
   * route), so their `on_success.next` and `on_error.next` name tasks of that sequence. The compiler
   * leaves those jumps out of the nested task; the container's orchestrator performs them.
   */
  jumps?: 'container';
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

/** Parse a duration string to milliseconds. */
export function durationMs(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text);
  if (!m) throw new Error(`invalid duration '${text}': expected e.g. 250ms, 30s, 5m, 2h or 7d`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as 'ms' | 's' | 'm' | 'h' | 'd'
  ];
  return Math.round(Number(m[1]) * unit);
}
