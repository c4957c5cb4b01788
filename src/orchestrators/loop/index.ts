import type { Directive, Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { done, fail, failWith } from '../shared';
import { loopFields, type LoopSpec } from './schema';

interface LoopState {
  passes: Array<Record<string, Json>>;
}

/**
 * loop: runs its tasks pass after pass until `until` is true (checked after each pass, seeing
 * `index` and the pass's `tasks.<id>`), at most `max_iterations` passes. Each pass sees the previous
 * pass's outputs as `previous`. Output: the array of pass outputs. When the passes run out with
 * `until` still false: fails with `MaxIterationsExceeded` (`on_exhausted: fail`, the default), or
 * succeeds with the passes run (`on_exhausted: continue`).
 */
export const loop: Orchestrator<LoopSpec> = {
  type: 'loop',
  summary: 'Repeats its tasks until `until` holds, at most `max_iterations` times.',
  fields: loopFields,
  expressionFields: ['until'],
  local: true,
  nested: ({ tasks, ...spec }: LoopSpec & { tasks?: unknown[] }) => ({ spec, children: tasks ?? [] }),
  start: async (ctx) => pass(ctx.task.children.length, { passes: [] }),
  async respond(ctx, response) {
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'loop expected a pass result');
    const [result] = response.results;
    if (result.status !== 'completed')
      return result.error ? failWith(result.error) : fail('Cancelled', 'cancelled');
    const state = response.state as unknown as LoopState;
    const passes = [...state.passes, result.outputs];
    const index = passes.length - 1;
    const tasks = {
      ...((ctx.scope.tasks as Record<string, unknown>) ?? {}),
      ...Object.fromEntries(Object.entries(result.outputs).map(([id, output]) => [id, { output }])),
    };
    const until = Boolean(await ctx.evaluate(ctx.spec.until, { index, tasks }));
    const events = [{ type: 'loop.pass' as const, data: { index, until } }];
    if (until) return { ...done(passes), events };
    if (passes.length >= ctx.spec.max_iterations) {
      if (ctx.spec.on_exhausted === 'continue') return { ...done(passes), events };
      return {
        events,
        ...fail(
          'MaxIterationsExceeded',
          `until (${ctx.spec.until}) was still false after max_iterations (${ctx.spec.max_iterations}) passes` +
            ' (on_exhausted: continue makes a loop that runs out succeed with its passes)',
        ),
      };
    }
    return { ...pass(ctx.task.children.length, { passes }), events };
  },
};

function pass(childCount: number, state: LoopState): Directive {
  const index = state.passes.length;
  return {
    kind: 'children',
    runs: [
      {
        key: String(index),
        segment: `[${index}]`,
        tasks: Array.from({ length: childCount }, (_, i) => i),
        vars: { index, previous: index > 0 ? state.passes[index - 1] : null },
      },
    ],
    state: state as unknown as Json,
  };
}
