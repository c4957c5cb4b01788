/**
 * Fan-outs: the child runs of a `children` directive (parallel branches, collection items, loop
 * passes), at most `maxConcurrency` at once, each in its own cancellation scope so `stopOn` can cancel
 * the rest. Many runs go to batch child workflows (`interpretRuns`) so no single history grows past
 * Temporal's limits. Deterministic code only.
 */
import {
  CancellationScope,
  ChildWorkflowFailure,
  executeChild,
  isCancellation,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledTask } from '../contract/compiled';
import type { ChildResult, ChildRun, ChildrenDirective, Json } from '../contract/directive';
import type { BatchResult, RunBase, RunsInput } from './child-workflows';
import type { EventStream } from './events';
import { BATCH_WORKFLOW_TYPE } from './api';
import { TaskFailed } from './failures';
import { runPool, type PoolOptions } from './pool';
import type { Reuse } from './reuse';
import { snapshotFor, type Frame } from './scope';
import { FailureBoard, reportFailure, stopRunsSignal, type BatchWatch, type Stopper } from './tolerance';

export { meets, runPool } from './pool';

/** Runs of one children directive above this many go to batch child workflows. */
export const INLINE_RUNS = 200;
/** Runs per batch child workflow. */
export const BATCH_RUNS = 500;
/**
 * Runs under way at once in a batch child workflow when `max_workers` sets no bound: what one workflow
 * task may start or finish. The server buffers the events that arrive while a workflow task runs and,
 * past 100 (`history.maximumBufferedEventsBatch`), fails that task (FORCE_CLOSE_COMMAND); a finished
 * activity brings two. A worker runs 100 activities at once by default: more lanes only queue.
 */
export const BATCH_LANES = 40;

/** The runs of a fan-out and how they run. */
export type FanOutRuns = Pick<ChildrenDirective, 'runs' | 'maxConcurrency' | 'stopOn' | 'maxFailures'> & {
  /** A batch of a tolerant fan-out: report failures to this parent workflow (batch `batch` of `path`). */
  report?: { workflowId: string; path: string; batch: number };
};

/** Walk a sequence of tasks in a frame (the walker's `walk`). */
export type Walk = (tasks: CompiledTask[], frame: Frame, prefix: string, anonymous: boolean) => Promise<Json>;

/** How the runs of a large fan-out are split into batch child workflows. */
export interface BatchPlan {
  batches: ChildRun[][];
  /** `maxConcurrency` inside each batch. */
  inner?: number;
  /** How many batches run at once. */
  lanes: number;
}

/** Performs `children` directives: runs in a pool, `stopOn` cancellation, batch child workflows past INLINE_RUNS. */
export class FanOut {
  /** Failures reported by batch children, per fan-out path. */
  private readonly board = new FailureBoard();

  constructor(
    private readonly base: RunBase,
    private readonly events: EventStream,
    private readonly walk: Walk,
    /** In a redrive: what batch children reuse, and where the paths they reused are listed. */
    private readonly reuse?: Reuse,
  ) {}

  /** Run child sequences inline, or in batch child workflows when there are many. */
  run(task: CompiledTask, d: FanOutRuns, frame: Frame, path: string): Promise<ChildResult[]> {
    return d.runs.length > INLINE_RUNS
      ? this.runBatches(task, d, frame, path)
      : this.runInline(task, d, frame, path);
  }

  /** Run child sequences in this workflow, at most `maxConcurrency` at once. */
  runInline(
    task: CompiledTask,
    d: FanOutRuns,
    frame: Frame,
    path: string,
    stopper?: Stopper,
  ): Promise<ChildResult[]> {
    let failed = 0;
    const options: PoolOptions = {
      maxFailures: d.maxFailures,
      control: (stop) => {
        if (!stopper) return;
        stopper.stop = stop;
        if (stopper.requested) stop();
      },
    };
    return runPool(
      d.runs.length,
      d.maxConcurrency,
      d.stopOn,
      async (i, scope) => {
        const run = d.runs[i];
        this.events.emit('child.started', path, { key: run.key });
        const result = await this.runChild(
          task,
          run,
          frame.child(run.vars ?? {}),
          path + (run.segment ?? ''),
          scope,
        );
        this.events.emit('child.finished', path, { key: run.key, status: result.status });
        if (d.report && result.status === 'failed') await reportFailure(d.report, ++failed, result);
        return [result];
      },
      options,
    ).then((results) => results.map((r, i) => r ?? cancelledRun(d.runs[i].key)));
  }

