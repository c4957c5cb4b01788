/**
 * The one activity, `createTaskState`, as the interpreter schedules it: with the task's own retry
 * policy and timeouts, a Web UI summary naming the task, and only the slice of scope the task reads.
 * Deterministic code only.
 */
import {
  ActivityFailure,
  ApplicationFailure,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
} from '@temporalio/workflow';
import type { CreateTaskStateInput, TaskStateActivities } from '../contract/activities';
import type { CompiledTask } from '../contract/compiled';
import type { Directive, Response } from '../contract/directive';
import type { RunBase } from './child-workflows';
import { TaskFailed } from './failures';
import { sliceScope, type Frame } from './scope';

const remote = proxyActivities<TaskStateActivities>({ startToCloseTimeout: '5m' }).createTaskState;
const local = proxyLocalActivities<TaskStateActivities>({ startToCloseTimeout: '1m' }).createTaskState;

/** Ask `createTaskState` for a task's next directive; an activity failure becomes a `TaskFailed`. */
export async function createTaskState(
  task: CompiledTask,
  frame: Frame,
  path: string,
  base: RunBase,
  response?: Response,
): Promise<Directive> {
  const { execution: x } = task;
  const options = activityOptions(task, path);
  const args = activityInput(task, frame, path, base, response);
  try {
    return x.local
      ? await local.executeWithOptions(options, [args])
      : await remote.executeWithOptions(
          { ...options, ...(x.heartbeatMs ? { heartbeatTimeout: x.heartbeatMs } : {}) },
          [args],
        );
  } catch (e) {
    if (e instanceof ActivityFailure && !isCancellation(e)) {
      const cause = e.cause as (Error & { type?: string }) | undefined;
      throw new TaskFailed({
        type: cause?.type ?? cause?.name ?? 'ActivityFailure',
        message: cause?.message ?? e.message,
        task: path,
      });
    }
    // A local activity's failure arrives as the activity's own error, not wrapped in an
    // ActivityFailure: it used to fail the whole run, past best_effort and on_error.
    if (x.local && e instanceof ApplicationFailure && patched('local-task-failure-is-task-failure')) {
      throw new TaskFailed({ type: e.type ?? 'ApplicationFailure', message: e.message, task: path });
    }
    throw e;
  }
}

/** The activity options of a task (a remote activity adds its heartbeat timeout, if any). */
export function activityOptions(task: CompiledTask, path: string) {
  const { execution: x } = task;
  return {
    startToCloseTimeout: x.startToCloseMs,
    ...(x.scheduleToCloseMs !== undefined ? { scheduleToCloseTimeout: x.scheduleToCloseMs } : {}),
    retry: {
      maximumAttempts: x.retry.maximumAttempts,
      initialInterval: x.retry.initialIntervalMs,
      backoffCoefficient: x.retry.backoffCoefficient,
      ...(x.retry.maximumIntervalMs !== undefined ? { maximumInterval: x.retry.maximumIntervalMs } : {}),
      nonRetryableErrorTypes: x.retry.nonRetryableErrorTypes,
    },
    summary: `${path} (${task.type})`,
  };
}

/** The activity's input: the task without its nested tasks' specs, and the slice of scope it reads. */
export function activityInput(
  task: CompiledTask,
  frame: Frame,
  path: string,
  base: RunBase,
  response?: Response,
): CreateTaskStateInput {
  // A task rejected at its gate runs again with `revision` in scope: its number joins the idempotency key.
  const revision = (frame.variable('revision') as { number?: unknown } | undefined)?.number;
  return {
    task: {
      id: task.id,
      type: task.type,
      spec: task.spec,
      children: task.children.map((c) => ({ id: c.id, type: c.type })),
    },
    path,
    scope: sliceScope(task.reads, frame, base),
    ...(typeof revision === 'number' && revision > 0 ? { revision } : {}),
    ...(response ? { response } : {}),
  };
}
