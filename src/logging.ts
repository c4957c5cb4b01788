/**
 * Structured logs (pino, JSON lines on stderr) for the worker and the CLI. Each line that concerns a
 * run carries `workflowId` and `taskPath`. `FLOWSTATE_LOG_LEVEL` sets the level (default `info`).
 */
import pino from 'pino';

export const logger = pino(
  { name: 'flowstate', level: process.env.FLOWSTATE_LOG_LEVEL ?? 'info', base: { pid: process.pid } },
  pino.destination(2),
);

/** A child logger for one task of one run. */
export function taskLogger(workflowId: string, taskPath: string) {
  return logger.child({ workflowId, taskPath });
}
