/** Shared helpers for the DSL tests. */
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { loadDefinitionText, type LoadResult } from '../../../src/dsl/loader';
import type { CompiledDefinition, CompiledTask } from '../../../src/contract/compiled';
import { formatDiagnostic, type Diagnostic } from '../../../src/dsl/diagnostics';
import type { TaskTypeRegistry } from '../../../src/contract/registry';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';

/** The task types the DSL tests compile against: the built-in ones. */
export const TYPES = builtinTaskTypes();

export const FIXTURES = join(__dirname, '../../fixtures');

/** The text of a fixture, e.g. `valid/router.yaml`. */
export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Compile text that must be valid; fails the test with the diagnostics otherwise. */
export function compile(
  text: string,
  file = 'test.yaml',
  types: TaskTypeRegistry = TYPES,
): CompiledDefinition {
  const result = loadDefinitionText(text, { file }, types);
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return result.definition;
}

/** Errors of text that must be invalid. */
export function errorsOf(text: string, file = 'test.yaml', types: TaskTypeRegistry = TYPES): Diagnostic[] {
  const result: LoadResult = loadDefinitionText(text, { file }, types);
  if (result.ok) throw new Error('expected errors, but the definition compiled');
  return result.errors;
}

/** Warnings of text that must be valid. */
export function warningsOf(text: string): Diagnostic[] {
  const result = loadDefinitionText(text, { file: 'test.yaml' }, TYPES);
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return result.warnings;
}

/** Find a compiled task by id anywhere in the tree. */
export function task(def: CompiledDefinition, id: string): CompiledTask {
  const find = (tasks: CompiledTask[]): CompiledTask | undefined => {
    for (const t of tasks) {
      if (t.id === id) return t;
      const inner = find(t.children);
      if (inner) return inner;
    }
    return undefined;
  };
  const found = find(def.tasks);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

/** A minimal definition around some task YAML (indented as list items under `tasks:`). */
export function definition(tasks: string, head = ''): string {
  return `id: test\nversion: 1.0.0\n${head}tasks:\n${tasks}`;
}
