/**
 * The task types a definition may use, as a value handed to whoever needs them: the DSL reads each
 * type's schema and hooks from it, `createTaskState` finds the orchestrator of each task in it.
 * Composition roots (the worker, the CLI, tests) build one (`builtinTaskTypes()` in
 * `src/orchestrators/registry.ts`, plus types of their own) and pass it on.
 */
import type { Orchestrator } from './orchestrator';

/**
 * Task types by name. A registry does not change once built (the DSL keeps the schemas it builds
 * from one): to add a type, build another registry.
 */
export interface TaskTypeRegistry {
  /** The orchestrator of a type, or undefined. */
  find(type: string): Orchestrator | undefined;
  /** The orchestrator of a type; an unknown type throws a non-retryable `UnknownTaskType` failure. */
  get(type: string): Orchestrator;
  /** Every type, in registration order. */
  list(): readonly Orchestrator[];
  /** Every type's name, in registration order. */
  names(): string[];
}
