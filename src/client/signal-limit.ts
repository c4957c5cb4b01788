/**
 * Temporal refuses signals to a run past 10,000 ("exceeded workflow execution limit for signal
 * events"). A Flowstate run waiting at a top-level task continues as new well before that, but under
 * a flood of signals the server holds the continue-as-new back until the signals stop coming (each
 * new one fails the workflow task that would close the run). So a signal refused for the limit is
 * sent again for a while: the run's next execution takes it.
 */
import { ServiceError } from '@temporalio/client';

/** How long a signal refused for the per-run limit is retried. */
export const SIGNAL_LIMIT_RETRY_MS = 60_000;

/** True when the server refused a signal for the run's signal limit. */
export function isSignalLimit(e: unknown): boolean {
  const cause = (e as ServiceError | undefined)?.cause as { details?: string } | undefined;
  return e instanceof ServiceError && /limit for signal events/.test(cause?.details ?? '');
}

/**
 * `send`, again every half second while the server refuses it for the run's signal limit, for up to
 * `SIGNAL_LIMIT_RETRY_MS`; then the refusal, saying what it means.
 */
export async function retryPastSignalLimit(
  send: () => Promise<void>,
  workflowId: string,
  retryMs = SIGNAL_LIMIT_RETRY_MS,
): Promise<void> {
  const until = Date.now() + retryMs;
  for (;;) {
    try {
      return await send();
    } catch (e) {
      if (!isSignalLimit(e)) throw e;
      if (Date.now() >= until) {
        throw new ServiceError(
          `Failed to signal Workflow: ${workflowId} has had Temporal's maximum of signals (10,000 a run) and has not continued as new in ${retryMs / 1000} s (a run continues as new only while its one running task is a top-level wait)`,
          (e as ServiceError).cause ? { cause: (e as ServiceError).cause! } : undefined,
        );
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}
