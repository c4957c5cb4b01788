import type { Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { combine, combineTolerant, fail, stopFields } from '../shared';
import { checkTolerance, parallelFields, type ParallelSpec } from './schema';

/**
 * parallel: runs its tasks at once (at most `max_workers`), combined by `strategy`, or under
 * `tolerated_failures` (every branch runs; fails once more than that many failed).
 */
export const parallel: Orchestrator<ParallelSpec> = {
  type: 'parallel',
  summary: 'Runs its tasks concurrently; output { <child id>: output } (race: the winner’s output).',
  fields: parallelFields,
  check: checkTolerance,
  local: true,
  nested: ({ tasks, ...spec }: ParallelSpec & { tasks?: unknown[] }) => ({ spec, children: tasks ?? [] }),
  async start(ctx) {
    return {
      kind: 'children',
      runs: ctx.task.children.map((c, i) => ({ key: c.id, tasks: [i] })),
      maxConcurrency: ctx.spec.max_workers,
      ...stopFields(ctx.spec.strategy, ctx.spec.tolerated_failures, ctx.task.children.length),
      exportOutputs: true,
    };
  },
  async respond(ctx, response) {
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'parallel expected child results');
    const pick = (r: { key: string; outputs: Record<string, Json> }) => r.outputs[r.key] ?? null;
    const assemble = (entries: Array<[{ key: string }, Json]>) =>
      Object.fromEntries(entries.map(([r, out]) => [r.key, out])) as Json;
    const tolerance = ctx.spec.tolerated_failures;
    return tolerance === undefined
      ? combine(ctx.spec.strategy, response.results, pick, assemble)
      : combineTolerant(tolerance, response.results, pick, assemble, 'branches');
  },
};
