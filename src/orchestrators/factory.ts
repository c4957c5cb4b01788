/**
 * The orchestrator factory: task types by name. The interpreter never names a type; the DSL asks the
 * factory for each type's schema, and `createTaskState` asks it for the orchestrator to run.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Orchestrator } from '../contract/orchestrator';
import { closest } from '../contract/suggest';
import { builtinOrchestrators } from './builtins';

const registry = new Map<string, Orchestrator>();

/** Register a task type (a later registration of the same name replaces the earlier one). */
export function registerOrchestrator(orchestrator: Orchestrator): void {
  registry.set(orchestrator.type, orchestrator);
}

/** Every registered task type, in registration order. */
export function orchestrators(): Orchestrator[] {
  return [...registry.values()];
}

export function taskTypes(): string[] {
  return [...registry.keys()];
}

/** The orchestrator of a type, or undefined. */
export function findOrchestrator(type: string): Orchestrator | undefined {
  return registry.get(type);
}

/** The orchestrator of a type; an unknown type is a non-retryable `UnknownTaskType` failure. */
export function getOrchestrator(type: string): Orchestrator {
  const found = registry.get(type);
  if (found) return found;
  const hint = closest(type, taskTypes());
  throw ApplicationFailure.create({
    type: 'UnknownTaskType',
    message: `unknown task type '${type}'${hint ? `: did you mean '${hint}'?` : ''} (known: ${taskTypes().join(', ')})`,
    nonRetryable: true,
  });
}

for (const o of builtinOrchestrators) registerOrchestrator(o);
