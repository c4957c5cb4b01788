/**
 * The workflow tasks of a history, read from its events: how long each took on the worker
 * (`WorkflowTaskStarted` → its completion, failure or timeout), which went over a limit, and which
 * failed or timed out. For the bench and the tests: "no workflow task over 1 s, none failed".
 */
import { temporal } from '@temporalio/proto';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType } = temporal.api.enums.v1;

/** One workflow task that went wrong or took too long, by the event id of its `WorkflowTaskStarted`. */
export interface WorkflowTaskIssue {
  startedEventId: number;
  /** Time on the worker, from the server's event times (undefined when it never ended in this history). */
  ms?: number;
  /** `failed` (with the cause, e.g. `NonDeterministicError`), `timed_out`, or `slow` (over the limit). */
  kind: 'failed' | 'timed_out' | 'slow';
  cause?: string;
  message?: string;
}

/** What `scanWorkflowTasks` found in one history. */
export interface WorkflowTaskScan {
  /** Workflow tasks that reached the worker (a `WorkflowTaskStarted` each). */
  tasks: number;
  /** Sum of their times on the worker, ms. */
  totalMs: number;
  /** The longest one, ms. */
  maxMs: number;
  /** Failed, timed out, and over `limitMs`, in history order. */
  issues: WorkflowTaskIssue[];
}

/** Milliseconds since the epoch of an event, from its server time. */
export function eventTimeMs(e: HistoryEvent): number {
  const t = e.eventTime;
  return Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
}

/**
 * Scan a history's workflow tasks: each task's time from `WorkflowTaskStarted` to the event that ended
 * it; those over `limitMs` (default 1,000) are `slow`; `WorkflowTaskFailed` and `WorkflowTaskTimedOut`
 * are always reported (a schedule-to-start timeout has no started event: its scheduled id is given).
 */
export function scanWorkflowTasks(events: HistoryEvent[], limitMs = 1000): WorkflowTaskScan {
  const startedAt = new Map<number, number>();
  const scan: WorkflowTaskScan = { tasks: 0, totalMs: 0, maxMs: 0, issues: [] };
  const end = (startedId: number, e: HistoryEvent): number | undefined => {
    const t = startedAt.get(startedId);
    if (t === undefined) return undefined;
    const ms = eventTimeMs(e) - t;
    scan.totalMs += ms;
    scan.maxMs = Math.max(scan.maxMs, ms);
    return ms;
  };
  for (const e of events) {
    const id = Number(e.eventId ?? 0);
    switch (e.eventType) {
      case EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED:
        scan.tasks++;
        startedAt.set(id, eventTimeMs(e));
        break;
      case EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED: {
        const startedEventId = Number(e.workflowTaskCompletedEventAttributes?.startedEventId ?? 0);
        const ms = end(startedEventId, e);
        if (ms !== undefined && ms > limitMs) scan.issues.push({ startedEventId, ms, kind: 'slow' });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED: {
        const a = e.workflowTaskFailedEventAttributes;
        const startedEventId = Number(a?.startedEventId ?? 0);
        const cause = a?.cause == null ? undefined : temporal.api.enums.v1.WorkflowTaskFailedCause[a.cause];
        scan.issues.push({
          startedEventId,
          ms: end(startedEventId, e),
          kind: 'failed',
          ...(cause ? { cause } : {}),
          ...(a?.failure?.message ? { message: a.failure.message } : {}),
        });
        break;
      }
      case EventType.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT: {
        const a = e.workflowTaskTimedOutEventAttributes;
        const startedEventId = Number(a?.startedEventId ?? a?.scheduledEventId ?? 0);
        const cause = a?.timeoutType == null ? undefined : temporal.api.enums.v1.TimeoutType[a.timeoutType];
        scan.issues.push({
          startedEventId,
          ms: end(startedEventId, e),
          kind: 'timed_out',
          ...(cause ? { cause } : {}),
        });
        break;
      }
      default:
        break;
    }
  }
  return scan;
}
