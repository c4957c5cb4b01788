import { Writable } from 'node:stream';
import pino from 'pino';
import { metricsBindAddress, runtimeOptionsFromEnv } from '../../../src/observability/runtime';
import { temporalLogger } from '../../../src/observability/temporal-logger';
import { GATE_WAIT_SECONDS } from '../../../src/observability/metric-names';

describe('FLOWSTATE_METRICS_PORT', () => {
  test('unset: no metrics exporter', () => {
    expect(metricsBindAddress({})).toBeUndefined();
    expect(runtimeOptionsFromEnv({}).telemetryOptions?.metrics).toBeUndefined();
  });

  test('only a worker serves it: a Runtime without metrics ignores the variable, even invalid', () => {
    for (const port of ['9464', 'abc']) {
      const env = { FLOWSTATE_METRICS_PORT: port };
      expect(
        runtimeOptionsFromEnv(env, undefined, { metrics: false }).telemetryOptions?.metrics,
      ).toBeUndefined();
    }
  });

  test('a port binds on all interfaces by default, or on FLOWSTATE_METRICS_HOST', () => {
    expect(metricsBindAddress({ FLOWSTATE_METRICS_PORT: '9464' })).toBe('0.0.0.0:9464');
    expect(metricsBindAddress({ FLOWSTATE_METRICS_PORT: '9464', FLOWSTATE_METRICS_HOST: '127.0.0.1' })).toBe(
      '127.0.0.1:9464',
    );
    expect(metricsBindAddress({ FLOWSTATE_METRICS_PORT: '9464', FLOWSTATE_METRICS_HOST: '::1' })).toBe(
      '[::1]:9464',
    );
  });

  test('the runtime exports Prometheus there, with gate-wait buckets from seconds to days', () => {
    const metrics = runtimeOptionsFromEnv({ FLOWSTATE_METRICS_PORT: '9464' }).telemetryOptions?.metrics as {
      prometheus: { bindAddress: string; histogramBucketOverrides: Record<string, number[]> };
    };
    expect(metrics.prometheus.bindAddress).toBe('0.0.0.0:9464');
    expect(metrics.prometheus.histogramBucketOverrides[GATE_WAIT_SECONDS].at(-1)).toBe(7 * 24 * 3600);
  });

  test.each(['http', '0', '70000', '12.5', '-1'])('rejects %s', (port) => {
    expect(() => metricsBindAddress({ FLOWSTATE_METRICS_PORT: port })).toThrow(
      /FLOWSTATE_METRICS_PORT must be a port number/,
    );
  });
});

describe('Temporal logs as pino JSON lines', () => {
  function capture(level = 'info') {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk, _enc, cb) {
        lines.push(JSON.parse(String(chunk)));
        cb();
      },
    });
    return { lines, logger: temporalLogger(pino({ level }, stream)) };
  }

  test('levels and metadata become pino levels and fields', () => {
    const { lines, logger } = capture();
    logger.warn('Activity failed', {
      workflowId: 'hello-1',
      taskPath: 'greet',
      activityType: 'createTaskState',
      [Symbol('ts')]: 1n,
    });
    logger.log('ERROR', 'boom', { error: new Error('disk full') });
    expect(lines[0]).toMatchObject({
      level: 40,
      msg: 'Activity failed',
      workflowId: 'hello-1',
      taskPath: 'greet',
      activityType: 'createTaskState',
    });
    expect(lines[1]).toMatchObject({ level: 50, msg: 'boom', err: { message: 'disk full' } });
    expect((lines[1].err as { stack: string }).stack).toMatch(/disk full/);
  });

  test("pino's level filters", () => {
    const { lines, logger } = capture('warn');
    logger.debug('noise');
    logger.info('noise');
    logger.trace('noise');
    logger.error('kept');
    expect(lines.map((l) => l.msg)).toEqual(['kept']);
  });
});
