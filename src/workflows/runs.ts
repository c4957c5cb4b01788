/**
 * `interpretRuns`: one batch of a large fan-out (a collection of thousands of items, a parallel of
 * hundreds of branches) in a child workflow of its own, so no single history grows past Temporal's
 * limits. It walks its runs exactly as the parent would inline, and has its own state query and
 * gates (decide them on this child run).
 */
import { patched } from '@temporalio/workflow';
import type { BatchResult, RunsInput } from './child-workflows';
import { BATCH_LANES } from './fan-out';
import { rootOf, runRoots } from './reuse';
import { listenForStop } from './tolerance';
import { installHandlers } from './handlers';
import { RunBook } from './run-book';
import { Frame } from './scope';
import { Walker } from './walker';

/** The workflow of one batch of a large fan-out: walk its runs, return their results. */
export async function interpretRuns(input: RunsInput): Promise<BatchResult[]> {
  const { definition } = input.base;
  // First: a tolerant fan-out's parent may tell this batch to stop before the walk begins.
  const stopper = input.report ? listenForStop() : undefined;
  const book = new RunBook(definition, input.redrive);
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
  if (!input.redrive) return results;
  // A redrive: say which paths under each run were reused, for the parent's `state`.
  const roots = new Map(
    input.runs.flatMap((run, i) => runRoots(input.task, run, input.prefix).map((r) => [r, i] as const)),
  );
  const reused: string[][] = input.runs.map(() => []);
  for (const path of book.reuse.reused) {
    const i = rootOf(path, roots);
    if (i !== undefined) reused[i].push(path);
  }
  return results.map((r, i) => (reused[i].length ? { ...r, reused: reused[i] } : r));
}
