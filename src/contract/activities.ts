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
