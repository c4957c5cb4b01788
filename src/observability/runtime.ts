/**
 * The Temporal Runtime of a worker process: its logger (pino) and, when `FLOWSTATE_METRICS_PORT` is
 * set, the Prometheus endpoint where Temporal's worker metrics and Flowstate's counters are scraped.
 *
 * `Runtime.install` may run once per process and must run before the first `NativeConnection` or
 * `Worker` is created (they would otherwise instantiate a default Runtime).
 */
import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger as Pino } from 'pino';
import { EnvError, envPort } from '../env';
import { logger as flowstateLogger } from '../logging';
import { GATE_WAIT_BUCKETS, GATE_WAIT_SECONDS } from './metric-names';
import { temporalLogger } from './temporal-logger';

/** The environment asks for something that cannot work; the message names the variable. */
export class ObservabilityConfigError extends EnvError {
  override readonly name = 'ObservabilityConfigError';
}

/**
 * `host:port` the Prometheus endpoint binds to, from `FLOWSTATE_METRICS_PORT` (1-65535) and
 * `FLOWSTATE_METRICS_HOST` (default `0.0.0.0`, so a container's port can be published); undefined
 * when no port is set (metrics off).
 */
export function metricsBindAddress(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const port = envPort(env, 'FLOWSTATE_METRICS_PORT');
  if (port === undefined) return undefined;
  const host = env.FLOWSTATE_METRICS_HOST?.trim() || '0.0.0.0';
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/**
 * Runtime options from the environment: pino for every log, core logs forwarded, and the Prometheus
 * endpoint when `FLOWSTATE_METRICS_PORT` is set, unless `metrics: false` (every process but a worker:
 * a CLI command run beside a worker must not try to bind the worker's port).
 */
export function runtimeOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  pino: Pino = flowstateLogger,
  { metrics = true }: { metrics?: boolean } = {},
): RuntimeOptions {
  const bindAddress = metrics ? metricsBindAddress(env) : undefined;
  return {
    logger: temporalLogger(pino),
    telemetryOptions: {
      logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} },
      ...(bindAddress
        ? {
            metrics: {
              prometheus: {
                bindAddress,
                histogramBucketOverrides: { [GATE_WAIT_SECONDS]: GATE_WAIT_BUCKETS },
              },
            },
          }
        : {}),
    },
  };
}

let installed: Runtime | undefined;

/**
 * Install the process's Temporal Runtime (once; later calls return the same Runtime), before the
 * first native connection, worker or replay. The default serves no metrics: only a worker does
 * ({@link installWorkerRuntime}).
 */
export function installRuntime(
  options: RuntimeOptions = runtimeOptionsFromEnv(process.env, flowstateLogger, { metrics: false }),
): Runtime {
  installed ??= Runtime.install(options);
  return installed;
}

/** Install a worker process's Runtime: as {@link installRuntime}, with Prometheus when asked. */
export function installWorkerRuntime(env: NodeJS.ProcessEnv = process.env): Runtime {
  return installRuntime(runtimeOptionsFromEnv(env));
}
