/**
 * The names a spec session answers to: the update that completes a phase and the views (queries) it
 * publishes while it waits. The orchestrator and the CLI commands of ./cli.ts both use them.
 */
export const SPEC_SESSION = {
  /** The update that completes the current phase (its payload carries the evidence). */
  completePhase: 'complete-phase',
  /** The view of the current phase: its tasks, validation gate and rendered `content`. */
  currentPhase: 'current-phase',
  /** The view of each task of the current phase, indexed by phase id, then task number (from 1). */
  task: 'task',
  /** The view of every phase's status and the evidence so far. */
  session: 'session',
} as const;
