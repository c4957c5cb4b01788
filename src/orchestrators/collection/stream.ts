/**
 * A collection over a paged source (`items_from`): pages are fetched by a tool, items handed out in
 * chunks of at most `buffer`, `batch` at a time. Backpressure: the source is asked for the next page
 * only once every fetched item has been handed out. The task runs isolated (its own child workflow
 * that continues as new), and its output is a summary plus the optional `reduce` accumulator.
 */
import type { ChildResult, Directive, Json } from '../../contract/directive';
import type { TaskContext } from '../../contract/orchestrator';
import { done, fail, firstFailure, failWith, stopOnFor } from '../shared';
import type { CollectionSpec } from './schema';

interface StreamState {
  cursor: Json;
  /** Fetched, not yet handed out. */
  pending: Json[];
  next: number;
  pages: number;
  completed: number;
  failed: number;
  peak: number;
  acc: Json;
  startedMs: number;
  errors: Json[];
}

type Ctx = TaskContext<CollectionSpec>;

type PagedSource = { tool: string; with?: unknown; items: string; cursor: string };
type SignalSource = { signal: string; until: string };
const signalSource = (ctx: Ctx): SignalSource | undefined =>
  ctx.spec.items_from && 'signal' in ctx.spec.items_from ? ctx.spec.items_from : undefined;

async function fetchPage(ctx: Ctx, state: StreamState): Promise<StreamState> {
  const from = ctx.spec.items_from as PagedSource;
  const input =
    from.with === undefined
      ? { cursor: state.cursor }
      : await ctx.render(from.with, { cursor: state.cursor });
  const output = await ctx.tools.call(from.tool, input, { taskPath: ctx.task.path, run: ctx.run });
  const items = await ctx.evaluate(from.items, { output });
  if (!Array.isArray(items)) {
    const got = items === null ? 'null' : typeof items;
    // Loaded when thrown: `validate` loads the task types but never runs them (start-up budget).
    const { ApplicationFailure } = require('@temporalio/common') as typeof import('@temporalio/common');
    throw ApplicationFailure.create({
      type: 'ItemsNotArray',
      message: `items_from.items (${from.items}) gave ${got}, not an array`,
      nonRetryable: true,
    });
  }
  const cursor = ((await ctx.evaluate(from.cursor, { output })) ?? null) as Json;
  const pending = [...state.pending, ...(items as Json[])];
  return { ...state, cursor, pending, pages: state.pages + 1, peak: Math.max(state.peak, pending.length) };
}

/**
 * Hand out the next chunk. A paged source is asked for a page only when nothing is pending; a signal
 * source waits for signals until `buffer` items are pending or the `until` signal came (cursor: 'end').
 */
async function advance(ctx: Ctx, state: StreamState, isolate: boolean): Promise<Directive> {
  const signals = signalSource(ctx);
  const limit = ctx.spec.buffer ?? 1_000;
  if (signals) {
    if (state.cursor !== 'end' && state.pending.length < limit) {
      return {
        kind: 'await_signal',
        signal: signals.signal,
        ...(isolate ? { isolate: true } : {}),
        state: state as unknown as Json,
      };
    }
  } else {
    while (state.pending.length === 0 && (state.pages === 0 || state.cursor !== null))
      state = await fetchPage(ctx, state);
  }
  if (state.pending.length === 0) return finish(ctx, state);
  const size = Math.min(limit, state.pending.length);
  const chunk = state.pending.slice(0, size);
  const body = ctx.task.children.map((_, i) => i);
  const runs = chunk.map((item, k) => {
    const index = state.next + k;
    return {
      key: String(index),
      segment: `[${index}]`,
      anonymous: ctx.spec.body === 'single',
      tasks: body,
      vars: { [ctx.spec.item_var]: item, [ctx.spec.index_var]: index },
    };
  });
  const seconds = Math.max(0.001, (Date.now() - state.startedMs) / 1000);
  return {
    kind: 'children',
    runs,
    maxConcurrency: ctx.spec.batch,
    stopOn: stopOnFor(ctx.spec.strategy),
    ...(isolate ? { isolate: true } : {}),
    events: [
      {
        type: 'stream.progress',
        data: {
          done: state.completed + state.failed,
          pages: state.pages,
          buffered: state.pending.length,
          items_per_s: Math.round((state.completed + state.failed) / seconds),
        },
      },
    ],
    state: { ...state, pending: state.pending.slice(size), next: state.next + size } as unknown as Json,
  };
}

