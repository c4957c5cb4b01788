/**
 * Workflow interceptors module (for `WorkerOptions.interceptors.workflowModules`, bundled with the
 * workflow code): records `flowstate_gate_wait_seconds` when a gate is decided. It only observes:
 * it returns the SDK's own promises unchanged and creates no commands, so it cannot affect
 * determinism, and the workflow metric meter drops what it records during replay.
 */
import {
  metricMeter,
  type ActivityInput,
  type LocalActivityInput,
  type Next,
  type SignalInput,
  type UpdateInput,
  type WorkflowExecuteInput,
  type WorkflowInboundCallsInterceptor,
  type WorkflowInterceptorsFactory,
  type WorkflowOutboundCallsInterceptor,
} from '@temporalio/workflow';
import type { MetricHistogram } from '@temporalio/common';
import { GateClock, type GateWait } from './gate-clock';
import { GATE_WAIT_SECONDS } from './metric-names';

const CREATE_TASK_STATE = 'createTaskState';
const ignore = () => undefined;

export const interceptors: WorkflowInterceptorsFactory = () => {
  const clock = new GateClock();
  let histogram: MetricHistogram | undefined;
  const record = (wait: GateWait | undefined) => {
    if (!wait) return;
    histogram ??= metricMeter.createHistogram(
      GATE_WAIT_SECONDS,
      'float',
      's',
      'Time a Flowstate gate waited for its decision',
    );
    histogram.record(wait.seconds, { definition: clock.definition, decision: wait.decision });
  };
  const observe = <T extends ActivityInput | LocalActivityInput>(input: T, result: Promise<unknown>) => {
    if (input.activityType === CREATE_TASK_STATE)
      result.then((d) => clock.activityResult(input.args[0], d, Date.now()), ignore);
    return result;
  };

  const inbound: WorkflowInboundCallsInterceptor = {
    execute(input: WorkflowExecuteInput, next: Next<WorkflowInboundCallsInterceptor, 'execute'>) {
      clock.learn(input.args[0]);
      return next(input);
    },
    handleUpdate(input: UpdateInput, next: Next<WorkflowInboundCallsInterceptor, 'handleUpdate'>) {
      const result = next(input);
      if (input.name === 'decide') result.then((view) => record(clock.decided(view, Date.now())), ignore);
      return result;
    },
    handleSignal(input: SignalInput, next: Next<WorkflowInboundCallsInterceptor, 'handleSignal'>) {
      if (input.signalName === 'approve' || input.signalName === 'reject') {
        record(clock.signalled(input.signalName, input.args[0], Date.now()));
      }
      return next(input);
    },
  };
  const outbound: WorkflowOutboundCallsInterceptor = {
    scheduleActivity: (input, next) => observe(input, next(input)),
    scheduleLocalActivity: (input, next) => observe(input, next(input)),
  };
  return { inbound: [inbound], outbound: [outbound] };
};
