/**
 * The Temporal server's dynamic config that sets its pace: the one place for these values. The dev
 * server gets them as `--dynamic-config-value` flags (dev-server.ts); the compose stack's
 * deploy/temporal/dynamicconfig/flowstate.yaml repeats the cluster ones (a unit test keeps them equal).
 * Why each value, and what it was measured to change: docs/operations.md, "The embedded server's pace".
 */

/** A dynamic config value as the Temporal CLI takes it: JSON (durations as strings, e.g. "10ms"). */
export type DynamicConfigValue = number | string | boolean;
export type DynamicConfig = Readonly<Record<string, DynamicConfigValue>>;

/**
 * How often, per shard and second, the history service may read its task queues (Temporal's default:
 * 20 each): transfer (every activity and workflow task passes through it; at 20 a sequence of
 * activities waits ~50 ms per task once the reader's burst is spent), timer (timers, retry backoffs,
 * timeouts) and visibility (what `flowstate list` and visibility queries see, a few tens of ms sooner).
 * Safe on a real cluster too: the host-wide limit, derived from `history.persistenceMaxQPS`, still
 * caps the load on the database.
 */
export const CLUSTER_DYNAMIC_CONFIG: DynamicConfig = {
  'history.transferProcessorMaxPollRPS': 10_000,
  'history.timerProcessorMaxPollRPS': 10_000,
  'history.visibilityProcessorMaxPollRPS': 10_000,
};

/**
 * Only for the single-host dev server. A new timer task is never due earlier than the timer queue's
 * last read plus this shift (Temporal's default: 1 s), so a shorter timer (a `wait` timeout, a retry
 * `initial_interval`) lasts up to a second. The shift keeps new timer tasks out of the range the
 * reader has already read; a cluster, with several hosts' clocks and shards that move between them,
 * keeps the default.
 */
export const EMBEDDED_ONLY_DYNAMIC_CONFIG: DynamicConfig = {
  'history.timerProcessorMaxTimeShift': '10ms',
};

/** What `startDevServer` passes by default. */
export const DEV_SERVER_DYNAMIC_CONFIG: DynamicConfig = {
  ...CLUSTER_DYNAMIC_CONFIG,
  ...EMBEDDED_ONLY_DYNAMIC_CONFIG,
};

/** `--dynamic-config-value KEY=VALUE` flags for the Temporal CLI (values JSON-encoded, as it expects). */
export function dynamicConfigFlags(config: DynamicConfig): string[] {
  return Object.entries(config).flatMap(([key, value]) => [
    '--dynamic-config-value',
    `${key}=${JSON.stringify(value)}`,
  ]);
}