function finish(ctx: Ctx, state: StreamState): Directive {
  const seconds = Math.max(0.001, (Date.now() - state.startedMs) / 1000);
  const summary: Record<string, Json> = {
    count: state.completed + state.failed,
    completed: state.completed,
    failed: state.failed,
    pages: state.pages,
    peak_buffer: state.peak,
    items_per_s: Math.round((state.completed + state.failed) / seconds),
    ...(state.errors.length ? { errors: state.errors } : {}),
    ...(ctx.spec.reduce !== undefined ? { result: state.acc } : {}),
  };
  return {
    ...done(summary),
    events: [
      {
        type: 'stream.progress',
        data: { done: summary.count, pages: state.pages, buffered: 0, items_per_s: summary.items_per_s },
      },
    ],
  };
}

/** First call of a streaming collection: render the source, fetch the first page, run its items. */
export async function startStream(ctx: Ctx): Promise<Directive> {
  const initial = ctx.spec.initial === undefined ? null : ((await ctx.render(ctx.spec.initial)) as Json);
  const state: StreamState = {
    cursor: null,
    pending: [],
    next: 0,
    pages: 0,
    completed: 0,
    failed: 0,
    peak: 0,
    acc: initial,
    startedMs: Date.now(),
    errors: [],
  };
  return advance(ctx, state, true);
}

/** After a page's items ran: fetch the next page, or finish with the stream's summary. */
export async function respondStream(ctx: Ctx, results: ChildResult[], raw: Json): Promise<Directive> {
  const state = raw as unknown as StreamState;
  const failedRuns = results.filter((r) => r.status !== 'completed');
  if (failedRuns.length > 0 && ctx.spec.strategy !== 'best_effort') {
    const failure = firstFailure(results);
    return failure?.error
      ? failWith(failure.error)
      : fail('Cancelled', 'a chunk of the stream was cancelled');
  }
  const only = ctx.task.children[0]?.id;
  const outputs = results
    .filter((r) => r.status === 'completed')
    .map((r) => (ctx.spec.body === 'single' ? (r.outputs[only] ?? null) : (r.outputs as Json)));
  const acc =
    ctx.spec.reduce === undefined
      ? state.acc
      : ((await ctx.evaluate(ctx.spec.reduce, { acc: state.acc, results: outputs })) as Json);
  const errors = [
    ...state.errors,
    ...failedRuns
      .slice(0, Math.max(0, 20 - state.errors.length))
      .map((r) => ({ key: r.key, ...(r.error ?? { type: 'Cancelled' }) }) as Json),
  ];
  return advance(
    ctx,
    {
      ...state,
      acc,
      errors,
      completed: state.completed + outputs.length,
      failed: state.failed + failedRuns.length,
    },
    false,
  );
}

/** A signal arrived for a signal source: an item, or the end of the stream when `until` holds. */
export async function receiveItem(ctx: Ctx, payload: Json, raw: Json): Promise<Directive> {
  const state = raw as unknown as StreamState;
  const source = signalSource(ctx)!;
  if (await ctx.evaluate(source.until, { signal: payload }))
    return advance(ctx, { ...state, cursor: 'end' }, false);
  const pending = [...state.pending, payload];
  return advance(ctx, { ...state, pending, peak: Math.max(state.peak, pending.length) }, false);
}
