/**
 * The Temporal Runtime of a worker process: its logger (pino) and, when `FLOWSTATE_METRICS_PORT` is
 * set, the Prometheus endpoint where Temporal's worker metrics and Flowstate's counters are scraped.
 *
 * `Runtime.install` may run once per process and must run before the first `NativeConnection` or
 * `Worker` is created (they would otherwise instantiate a default Runtime).
 */
import { Runtime, type RuntimeOptions } from '@temporalio/worker';
import type { Logger as Pino } from 'pino';
import { logger as flowstateLogger } from '../logging';
import { GATE_WAIT_BUCKETS, GATE_WAIT_SECONDS } from './metric-names';
import { temporalLogger } from './temporal-logger';

/** The environment asks for something that cannot work; the message names the variable. */
export class ObservabilityConfigError extends Error {
  override readonly name = 'ObservabilityConfigError';
}

/**
 * `host:port` the Prometheus endpoint binds to, from `FLOWSTATE_METRICS_PORT` (1-65535) and
 * `FLOWSTATE_METRICS_HOST` (default `0.0.0.0`, so a container's port can be published); undefined
 * when no port is set (metrics off).
 */
export function metricsBindAddress(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const raw = env.FLOWSTATE_METRICS_PORT?.trim();
  if (!raw) return undefined;
  const port = Number(raw);
  if (!/^\d+$/.test(raw) || port < 1 || port > 65_535) {
    throw new ObservabilityConfigError(
      `FLOWSTATE_METRICS_PORT must be a port number (1-65535), got '${raw}'`,
    );
  }
  const host = env.FLOWSTATE_METRICS_HOST?.trim() || '0.0.0.0';
  return `${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}:${port}`;
}

/** Runtime options from the environment: pino for every log, core logs forwarded, Prometheus if asked. */
export function runtimeOptionsFromEnv(
  env: NodeJS.ProcessEnv = process.env,
  pino: Pino = flowstateLogger,
): RuntimeOptions {
  const bindAddress = metricsBindAddress(env);
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
 * Install the process's Temporal Runtime (once; later calls return the same Runtime). Call it first
 * thing in a worker process, before connecting.
 */
export function installRuntime(options: RuntimeOptions = runtimeOptionsFromEnv()): Runtime {
  installed ??= Runtime.install(options);
  return installed;
}
