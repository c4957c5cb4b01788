/**
 * Optional OpenTelemetry tracing through `@temporalio/interceptors-opentelemetry`, off by default.
 *
 * `FLOWSTATE_TRACING=otlp` exports spans over OTLP/HTTP to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`); `FLOWSTATE_TRACING=console` prints
 * them on stderr, one JSON line each (for a quick look; stdout stays the command's). `OTEL_SERVICE_NAME` overrides the service name. With tracing on, starting
 * a run, signals, updates and queries (client), the workflow run, and each `createTaskState` attempt
 * (worker) become spans of one trace, linked through Temporal headers.
 */
import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import {
  makeWorkflowExporter,
  OpenTelemetryActivityInboundInterceptor,
  OpenTelemetryActivityOutboundInterceptor,
  OpenTelemetryWorkflowClientInterceptor,
} from '@temporalio/interceptors-opentelemetry';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { ObservabilityConfigError } from './runtime';
import { StderrSpanExporter } from './stderr-span-exporter';

export type TracingMode = 'otlp' | 'console';

/** What a process adds to its worker and client when tracing is on. */
export interface Tracing {
  mode: TracingMode;
  /** For `WorkerOptions.interceptors.activity`. */
  activityInterceptors: ActivityInterceptorsFactory[];
  /** For `WorkerOptions.interceptors.workflowModules` (bundled with the workflow code). */
  workflowModules: string[];
  /** For `WorkerOptions.sinks`: the sandbox hands its workflow spans to this exporter. */
  sinks: InjectedSinks<any>;
  /** For `new Client({ interceptors })`. */
  clientInterceptors: ClientInterceptors;
  /** Export the spans ended so far. */
  flush(): Promise<void>;
  /** Flush and stop the exporter (call when the process ends). */
  shutdown(): Promise<void>;
}

/** The tracing mode `FLOWSTATE_TRACING` asks for; undefined when unset, empty, `off` or `0`. */
export function tracingMode(env: NodeJS.ProcessEnv = process.env): TracingMode | undefined {
  const raw = env.FLOWSTATE_TRACING?.trim().toLowerCase();
  if (!raw || raw === 'off' || raw === '0' || raw === 'false') return undefined;
  if (raw === 'otlp' || raw === 'console') return raw;
  throw new ObservabilityConfigError(
    `FLOWSTATE_TRACING must be 'otlp', 'console' or 'off'; got '${env.FLOWSTATE_TRACING}'`,
  );
}

/** Module path of the SDK's workflow-side tracing interceptors. */
export const OTEL_WORKFLOW_MODULE =
  require.resolve('@temporalio/interceptors-opentelemetry/lib/workflow-interceptors');

/**
 * The OTLP/HTTP traces URL the environment names (`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as is, or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`), or undefined for the exporter's default
 * (`http://localhost:4318/v1/traces`). Read here rather than by the exporter so `env` is honoured.
 */
export function otlpTracesUrl(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return traces;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

let active: Tracing | undefined;

/**
 * Set up tracing as the environment asks, or return undefined (the default: no tracing, nothing
 * registered). When on, it registers a global tracer provider, the W3C trace-context propagator
 * and an async-hooks context manager, which the Temporal interceptors use. Once per process: a
 * second call (a process that is both worker and client) returns the same setup until `shutdown`.
 */
export function tracingFromEnv(
  serviceName: string,
  env: NodeJS.ProcessEnv = process.env,
): Tracing | undefined {
  const mode = tracingMode(env);
  if (!mode) return undefined;
  if (active) return active;
  const resource = new Resource({ 'service.name': env.OTEL_SERVICE_NAME?.trim() || serviceName });
  const url = otlpTracesUrl(env);
  const processor: SpanProcessor =
    mode === 'otlp'
      ? new BatchSpanProcessor(new OTLPTraceExporter(url ? { url } : {}))
      : new SimpleSpanProcessor(new StderrSpanExporter());
  const provider = new BasicTracerProvider({ resource, spanProcessors: [processor] });
  provider.register({ contextManager: new AsyncLocalStorageContextManager().enable() });
  const tracing: Tracing = {
    mode,
    activityInterceptors: [
      (ctx) => ({
        inbound: new OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    workflowModules: [OTEL_WORKFLOW_MODULE],
    sinks: { exporter: makeWorkflowExporter(processor, resource) },
    clientInterceptors: { workflow: [new OpenTelemetryWorkflowClientInterceptor()] },
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      if (active === tracing) active = undefined;
      await provider.shutdown();
      // Unregister the globals, so a later setup (tests, a restarted worker) can register again.
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
  active = tracing;
  return tracing;
}
