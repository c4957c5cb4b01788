import { z } from 'zod';
import { Expression, jumpTarget, withRole, type NestedTasksRole } from '../../contract/fields';

/**
 * An inline route runs alone, as the next task of the router's sequence: its output is visible after
 * the router, and its `on_success`/`on_error` `next` name tasks of the router's sequence.
 */
const ROUTE: NestedTasksRole = { role: 'tasks', runs: 'each', exported: true, jumps: 'container' };

/** router: a route target is a task id to jump to, or an inline task run as the next task. */
export const routerFields = (task: z.ZodType) => ({
  condition: Expression.describe('expression whose value (as a string) picks the route'),
  routes: withRole(
    z
      .record(z.string(), z.union([jumpTarget(), task]))
      .refine(
        (r) => Object.keys(r).length > 0,
        'routes needs at least one route, e.g. `bug: fix-bug` (a task id) or `bug: { id: fix, tool: echo }`',
      ),
    ROUTE,
  ),
  default: withRole(z.union([jumpTarget(), task]), ROUTE).optional(),
});
export type RouterSpec = {
  condition: string;
  /** After compilation: route value → `{ goto: id }` or `{ inline: child index, next?, onError? }`. */
  routes: Record<string, RouteTarget>;
  default?: RouteTarget;
};
/**
 * A task id to jump to, or an inline task (an index into the router's children) with the tasks of the
 * router's sequence its `on_success.next` and `on_error.next` name.
 */
export type RouteTarget = { goto: string } | { inline: number; next?: string; onError?: string };
