/**
 * The one activity as the workflow calls it: `createTaskState`'s input and signature. The worker
 * implements it (`src/activities`); the interpreter schedules it (`src/workflows`). Types only.
 */
import type { Directive, Json, Response } from './directive';
import type { Scope } from './orchestrator';

export interface CreateTaskStateInput {
  task: { id: string; type: string; spec: Record<string, Json>; children: { id: string; type: string }[] };
  /** The task's path, e.g. `analyse/security`. */
  path: string;
  /** The slice of scope the task reads. */
  scope: Scope;
  /**
   * The gate revision the task runs at, when a rejected task runs again (1, 2...; omitted on the
   * first run): part of the idempotency key.
   */
  revision?: number;
  /** What the interpreter did for the previous directive, if any. */
  response?: Response;
}

/** The worker's activities, by name: just `createTaskState`. */
export interface TaskStateActivities {
  createTaskState(input: CreateTaskStateInput): Promise<Directive>;
}

/** What `verifyDecider` takes: the token a decider (or a run's starter) sent, if any. */
export interface VerifyDeciderInput {
  token?: string;
}

/**
 * Who a token says its bearer is, as the worker's verifier found it (recorded in history as the
 * local activity's result: the token's keys never are). `verified: false` without `refused`: the
 * worker has no verifier, and the decider is taken as they say.
 */
export interface DeciderIdentity {
  verified: boolean;
  /** The token's `sub`, when verified. */
  subject?: string;
  /** The token's `groups` claim (strings only), when verified. */
  groups?: string[];
  /** The token's `iss` (or the key source, when it names none), when verified. */
  issuer?: string;
  /** Why the token was refused (`Unauthenticated`); never the token itself. */
  refused?: { type: string; message: string };
}

/** The local activity a decision calls to learn who decides (`src/auth`). */
export interface DeciderActivities {
  verifyDecider(input: VerifyDeciderInput): Promise<DeciderIdentity>;
}
