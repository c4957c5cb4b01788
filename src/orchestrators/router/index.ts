import type { Orchestrator } from '../../contract/orchestrator';
import { done, fail, failWith } from '../shared';
import { routerFields, type RouteTarget, type RouterSpec } from './schema';

/** What the router remembers while its inline route runs: the route, and where the route's jumps go. */
interface RouteState {
  route: string;
  next?: string;
  onError?: string;
}

/**
 * router: evaluates `condition` and follows the route whose key equals its value (as a string), or
 * `default`. A task id is jumped to; an inline task runs as the next task, and its `on_success.next`
 * / `on_error.next` (tasks of the router's sequence) are where the walk goes after it. Output:
 * `{ route }`.
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
      // The route runs as the next task of the router's sequence: the router performs its jumps.
      const { on_success, on_error } = t as { on_success?: { next: string }; on_error?: { next: string } };
      return {
        inline: children.length - 1,
        ...(on_success ? { next: on_success.next } : {}),
        ...(on_error ? { onError: on_error.next } : {}),
      };
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
    const jumps = {
      ...(target.next ? { next: target.next } : {}),
      ...(target.onError ? { onError: target.onError } : {}),
    };
    return {
      kind: 'children',
      events,
      runs: [{ key: route, tasks: [target.inline] }],
      exportOutputs: true,
      state: { route, ...jumps },
    };
  },
  async respond(_ctx, response) {
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'router expected its route’s result');
    const [result] = response.results;
    const state = response.state as unknown as RouteState;
    if (result.status !== 'completed') {
      const failure = result.error ? failWith(result.error) : fail('Cancelled', 'route cancelled');
      // The route's on_error names a task of the router's sequence: the walk goes there with `error`.
      return state.onError && failure.kind === 'fail' ? { ...failure, next: state.onError } : failure;
    }
    return done({ route: state.route }, state.next);
  },
};
