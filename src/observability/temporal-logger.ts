/**
 * Temporal's logs (the worker's, the workflows' `log`, the activities' `Context.log`, and the
 * native core's when forwarded) as pino JSON lines, with Temporal's metadata as fields: `workflowId`,
 * `runId`/`workflowRunId`, `activityType`, `taskQueue`, `sdkComponent`, and `taskPath`/`taskType`
 * added by Flowstate's activity interceptor.
 */
import type { LogLevel, LogMetadata, Logger } from '@temporalio/common';
import type { Logger as Pino } from 'pino';

const LEVELS: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** A Temporal `Logger` writing to a pino logger (pino's level filters what is written). */
export function temporalLogger(pino: Pino): Logger {
  const log = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = LEVELS[level] ?? 'info';
    if (!pino.isLevelEnabled(method)) return;
    pino[method](fields(meta), message);
  };
  return {
    log,
    trace: (m, meta) => log('TRACE', m, meta),
    debug: (m, meta) => log('DEBUG', m, meta),
    info: (m, meta) => log('INFO', m, meta),
    warn: (m, meta) => log('WARN', m, meta),
    error: (m, meta) => log('ERROR', m, meta),
  };
}

/** Temporal metadata as pino fields: string keys only, an `error` as pino's `err` (serialized with its stack). */
function fields(meta: LogMetadata | undefined): Record<string, unknown> {
  if (!meta) return {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(meta)) {
    if (key === 'error' && meta.error instanceof Error) out.err = meta.error;
    else out[key] = meta[key];
  }
  return out;
}
