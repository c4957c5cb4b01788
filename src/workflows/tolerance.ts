/**
 * `maxFailures` across batch child workflows: each batch reports its failures to the parent as they
 * happen; once more than `maxFailures` failed in all, the parent starts no more batches and tells the
 * running ones to stop, and they return their results (cancelled runs included) so counts stay exact.
 * Deterministic code only.
 */
import { defineSignal, getExternalWorkflowHandle, setHandler } from '@temporalio/workflow';
import type { ChildResult } from '../contract/directive';
import type { PoolOptions } from './pool';

/** A batch child tells its parent, after each failed run, how many of its runs failed so far. */
export const runsFailedSignal =
  defineSignal<[{ path: string; batch: number; failed: number }]>('flowstate.runs-failed');
/** The parent tells a batch child to cancel its runs (more failed than `maxFailures`, over all batches). */
export const stopRunsSignal = defineSignal('flowstate.runs-stop');

/** A stop requested from outside a pool, possibly before the pool exists (see `listenForStop`). */
export interface Stopper {
  requested: boolean;
  stop?: () => void;
}

/**
 * In a batch child of a tolerant fan-out, before any other handler: the parent's `stopRunsSignal`
 * stops the batch's pool (its runs are cancelled and reported back as such).
 */
export function listenForStop(): Stopper {
  const stopper: Stopper = { requested: false };
  setHandler(stopRunsSignal, () => {
    stopper.requested = true;
    stopper.stop?.();
  });
  return stopper;
}

/** What a parent does with the batch children of one tolerant fan-out. */
export interface BatchWatch {
  /** For the pool of batches: stopped by the failure reports, telling the live batches to stop. */
  options: PoolOptions;
  /** Batch `b` started; `signal` tells it to stop (at once when the fan-out already stopped). */
  started(b: number, signal: () => Promise<void>): void;
  finished(b: number): void;
}

/** The failure counts a parent keeps, per fan-out path: one signal handler for the whole run. */
export class FailureBoard {
  private readonly sinks = new Map<string, (batch: number, failed: number) => void>();

  /**
   * Watch the batches of the fan-out at `path`: stop the pool once more than `maxFailures` failed
   * over all of them, and tell every batch child still running, or starting later, to stop.
   */
  watch(path: string, maxFailures: number): BatchWatch {
    const failed = new Map<number, number>();
    const live = new Map<number, () => Promise<void>>();
    let stopped = false;
    let stop = () => {};
    const tell = (signal: () => Promise<void>) => void signal().catch(() => undefined); // it just finished
    setHandler(runsFailedSignal, ({ path: p, batch, failed: n }) => this.sinks.get(p)?.(batch, n));
    this.sinks.set(path, (batch, n) => {
      failed.set(batch, Math.max(n, failed.get(batch) ?? 0));
      if ([...failed.values()].reduce((sum, x) => sum + x, 0) > maxFailures) stop();
    });
    return {
      options: {
        control: (s) => (stop = s),
        onStop: () => {
          stopped = true;
          live.forEach(tell);
        },
      },
      started: (b, signal) => {
        live.set(b, signal);
        if (stopped) tell(signal);
      },
      finished: (b) => live.delete(b),
    };
  }

  /** The fan-out at `path` is over: later reports for it are ignored. */
  forget(path: string): void {
    this.sinks.delete(path);
  }
}

/** Report a batch's failed run to its parent (after each failure: `failed` is the batch's total). */
export async function reportFailure(
  report: { workflowId: string; path: string; batch: number },
  failed: number,
  result: ChildResult,
): Promise<void> {
  if (result.status !== 'failed') return;
  const { workflowId, path, batch } = report;
  await getExternalWorkflowHandle(workflowId).signal(runsFailedSignal, { path, batch, failed });
}
