/**
 * The log level a process uses when `FLOWSTATE_LOG_LEVEL` is unset. The CLI sets it per command
 * (`warn`, `info` for `worker`) before anything loads the logger, so commands that never log do not
 * pay for loading pino.
 */
let fallback = 'info';

/** Set the level used when `FLOWSTATE_LOG_LEVEL` is unset (call before the logger is first loaded). */
export function setDefaultLogLevel(level: string): void {
  fallback = level;
}

/** The level used when `FLOWSTATE_LOG_LEVEL` is unset. */
export function defaultLogLevel(): string {
  return fallback;
}
