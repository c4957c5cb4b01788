/**
 * Lifecycle events: what happened in a run, step by step. Workflow code emits them through a Temporal
 * sink (no history events; never called on replay), numbered per run and timed by the workflow clock;
 * the worker delivers them (`src/events`), and finished runs rebuild them from history. Workflow code
 * imports this file as types only.
 */
import { z } from 'zod';

export const EVENT_TYPES = [
  'run.started',
  'run.completed',
  'run.failed',
  'run.cancelled',
  'task.started',
  'task.completed',
  'task.failed',
  'task.retried',
  'task.skipped',
  'task.reused',
  'branch.chosen',
  'loop.pass',
  'stream.progress',
  'child.started',
  'child.finished',
  'gate.waiting',
  'gate.decided',
  /** A decision signal refused (not pending, not an acceptor, token refused): it changed nothing. */
  'gate.refused',
  'signal.received',
  'signal.sent',
  'run.paused',
  'run.resumed',
] as const;

export const FlowEvent = z.object({
  type: z.enum(EVENT_TYPES),
  workflowId: z.string(),
  runId: z.string(),
  /** Task path the event is about (absent for run-level events). */
  path: z.string().optional(),
  /** ISO time from the workflow clock (rebuilt from history, it may differ by a few ms: see src/events/history.ts). */
  at: z.string(),
  /** 1, 2, 3... per run, the same on every replay. */
  seq: z.number().int().positive(),
  data: z.record(z.string(), z.unknown()).optional(),
});
export type FlowEvent = z.infer<typeof FlowEvent>;
export type EventType = FlowEvent['type'];

/** The sink workflow code emits through (see `src/workflows/events.ts`). */
export interface FlowstateSinks {
  flowstateEvents: { emit(event: FlowEvent): void };
  [name: string]: Record<string, (...args: any[]) => void>;
}
