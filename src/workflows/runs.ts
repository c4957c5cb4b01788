/**
 * `interpretRuns`: one batch of a large fan-out (a collection of thousands of items, a parallel of
 * hundreds of branches) in a child workflow of its own, so no single history grows past Temporal's
 * limits. It walks its runs exactly as the parent would inline, and has its own state query and
 * gates (decide them on this child run).
 */
import { patched } from '@temporalio/workflow';
import type { ChildResult } from '../contract/directive';
import type { RunsInput } from './child-workflows';
import { BATCH_LANES } from './fan-out';
import { listenForStop } from './tolerance';
import { installHandlers } from './handlers';
import { RunBook } from './run-book';
import { Frame } from './scope';
import { Walker } from './walker';

/** The workflow of one batch of a large fan-out: walk its runs, return their results. */
export async function interpretRuns(input: RunsInput): Promise<ChildResult[]> {
  const { definition } = input.base;
  // First: a tolerant fan-out's parent may tell this batch to stop before the walk begins.
  const stopper = input.report ? listenForStop() : undefined;
  const book = new RunBook(definition);
  installHandlers(book);
  const walker = new Walker(input.base, book);
  // Without max_workers, at most BATCH_LANES runs under way at once (all 500 before), so no workflow
  // task starts or finishes hundreds of runs: each stays well under a second.
  const bounded = input.maxConcurrency === undefined && patched('batch-runs-bounded-lanes');
  const runs = bounded ? { ...input, maxConcurrency: BATCH_LANES } : input;
  const results = await walker.fanOut.runInline(
    input.task,
    runs,
    Frame.fromSnapshot(input.frame),
    input.prefix,
    stopper,
  );
  book.status.finish('completed');
  return results;
}
