import { z } from 'zod';
import { TaskId, Expression } from '../../dsl/common';

/** router: a route target is a task id to jump to, or an inline task run as the next task. */
export const routerFields = (task: z.ZodType) => ({
  condition: Expression.describe('expression whose value (as a string) picks the route'),
  routes: z.record(z.string(), z.union([TaskId, task])).refine((r) => Object.keys(r).length > 0, 'routes may not be empty'),
  default: z.union([TaskId, task]).optional(),
});
export type RouterSpec = {
  condition: string;
  /** After compilation: route value → `{ goto: id }` or `{ inline: child index }`. */
  routes: Record<string, RouteTarget>;
  default?: RouteTarget;
};
export type RouteTarget = { goto: string } | { inline: number };
