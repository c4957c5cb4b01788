/**
 * Flowstate's task counters and log fields, as an activity interceptor on `createTaskState`.
 *
 * Each `createTaskState` call carries the task (`task.type`) and its path, so the interceptor can
 * count tasks by type and outcome without the interpreter knowing about metrics, and add `taskPath`
 * and `taskType` to every log line the activity (and the SDK, about the activity) writes. Counters go
 * to the activity's `metricMeter`: exported when the Runtime has a metrics exporter, no-ops otherwise.
 */
import type { Context } from '@temporalio/activity';
import { ApplicationFailure, CancelledFailure, type RetryPolicy } from '@temporalio/common';
import type {
  ActivityExecuteInput,
  ActivityInboundCallsInterceptor,
  ActivityInterceptors,
  ActivityOutboundCallsInterceptor,
  Next,
} from '@temporalio/worker';
import { TASK_ATTEMPT_FAILURES, TASKS_COMPLETED, TASKS_FAILED, TASKS_STARTED } from './metric-names';

/** The activity this interceptor understands. */
export const CREATE_TASK_STATE = 'createTaskState';

/** What one `createTaskState` call is about. */
export interface TaskCall {
  type: string;
  path: string;
  /** True when the call hands back a response (children results, a signal): the task is under way. */
  responding: boolean;
}

/** The task a `createTaskState` argument names, or undefined for anything else. */
export function taskCallOf(arg: unknown): TaskCall | undefined {
  const a = arg as { task?: { type?: unknown }; path?: unknown; response?: unknown } | undefined;
  if (!a || typeof a.task?.type !== 'string' || typeof a.path !== 'string') return undefined;
  return { type: a.task.type, path: a.path, responding: a.response !== undefined };
}

/** How a call left the task: finished (`completed`/`failed`), still going, or an attempt to retry. */
export type CallOutcome = 'completed' | 'failed' | 'continues' | 'retrying' | 'cancelled';

/** A directive ends the task when it is `done` or `fail`; the others (children, waits, emits) continue it. */
export function outcomeOfDirective(directive: unknown): CallOutcome {
  const kind = (directive as { kind?: unknown } | undefined)?.kind;
  return kind === 'done' ? 'completed' : kind === 'fail' ? 'failed' : 'continues';
}

/**
 * Whether an error ends the task or Temporal retries it: non-retryable failures, error types the
 * retry policy lists, and the last allowed attempt end it. (A schedule-to-close timeout may also end
 * retries; that happens on the server and is not seen here.)
 */
export function outcomeOfError(
  error: unknown,
  info: { attempt: number; retryPolicy?: RetryPolicy },
  aborted = false,
): CallOutcome {
  const err = error as Error | undefined;
  if (aborted || error instanceof CancelledFailure || err?.name === 'AbortError') return 'cancelled';
  if (error instanceof ApplicationFailure && error.nonRetryable) return 'failed';
  const type = error instanceof ApplicationFailure ? (error.type ?? err?.name) : err?.name;
  if (type && info.retryPolicy?.nonRetryableErrorTypes?.includes(type)) return 'failed';
  const max = info.retryPolicy?.maximumAttempts;
  if (max !== undefined && max > 0 && info.attempt >= max) return 'failed';
  return 'retrying';
}

const COUNTER_BY_OUTCOME: Partial<Record<CallOutcome, string>> = {
  completed: TASKS_COMPLETED,
  failed: TASKS_FAILED,
  retrying: TASK_ATTEMPT_FAILURES,
};

const DESCRIPTIONS: Record<string, string> = {
  [TASKS_STARTED]: 'Flowstate tasks started, by task type',
  [TASKS_COMPLETED]: 'Flowstate tasks completed, by task type',
  [TASKS_FAILED]: 'Flowstate tasks failed for good, by task type',
  [TASK_ATTEMPT_FAILURES]: 'Flowstate task attempts that failed and will be retried, by task type',
};

class TaskMetricsInbound implements ActivityInboundCallsInterceptor {
  constructor(
    private readonly ctx: Context,
    private readonly state: { call?: TaskCall },
  ) {}

  async execute(
    input: ActivityExecuteInput,
    next: Next<ActivityInboundCallsInterceptor, 'execute'>,
  ): Promise<unknown> {
    const call = this.ctx.info.activityType === CREATE_TASK_STATE ? taskCallOf(input.args[0]) : undefined;
    if (!call) return next(input);
    this.state.call = call;
    const count = (name: string | undefined) => {
      if (name)
        this.ctx.metricMeter
          .createCounter(name, undefined, DESCRIPTIONS[name])
          .add(1, { task_type: call.type });
    };
    if (!call.responding && this.ctx.info.attempt === 1) count(TASKS_STARTED);
    let result: unknown;
    try {
      result = await next(input);
    } catch (e) {
      count(COUNTER_BY_OUTCOME[outcomeOfError(e, this.ctx.info, this.ctx.cancellationSignal.aborted)]);
      throw e;
    }
    const outcome = outcomeOfDirective(result);
    count(COUNTER_BY_OUTCOME[outcome]);
    this.ctx.log.debug(
      `task ${outcome === 'continues' ? `answered ${String((result as { kind?: unknown }).kind)}` : outcome}`,
    );
    return result;
  }
}

class TaskLogAttributes implements ActivityOutboundCallsInterceptor {
  constructor(private readonly state: { call?: TaskCall }) {}

  getLogAttributes(
    input: Record<string, unknown>,
    next: Next<ActivityOutboundCallsInterceptor, 'getLogAttributes'>,
  ): Record<string, unknown> {
    const call = this.state.call;
    return next(call ? { ...input, taskPath: call.path, taskType: call.type } : input);
  }
}

/**
 * Activity interceptors factory for `WorkerOptions.interceptors.activity`: task counters by type and
 * outcome, and `taskPath`/`taskType` on the activity's log lines.
 */
export function taskMetricsInterceptors(ctx: Context): ActivityInterceptors {
  const state: { call?: TaskCall } = {};
  return { inbound: new TaskMetricsInbound(ctx, state), outbound: new TaskLogAttributes(state) };
}
