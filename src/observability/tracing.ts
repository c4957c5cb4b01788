/**
 * Optional OpenTelemetry tracing through `@temporalio/interceptors-opentelemetry`, off by default.
 *
 * `FLOWSTATE_TRACING=otlp` exports spans over OTLP/HTTP to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` or
 * `OTEL_EXPORTER_OTLP_ENDPOINT` (default `http://localhost:4318`); `FLOWSTATE_TRACING=console` prints
 * them on stderr, one JSON line each (for a quick look; stdout stays the command's). `OTEL_SERVICE_NAME` overrides the service name. With tracing on, starting
 * a run, signals, updates and queries (client), the workflow run, and each `createTaskState` attempt
 * (worker) become spans of one trace, linked through Temporal headers.
 *
 * The OpenTelemetry packages are required when tracing is on, not imported: a process without
 * tracing (the default) starts without loading them.
 */
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { ClientInterceptors } from '@temporalio/client';
import type { ActivityInterceptorsFactory, InjectedSinks } from '@temporalio/worker';
import { ObservabilityConfigError } from './runtime';

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
  const { context, propagation, trace } =
    require('@opentelemetry/api') as typeof import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } =
    require('@opentelemetry/context-async-hooks') as typeof import('@opentelemetry/context-async-hooks');
  const { OTLPTraceExporter } =
    require('@opentelemetry/exporter-trace-otlp-http') as typeof import('@opentelemetry/exporter-trace-otlp-http');
  const { Resource } = require('@opentelemetry/resources') as typeof import('@opentelemetry/resources');
  const { BasicTracerProvider, BatchSpanProcessor, SimpleSpanProcessor } =
    require('@opentelemetry/sdk-trace-base') as typeof import('@opentelemetry/sdk-trace-base');
  const otel =
    require('@temporalio/interceptors-opentelemetry') as typeof import('@temporalio/interceptors-opentelemetry');
  const { StderrSpanExporter } = require('./stderr-span-exporter') as typeof import('./stderr-span-exporter');
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
        inbound: new otel.OpenTelemetryActivityInboundInterceptor(ctx),
        outbound: new otel.OpenTelemetryActivityOutboundInterceptor(ctx),
      }),
    ],
    workflowModules: [OTEL_WORKFLOW_MODULE],
    sinks: { exporter: otel.makeWorkflowExporter(processor, resource) },
    clientInterceptors: { workflow: [new otel.OpenTelemetryWorkflowClientInterceptor()] },
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
