import type { Orchestrator } from '../../contract/orchestrator';
import { done, fail, failWith } from '../shared';
import { compositeFields, type CompositeSpec } from './schema';

/** composite: runs its tasks in order in one shared scope; output `{ <child id>: output }`. */
export const composite: Orchestrator<CompositeSpec> = {
  type: 'composite',
  summary: 'Runs its tasks in order, sharing a scope; output { <child id>: output }.',
  fields: compositeFields,
  local: true,
  nested: ({ tasks, ...spec }: CompositeSpec & { tasks?: unknown[] }) => ({ spec, children: tasks ?? [] }),
  async start(ctx) {
    return {
      kind: 'children',
      runs: [{ key: ctx.task.id, tasks: ctx.task.children.map((_, i) => i) }],
      exportOutputs: true,
    };
  },
  async respond(_ctx, response) {
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'composite expected its result');
    const [result] = response.results;
    if (result.status !== 'completed')
      return result.error ? failWith(result.error) : fail('Cancelled', 'cancelled');
    return done(result.outputs);
  },
};
