/**
 * A run's status. The run sets the first six; the client sets the last three from Temporal's own
 * status when Temporal closed the run without the run's code (`temporal workflow terminate`, a run
 * timeout, continue-as-new), since the run then could not say so itself. One list for the `state`
 * query's type, `flowstate list --status` and the console's filter.
 */
export const RUN_STATUSES = [
  'running',
  'waiting_acceptance',
  'paused',
  'completed',
  'failed',
  'cancelled',
  'terminated',
  'timed_out',
  'continued_as_new',
] as const;

export type RunStatus = (typeof RUN_STATUSES)[number];

/** The statuses of a run that has not ended: the run sets them, and only while Temporal runs it. */
export const OPEN_RUN_STATUSES: readonly RunStatus[] = ['running', 'waiting_acceptance', 'paused'];

/** Whether `status` is one of `OPEN_RUN_STATUSES`. */
export function isOpenRunStatus(status: string): boolean {
  return (OPEN_RUN_STATUSES as readonly string[]).includes(status);
}
