/**
 * Flowstate's task counters and log fields.
 *
 * Tasks started, completed and failed are counted from the interpreter's lifecycle events
 * (`task.started`, `task.completed`/`task.skipped`, `task.failed`), which the workflow emits through
 * the `flowstateEvents` sink once per task run, however the task ends: a `done` from the activity,
 * a signal sent by the interpreter, a wait that timed out, an activity that timed out on the server.
 * Sinks are not called on replay, so nothing counts twice. An activity interceptor on
 * `createTaskState` counts the attempts that will be retried, and adds `taskPath` and `taskType` to
 * every log line the activity (and the SDK, about the activity) writes. Counters go to the Runtime's
 * meter: exported when the Runtime has a metrics exporter, no-ops otherwise.
 */
import type { Context } from '@temporalio/activity';
import {
  ApplicationFailure,
  CancelledFailure,
  type MetricCounter,
  type MetricMeter,
  type RetryPolicy,
} from '@temporalio/common';
import {
  Runtime,
  type ActivityExecuteInput,
  type ActivityInboundCallsInterceptor,
  type ActivityInterceptors,
  type ActivityOutboundCallsInterceptor,
  type InjectedSinks,
  type Next,
} from '@temporalio/worker';
import type { WorkflowInfo } from '@temporalio/workflow';
import type { FlowEvent, FlowstateSinks } from '../contract/events';
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

const DESCRIPTIONS: Record<string, string> = {
  [TASKS_STARTED]: 'Flowstate tasks started, by task type',
  [TASKS_COMPLETED]: 'Flowstate tasks completed, by task type',
  [TASKS_FAILED]: 'Flowstate tasks failed for good, by task type',
  [TASK_ATTEMPT_FAILURES]: 'Flowstate task attempts that failed and will be retried, by task type',
};

/** The counter each task lifecycle event adds to; other events count nothing. */
const COUNTER_BY_EVENT: Partial<Record<FlowEvent['type'], string>> = {
  'task.started': TASKS_STARTED,
  'task.completed': TASKS_COMPLETED,
  'task.skipped': TASKS_COMPLETED,
  'task.failed': TASKS_FAILED,
};

/**
 * Count one lifecycle event of a run: `task.started`, `task.completed` (and `task.skipped`) and
 * `task.failed` add one to their counter, tagged with the task type and the run's namespace and task
 * queue. `meter`: default the Runtime's.
 */
export function countTaskEvent(
  info: Pick<WorkflowInfo, 'namespace' | 'taskQueue'>,
  event: Pick<FlowEvent, 'type' | 'data'>,
  meter: MetricMeter = Runtime.instance().metricMeter,
): void {
  const name = COUNTER_BY_EVENT[event.type];
  const type = event.data?.type;
  if (!name || typeof type !== 'string') return;
  counter(meter, name).add(1, { namespace: info.namespace, taskQueue: info.taskQueue, task_type: type });
}

/** Counters made once per meter: every task event of a worker goes through here. */
const counters = new WeakMap<MetricMeter, Map<string, MetricCounter>>();

function counter(meter: MetricMeter, name: string): MetricCounter {
  let byName = counters.get(meter);
  if (!byName) counters.set(meter, (byName = new Map()));
  let made = byName.get(name);
  if (!made) byName.set(name, (made = meter.createCounter(name, undefined, DESCRIPTIONS[name])));
  return made;
}

/**
 * The `flowstateEvents` sink that counts tasks by type and outcome (`countTaskEvent`), for
 * `WorkerOptions.sinks`; `createWorker` delivers the events to it besides the worker's event bus.
 */
export function taskMetricsSinks(): InjectedSinks<FlowstateSinks> {
  return {
    flowstateEvents: { emit: { fn: (info, event) => countTaskEvent(info, event), callDuringReplay: false } },
  };
}

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
    const count = (name: string) =>
      this.ctx.metricMeter
        .createCounter(name, undefined, DESCRIPTIONS[name])
        .add(1, { task_type: call.type });
    let result: unknown;
    try {
      result = await next(input);
    } catch (e) {
      // Only retried attempts: a task that fails for good is counted from its `task.failed` event.
      const outcome = outcomeOfError(e, this.ctx.info, this.ctx.cancellationSignal.aborted);
      if (outcome === 'retrying') count(TASK_ATTEMPT_FAILURES);
      throw e;
    }
    const outcome = outcomeOfDirective(result);
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
 * Activity interceptors factory for `WorkerOptions.interceptors.activity`: retried attempts by task
 * type, and `taskPath`/`taskType` on the activity's log lines.
 */
export function taskMetricsInterceptors(ctx: Context): ActivityInterceptors {
  const state: { call?: TaskCall } = {};
  return { inbound: new TaskMetricsInbound(ctx, state), outbound: new TaskLogAttributes(state) };
}
