/**
 * Task-type registries: task types by name, as values. `builtinTaskTypes()` holds the types of
 * `builtins.ts`; a type of one's own is one more argument to `with(...)`. Nothing is registered as a
 * side effect of importing a module.
 */
import type { Orchestrator } from '../contract/orchestrator';
import type { TaskTypeRegistry } from '../contract/registry';
import { didYouMean } from '../contract/suggest';
import { builtinOrchestrators } from './builtins';

/** An immutable registry of task types. */
export class TaskTypes implements TaskTypeRegistry {
  private readonly byType = new Map<string, Orchestrator>();
  private readonly all: readonly Orchestrator[];

  /** The given types, in order; a later type of the same name replaces an earlier one, in its place. */
  constructor(types: Iterable<Orchestrator> = []) {
    for (const t of types) this.byType.set(t.type, t);
    this.all = Object.freeze([...this.byType.values()]);
  }

  /** A new registry: these types added to this one's (replacing any of the same name). */
  with(...types: Orchestrator[]): TaskTypes {
    return new TaskTypes([...this.all, ...types]);
  }

  find(type: string): Orchestrator | undefined {
    return this.byType.get(type);
  }

  get(type: string): Orchestrator {
    const found = this.byType.get(type);
    if (found) return found;
    // Loaded when thrown: `validate` loads the task types but never runs them (start-up budget).
    const { ApplicationFailure } = require('@temporalio/common') as typeof import('@temporalio/common');
    throw ApplicationFailure.create({
      type: 'UnknownTaskType',
      message: `unknown task type '${type}'${didYouMean(type, this.names())} (known: ${this.names().join(', ')})`,
      nonRetryable: true,
    });
  }

  list(): readonly Orchestrator[] {
    return this.all;
  }

  names(): string[] {
    return this.all.map((o) => o.type);
  }
}

let builtins: TaskTypes | undefined;

/** The built-in task types (one shared registry: it never changes). */
export function builtinTaskTypes(): TaskTypes {
  return (builtins ??= new TaskTypes(builtinOrchestrators));
}
