import type { Orchestrator } from '../../contract/orchestrator';
import { done, fail, failWith } from '../shared';
import { routerFields, type RouteTarget, type RouterSpec } from './schema';

/**
 * router: evaluates `condition` and follows the route whose key equals its value (as a string), or
 * `default`. A task id is jumped to; an inline task runs as the next task. Output: `{ route }`.
 */
export const router: Orchestrator<RouterSpec> = {
  type: 'router',
  summary: 'Picks a route by the value of `condition`: jumps to a task or runs an inline one.',
  fields: routerFields,
  expressionFields: ['condition'],
  local: true,
  nested(spec) {
    const children: unknown[] = [];
    const target = (t: unknown): RouteTarget => {
      if (typeof t === 'string') return { goto: t };
      children.push(t);
      return { inline: children.length - 1 };
    };
    const raw = spec as unknown as { routes: Record<string, unknown>; default?: unknown };
    const routes = Object.fromEntries(Object.entries(raw.routes).map(([k, t]) => [k, target(t)]));
    const rest = { ...raw, routes, ...(raw.default !== undefined ? { default: target(raw.default) } : {}) };
    return { spec: rest, children };
  },
  async start(ctx) {
    const value = await ctx.evaluate(ctx.spec.condition);
    const key = typeof value === 'string' ? value : JSON.stringify(value);
    const [route, target] = Object.hasOwn(ctx.spec.routes, key)
      ? [key, ctx.spec.routes[key]]
      : ['default', ctx.spec.default];
    if (!target) {
      const known = Object.keys(ctx.spec.routes).join(', ');
      return fail(
        'NoRoute',
        `condition gave ${key}, which matches no route (routes: ${known}) and there is no default`,
      );
    }
    const events = [
      {
        type: 'branch.chosen' as const,
        data: { route, value: key, ...('goto' in target ? { next: target.goto } : {}) },
      },
    ];
    if ('goto' in target) return { ...done({ route }, target.goto), events };
    return {
      kind: 'children',
      events,
      runs: [{ key: route, tasks: [target.inline] }],
      exportOutputs: true,
      state: { route },
    };
  },
  async respond(_ctx, response) {
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'router expected its route’s result');
    const [result] = response.results;
    if (result.status !== 'completed')
      return result.error ? failWith(result.error) : fail('Cancelled', 'route cancelled');
    return done({ route: (response.state as { route: string }).route });
  },
};
