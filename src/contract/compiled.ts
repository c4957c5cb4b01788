/**
 * The compiled definition: plain JSON that travels in the workflow input, so a run is pinned to the
 * exact definition it began with. Imported by workflow code: types only.
 */
import type { Json } from './directive';

/** Retry policy of a task's `createTaskState` activity (Temporal's shape, durations in ms). */
export interface CompiledRetry {
  maximumAttempts: number;
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs?: number;
  nonRetryableErrorTypes: string[];
}

/** How the interpreter schedules `createTaskState` for one task. */
export interface CompiledExecution {
  /** Compute-only orchestrators run as local activities. */
  local: boolean;
  /** Per attempt. */
  startToCloseMs: number;
  /** The task's `timeout`, including retries. */
  scheduleToCloseMs?: number;
  /** Heartbeat timeout for long calls (remote activities only). */
  heartbeatMs?: number;
  retry: CompiledRetry;
}

export interface CompiledAcceptance {
  acceptors: string[];
  timeoutMs?: number;
  /** On timeout: jump to this task id, or fail when omitted. */
  onTimeout?: string;
  onReject: 'revise' | 'fail';
  maxRevisions: number;
  /** `allow_self_review: false`: the run's starter may not decide (absent: they may). */
  allowSelfReview?: false;
}

export interface CompiledTask {
  id: string;
  type: string;
  /** The task's own fields, validated, with defaults, nested tasks moved to `children`. */
  spec: Record<string, Json>;
  /** Nested tasks (parallel branches, a collection's body, inline routes...), in document order. */
  children: CompiledTask[];
  /**
   * Scope roots the task's own expressions read: `input`, `tasks.<id>`, `tasks` (all of them),
   * `item`, `index`, `signal`, `error`, `revision`, `workflow`, or a renamed item/index variable.
   */
  reads: string[];
  execution: CompiledExecution;
  /** `on_success.next`. */
  next?: string;
  /** `on_error.next`. */
  onError?: string;
  final?: boolean;
  acceptance?: CompiledAcceptance;
}

export interface CompiledDefinition {
  id: string;
  version: string;
  /** sha256 (hex) of the canonical document. */
  hash: string;
  description?: string;
  /** JSON Schema of the workflow input. */
  input?: Json;
  /**
   * The document's `output` template compiled as one more task (an `aggregate` whose `outputs` is the
   * template), run after the last task; absent: the run's output is the last task's output.
   */
  outputTask?: CompiledTask;
  tasks: CompiledTask[];
  /** The `hooks.on_complete` hook, run as one more task after the output (`event` in scope). */
  onComplete?: { task: CompiledTask; onError: 'ignore' | 'fail' };
  /** Where the definition came from (file path or `id@version`), for messages. */
  source?: string;
}
