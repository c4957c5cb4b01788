import { z } from 'zod';
import { Expression, jumpTarget, withRole, type NestedTasksRole } from '../../contract/fields';

/** An inline route runs alone and its output is visible after the router. */
const ROUTE: NestedTasksRole = { role: 'tasks', runs: 'each', exported: true };

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
  /** After compilation: route value → `{ goto: id }` or `{ inline: child index }`. */
  routes: Record<string, RouteTarget>;
  default?: RouteTarget;
};
export type RouteTarget = { goto: string } | { inline: number };
