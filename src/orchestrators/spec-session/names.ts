/**
 * The names a spec session answers to: the update that completes a phase, the views (queries) it
 * publishes while it waits, and the document-level field and task id of a `dynamic` definition.
 * Clients and the CLI use these, never their own copies.
 */

/** The task type. */
export const SPEC_SESSION_TYPE = 'spec-session';

/** The update that completes the current phase (payload: the evidence for its gate). */
export const COMPLETE_PHASE = 'complete-phase';

/** The views a waiting session answers as queries. */
export const VIEWS = {
  /** The current phase, its tasks and gate, and its rendered template (`content`). */
  currentPhase: 'current-phase',
  /** `task <phase id> <n>`: one task of the current phase, with its rendered template. */
  task: 'task',
  /** Every phase's status and the evidence so far. */
  session: 'session',
} as const;

/** The top-level field of a definition whose one task is a spec session. */
export const DYNAMIC_FIELD = 'dynamic';

/** The id of the one task a `dynamic` definition becomes. */
export const SESSION_TASK_ID = 'session';
