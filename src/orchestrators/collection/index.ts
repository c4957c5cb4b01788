import type { ChildRun, Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { combine, combineTolerant, done, fail, stopFields } from '../shared';
import { checkCollection, collectionFields, type CollectionSpec } from './schema';
import { receiveItem, respondStream, startStream } from './stream';

/**
 * collection: runs its body once per item of `items` (after `filter`), in parallel (at most `batch`
 * at once) or in sequence. Output: an array in item order, whatever the completion order.
 */
export const collection: Orchestrator<CollectionSpec> = {
  type: 'collection',
  summary: 'Runs its task (or tasks) once per item; output: array in item order.',
  fields: collectionFields,
  check: checkCollection,
  expressionFields: ['items', 'filter', 'key', 'reduce'],
  local: true,
  nested(spec) {
    const { task, tasks, ...rest } = spec as CollectionSpec & { task?: unknown; tasks?: unknown[] };
    return task !== undefined
      ? { spec: { ...rest, body: 'single' }, children: [task] }
      : { spec: { ...rest, body: 'multi' }, children: tasks ?? [] };
  },
  async start(ctx) {
    const { spec } = ctx;
    if (spec.items_from) return startStream(ctx);
    const items = await ctx.evaluate(spec.items as string);
    if (!Array.isArray(items)) {
      const got = items === null ? 'null' : typeof items;
      return fail('ItemsNotArray', `items (${spec.items}) gave ${got}, not an array`);
    }
    const runs: ChildRun[] = [];
    const seen = new Set<string>();
    const body = ctx.task.children.map((_, i) => i);
    for (let index = 0; index < items.length; index++) {
      const vars = { [spec.item_var]: items[index] as Json, [spec.index_var]: index };
      if (spec.filter !== undefined && !(await ctx.evaluate(spec.filter, vars))) continue;
      let key =
        spec.key !== undefined ? String(await ctx.evaluate(spec.key, vars)) : defaultKey(items[index], index);
      // Keys name task paths (and idempotency keys): keep suffixing until this one is unique.
      for (let n = index; seen.has(key); n++) key = `${key}#${n}`;
      seen.add(key);
      runs.push({ key, segment: `[${key}]`, anonymous: spec.body === 'single', tasks: body, vars });
    }
    const sequential = spec.mode === 'sequential';
    return {
      kind: 'children',
      runs,
      maxConcurrency: sequential ? 1 : spec.batch,
      ...stopFields(spec.strategy, spec.tolerated_failures, runs.length, sequential),
    };
  },
  async respond(ctx, response) {
    if (ctx.spec.items_from && response.kind === 'signal')
      return receiveItem(ctx, response.payload, response.state ?? null);
    if (response.kind !== 'children') return fail('UnexpectedResponse', 'collection expected item results');
    if (ctx.spec.items_from) return respondStream(ctx, response.results, response.state ?? null);
    const only = ctx.task.children[0]?.id;
    const pick = (r: { outputs: Record<string, Json> }): Json =>
      ctx.spec.body === 'single' ? (r.outputs[only] ?? null) : r.outputs;
    if (response.results.length === 0) return done([]);
    const assemble = (entries: Array<[unknown, Json]>) => entries.map(([, out]) => out);
    const tolerance = ctx.spec.tolerated_failures;
    return tolerance === undefined
      ? combine(ctx.spec.strategy, response.results, pick, assemble)
      : combineTolerant(tolerance, response.results, pick, assemble, 'items');
  },
};

/** An item's name in task paths: its `id` or `name` when it has a plain one, else its index. */
function defaultKey(item: unknown, index: number): string {
  if (item !== null && typeof item === 'object') {
    for (const field of ['id', 'name', 'key']) {
      const v = (item as Record<string, unknown>)[field];
      if ((typeof v === 'string' && /^[\w.-]{1,64}$/.test(v)) || typeof v === 'number') return String(v);
    }
  }
  return String(index);
}
