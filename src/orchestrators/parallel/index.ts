import type { Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { combine, fail, stopOnFor } from '../shared';
import { parallelFields, type ParallelSpec } from './schema';

/** parallel: runs its tasks at once (at most `max_workers`), combined by `strategy`. */
export const parallel: Orchestrator<ParallelSpec> = {
  type: 'parallel',
  summary: 'Runs its tasks concurrently; output { <child id>: output } (race: the winner’s output).',
  fields: parallelFields,
  local: true,
  nested: ({ tasks, ...spec }: ParallelSpec & { tasks?: unknown[] }) => ({ spec, children: tasks ?? [] }),
  async start(ctx) {
    return {
      kind: 'children',
      runs: ctx.task.children.map((c, i) => ({ key: c.id, tasks: [i] })),
      maxConcurrency: ctx.spec.max_workers,
      stopOn: stopOnFor(ctx.spec.strategy),
      exportOutputs: true,
    };
  },
  async respond(ctx, response) {
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'parallel expected child results');
    return combine(
      ctx.spec.strategy,
      response.results,
      (r) => r.outputs[r.key] ?? null,
      (entries) => Object.fromEntries(entries.map(([r, out]) => [r.key, out])) as Json,
    );
  },
};