  /** Many runs: batches of `BATCH_RUNS` in child workflows, `max_workers` split so the total holds. */
  private async runBatches(
    task: CompiledTask,
    d: FanOutRuns,
    frame: Frame,
    path: string,
  ): Promise<ChildResult[]> {
    const { batches, inner, lanes } = batchPlan(d.runs, d.maxConcurrency);
    const snapshot = snapshotFor(task.children, frame);
    const { workflowId } = workflowInfo();
    const childId = (b: number) => `${workflowId}/${path}#${b}`;
    const perBatch: ChildResult[][] = [];
    const watch = d.maxFailures === undefined ? undefined : this.board.watch(path, d.maxFailures);
    const redrives = batches.map((runs) => this.reuse?.forBatch(task, runs, path));
    await runPool(
      batches.length,
      lanes,
      d.stopOn,
      async (b, scope) => {
        const args: RunsInput = {
          base: this.base,
          task,
          runs: batches[b],
          maxConcurrency: inner,
          stopOn: d.stopOn,
          prefix: path,
          frame: snapshot,
          ...(d.maxFailures === undefined
            ? {}
            : { maxFailures: d.maxFailures, report: { workflowId, path, batch: b } }),
          ...(redrives[b] ? { redrive: redrives[b] } : {}),
        };
        perBatch[b] = await this.runBatch(args, childId(b), scope, path, watch && { b, watch });
        return perBatch[b];
      },
      watch?.options,
    );
    this.board.forget(path);
    return batches.flatMap((batch, b) => perBatch[b] ?? batch.map((r) => cancelledRun(r.key)));
  }

  /**
   * One batch child workflow; a cancelled or failed one gives a result per run. Watched (tolerated
   * failures), it is started first so the watch can tell it to stop.
   */
  private async runBatch(
    args: RunsInput,
    workflowId: string,
    scope: CancellationScope,
    path: string,
    watched?: { b: number; watch: BatchWatch },
  ): Promise<ChildResult[]> {
    const run = async (): Promise<BatchResult[]> => {
      if (!watched) return executeChild(BATCH_WORKFLOW_TYPE, { args: [args], workflowId });
      const child = await startChild(BATCH_WORKFLOW_TYPE, { args: [args], workflowId });
      watched.watch.started(watched.b, () => child.signal(stopRunsSignal));
      try {
        return await child.result();
      } finally {
        watched.watch.finished(watched.b);
      }
    };
    // In a redrive, the paths the batch reused are this run's too; the orchestrator gets the results.
    const adopt = (results: BatchResult[]): ChildResult[] =>
      results.map(({ reused, ...r }) => {
        if (reused) this.reuse?.adopt(reused);
        return r;
      });
    try {
      return adopt(await scope.run(run));
    } catch (e) {
      if (isCancellation(e) && !CancellationScope.current().consideredCancelled) {
        return args.runs.map((r) => cancelledRun(r.key));
      }
      if (!(e instanceof ChildWorkflowFailure)) throw e;
      const error = { type: 'BatchFailed', message: (e.cause ?? e).message, task: path };
      return args.runs.map((r) => ({ key: r.key, status: 'failed' as const, outputs: {}, error }));
    }
  }

  /** Walk one child run in its scope; a failed or cancelled run is a result, not an error. */
  private async runChild(
    task: CompiledTask,
    run: ChildRun,
    frame: Frame,
    prefix: string,
    scope: CancellationScope,
  ): Promise<ChildResult> {
    const tasks = run.tasks.map((i) => task.children[i]);
    const outputs = () => Object.fromEntries(frame.outputs);
    try {
      await scope.run(() => this.walk(tasks, frame, prefix, run.anonymous === true && tasks.length === 1));
      return { key: run.key, status: 'completed', outputs: outputs() };
    } catch (e) {
      if (e instanceof TaskFailed) {
        return { key: run.key, status: 'failed', outputs: outputs(), error: e.error };
      }
      if (isCancellation(e) && !CancellationScope.current().consideredCancelled) {
        return { ...cancelledRun(run.key), outputs: outputs() };
      }
      throw e;
    }
  }
}

/** Batches of `BATCH_RUNS` runs; `maxConcurrency` split between and inside them so the total holds. */
export function batchPlan(runs: ChildRun[], maxConcurrency?: number): BatchPlan {
  const batches: ChildRun[][] = [];
  for (let i = 0; i < runs.length; i += BATCH_RUNS) batches.push(runs.slice(i, i + BATCH_RUNS));
  const inner = maxConcurrency === undefined ? undefined : Math.min(maxConcurrency, BATCH_RUNS);
  const lanes =
    maxConcurrency === undefined ? batches.length : Math.max(1, Math.floor(maxConcurrency / BATCH_RUNS));
  return { batches, inner, lanes };
}

function cancelledRun(key: string): ChildResult {
  return { key, status: 'cancelled', outputs: {} };
}
