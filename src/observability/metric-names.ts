/**
 * Names of Flowstate's own metrics, exported next to Temporal's on the worker's Prometheus endpoint.
 * Imported by workflow interceptor code too: constants only.
 */

/**
 * Counter: a task began (its `task.started` event; a task run again for a revision counts again).
 * Tag `task_type`.
 */
export const TASKS_STARTED = 'flowstate_tasks_started';
/** Counter: a task produced its output (`task.completed`, and `task.skipped` by its `if`). Tag `task_type`. */
export const TASKS_COMPLETED = 'flowstate_tasks_completed';
/**
 * Counter: a task failed for good (`task.failed`), wherever it failed: its orchestrator, its last
 * allowed attempt, the server (a timeout), or the interpreter (a wait that timed out, a signal that
 * could not be sent). Tag `task_type`.
 */
export const TASKS_FAILED = 'flowstate_tasks_failed';
/** Counter: an attempt of a task threw and Temporal will retry it. Tag `task_type`. */
export const TASK_ATTEMPT_FAILURES = 'flowstate_task_attempt_failures';
/**
 * Histogram (seconds): from a gate opening on a task's output to the decision that closed it.
 * Tags `definition` and `decision` (`approve` or `reject`). Recorded by the workflow interceptor,
 * only when the decision is first processed (never on replay).
 */
export const GATE_WAIT_SECONDS = 'flowstate_gate_wait_seconds';

/** Gate waits range from seconds to days. */
export const GATE_WAIT_BUCKETS = [
  1,
  5,
  15,
  60,
  300,
  900,
  3_600,
  4 * 3_600,
  24 * 3_600,
  3 * 24 * 3_600,
  7 * 24 * 3_600,
];
