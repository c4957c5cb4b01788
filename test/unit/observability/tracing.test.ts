import fs from 'node:fs';
import { trace } from '@opentelemetry/api';
import {
  clientObservabilityFromEnv,
  FLOWSTATE_WORKFLOW_INTERCEPTORS,
  workerObservabilityFromEnv,
} from '../../../src/observability';
import { taskMetricsInterceptors } from '../../../src/observability/task-metrics';
import {
  OTEL_WORKFLOW_MODULE,
  otlpTracesUrl,
  tracingFromEnv,
  tracingMode,
} from '../../../src/observability/tracing';

test('tracing is off by default and for off/0/false', () => {
  for (const value of [undefined, '', 'off', '0', 'false'])
    expect(tracingMode({ FLOWSTATE_TRACING: value })).toBeUndefined();
  expect(tracingFromEnv('x', {})).toBeUndefined();
  expect(clientObservabilityFromEnv({}).interceptors).toBeUndefined();
});

test('an unknown tracing mode is an error naming the variable', () => {
  expect(() => tracingMode({ FLOWSTATE_TRACING: 'jaeger' })).toThrow(
    /FLOWSTATE_TRACING must be 'otlp', 'console' or 'off'/,
  );
});

test('without tracing the worker still gets the task counters and the gate-wait workflow module', () => {
  const { workerOptions, tracing } = workerObservabilityFromEnv({});
  expect(tracing).toBeUndefined();
  expect(workerOptions.interceptors?.activity).toEqual([taskMetricsInterceptors]);
  expect(workerOptions.interceptors?.workflowModules).toEqual([FLOWSTATE_WORKFLOW_INTERCEPTORS]);
  expect(fs.existsSync(FLOWSTATE_WORKFLOW_INTERCEPTORS)).toBe(true);
  expect(Object.keys(workerOptions.sinks ?? {})).toEqual(['flowstateEvents']);
});

test('with tracing the worker and the client get the OpenTelemetry interceptors, one provider per process', async () => {
  const env = { FLOWSTATE_TRACING: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' };
  const worker = workerObservabilityFromEnv(env);
  const client = clientObservabilityFromEnv(env);
  try {
    expect(worker.tracing?.mode).toBe('otlp');
    expect(worker.workerOptions.interceptors?.activity).toHaveLength(2);
    expect(worker.workerOptions.interceptors?.workflowModules).toEqual([
      FLOWSTATE_WORKFLOW_INTERCEPTORS,
      OTEL_WORKFLOW_MODULE,
    ]);
    expect(Object.keys(worker.workerOptions.sinks ?? {})).toEqual(['flowstateEvents', 'exporter']);
    expect(client.interceptors?.workflow).toHaveLength(1);
    expect(tracingFromEnv('again', env)).toBe(worker.tracing);
    expect(trace.getTracer('t').startSpan('s').spanContext().traceId).not.toMatch(/^0+$/);
  } finally {
    await worker.shutdown();
  }
  expect(trace.getTracer('t').startSpan('s').spanContext().traceId).toMatch(/^0+$/);
});

test('the OTLP traces URL comes from the given environment (traces endpoint as is, or base + /v1/traces)', () => {
  expect(otlpTracesUrl({})).toBeUndefined();
  expect(otlpTracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe(
    'http://collector:4318/v1/traces',
  );
  expect(
    otlpTracesUrl({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces',
    }),
  ).toBe('https://b/traces');
});
