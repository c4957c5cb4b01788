/**
 * Operators' view of a worker and a client: pino logs for everything Temporal logs, a Prometheus
 * endpoint (`FLOWSTATE_METRICS_PORT`) with Temporal's metrics and Flowstate's task and gate metrics,
 * and optional OpenTelemetry tracing (`FLOWSTATE_TRACING`). See docs/operations.md.
 *
 * In a worker process: `installWorkerRuntime()` first, then pass `workerObservabilityFromEnv().workerOptions`
 * to `createWorker({ worker })`. In a client process: `clientObservabilityFromEnv().interceptors`
 * to `new Client({ interceptors })`.
 */
import type { ClientInterceptors } from '@temporalio/client';
import type { WorkerOptions } from '@temporalio/worker';
import { taskMetricsInterceptors, taskMetricsSinks } from './task-metrics';
import { tracingFromEnv, type Tracing } from './tracing';

/** Module path of Flowstate's workflow interceptors (gate wait time), bundled with the workflow code. */
export const FLOWSTATE_WORKFLOW_INTERCEPTORS = require.resolve('./workflow-interceptors');

export interface WorkerObservability {
  /**
   * Worker options to merge into `createWorker({ worker })`: activity interceptors (retried attempts,
   * log fields, tracing), workflow interceptor modules (gate wait time, tracing), sinks (task
   * counters from the run's lifecycle events, tracing).
   * The workflow modules take effect when the worker bundles the workflow code itself
   * (`workflowsPath`); a prebuilt bundle must be built with them (`bundleWorkflowCode({
   * workflowInterceptorModules })`).
   */
  workerOptions: Pick<WorkerOptions, 'interceptors'> & Partial<Pick<WorkerOptions, 'sinks'>>;
  tracing?: Tracing;
  /** Flush traces; call after the worker stops. */
  shutdown(): Promise<void>;
}

/** Interceptors and sinks a worker needs for Flowstate's metrics, log fields and (optional) tracing. */
export function workerObservabilityFromEnv(env: NodeJS.ProcessEnv = process.env): WorkerObservability {
  const tracing = tracingFromEnv('flowstate-worker', env);
  return {
    workerOptions: {
      interceptors: {
        activity: [taskMetricsInterceptors, ...(tracing?.activityInterceptors ?? [])],
        workflowModules: [FLOWSTATE_WORKFLOW_INTERCEPTORS, ...(tracing?.workflowModules ?? [])],
      },
      // Task counters come from the run's lifecycle events; createWorker also delivers them to its bus.
      sinks: { ...taskMetricsSinks(), ...tracing?.sinks },
    },
    ...(tracing ? { tracing } : {}),
    shutdown: async () => tracing?.shutdown(),
  };
}

export interface ClientObservability {
  /** For `new Client({ interceptors })`; undefined when tracing is off. */
  interceptors?: ClientInterceptors;
  shutdown(): Promise<void>;
}

/** Client interceptors for (optional) tracing, so a run's trace begins where the CLI started it. */
export function clientObservabilityFromEnv(env: NodeJS.ProcessEnv = process.env): ClientObservability {
  const tracing = tracingFromEnv('flowstate-cli', env);
  return {
    ...(tracing ? { interceptors: tracing.clientInterceptors } : {}),
    shutdown: async () => tracing?.shutdown(),
  };
}

export {
  installRuntime,
  installWorkerRuntime,
  runtimeOptionsFromEnv,
  metricsBindAddress,
  ObservabilityConfigError,
} from './runtime';
export { temporalLogger } from './temporal-logger';
export {
  taskMetricsInterceptors,
  taskMetricsSinks,
  countTaskEvent,
  taskCallOf,
  outcomeOfDirective,
  outcomeOfError,
  type TaskCall,
  type CallOutcome,
} from './task-metrics';
export { tracingFromEnv, tracingMode, type Tracing, type TracingMode } from './tracing';
export * as metricNames from './metric-names';
