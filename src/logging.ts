/**
 * Structured logs (pino, JSON lines on stderr) for the worker and the CLI. Each line that concerns a
 * run carries `workflowId` and `taskPath`. `FLOWSTATE_LOG_LEVEL` sets the level (default `info`). A line
 * that holds a secret's value (one the worker resolved, `src/secrets`) is written with `***` instead.
 */
import pino from 'pino';
import { envError } from './env';
import { defaultLogLevel } from './log-level';
import { processRedactor } from './secrets/registry';

/** The values `FLOWSTATE_LOG_LEVEL` takes. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

/**
 * The level `FLOWSTATE_LOG_LEVEL` names (case and spaces ignored); the process's default (`info`,
 * or what the CLI set for the command) when unset. Throws an
 * `EnvError` for another value.
 */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const raw = env.FLOWSTATE_LOG_LEVEL?.trim().toLowerCase();
  if (!raw) return defaultLogLevel();
  if (!(LOG_LEVELS as readonly string[]).includes(raw))
    throw envError('FLOWSTATE_LOG_LEVEL', env.FLOWSTATE_LOG_LEVEL!, `one of ${LOG_LEVELS.join(', ')}`);
  return raw;
}

/**
 * Loading this module never throws (a process must be able to log that it failed): an invalid
 * `FLOWSTATE_LOG_LEVEL` logs at `info` here, and `settingsFromEnv` (every process that connects)
 * reports it through `logLevelFromEnv`.
 */
function initialLevel(): string {
  try {
    return logLevelFromEnv();
  } catch {
    return 'info';
  }
}

export const logger = pino(
  {
    name: 'flowstate',
    level: initialLevel(),
    base: { pid: process.pid },
    hooks: { streamWrite: (line) => processRedactor().text(line) },
  },
  pino.destination(2),
);

/** A child logger for one task of one run. */
export function taskLogger(workflowId: string, taskPath: string) {
  return logger.child({ workflowId, taskPath });
}
