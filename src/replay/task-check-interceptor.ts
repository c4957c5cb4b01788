/**
 * A workflow interceptor that `bundleForReplay` adds to the replay bundle. It reports the task path of
 * each `createTaskState` activity the workflow schedules, so that replay also checks each activity is
 * for the task the history recorded at that position.
 *
 * Why: on replay Temporal compares the kind and activity type of each command, not its input. Every
 * Flowstate task is the same activity type, so a change that runs tasks in another order (a reordered
 * branch) would otherwise replay without error while feeding recorded results to the wrong tasks.
 *
 * Workflow code (bundled, replayed): deterministic, no I/O.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface TaskCheckSinks extends Sinks {
  flowstateTaskCheck: {
    /** The run started with this interceptor installed. */
    started(): void;
    scheduled(seq: number, activityType: string, path: string | null): void;
  };
}

const { flowstateTaskCheck } = proxySinks<TaskCheckSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute(input, next) {
        flowstateTaskCheck.started();
        return next(input);
      },
    },
  ],
  outbound: [
    {
      scheduleActivity(input, next) {
        const arg = input.args[0] as { path?: unknown } | undefined;
        flowstateTaskCheck.scheduled(
          input.seq,
          input.activityType,
          typeof arg?.path === 'string' ? arg.path : null,
        );
        return next(input);
      },
    },
  ],
});
