/**
 * What the `flowstate validate`, `graph` and `schema` commands do, as pure functions: they return
 * an exit code and the lines to print, and never touch the process themselves.
 */
import type { CompiledTask } from '../contract/compiled';
import type { TaskTypeRegistry } from '../contract/registry';
import { DefinitionError, formatDiagnostic } from './diagnostics';
import { toMermaid } from './graph';
import { definitionJsonSchemaText } from './json-schema';
import { loadDefinition } from './loader';

/** The outcome of a command: exit code and output lines (errors on failure). */
export interface CommandResult {
  exitCode: 0 | 1;
  lines: string[];
}

/**
 * Validate definition files. For each file: its errors and warnings as `file:line:col: message`
 * (warnings as `file:line:col: warning: message`), then `ok file (id@version, N tasks)` when it
 * compiles. Exit code 1 when any file has an error (or no file is given). Tasks may be of the
 * registry's types.
 */
export async function validateFiles(files: string[], types: TaskTypeRegistry): Promise<CommandResult> {
  if (files.length === 0) return { exitCode: 1, lines: ['no definition files given'] };
  const lines: string[] = [];
  let failed = false;
  for (const file of files) {
    const result = await loadDefinition(file, types);
    if (!result.ok) {
      failed = true;
      lines.push(...result.errors.map(formatDiagnostic));
    }
    lines.push(...result.warnings.map(formatDiagnostic));
    if (result.ok) {
      const { id, version, tasks } = result.definition;
      const count = countTasks(tasks);
      lines.push(`ok ${file} (${id}@${version}, ${count} ${count === 1 ? 'task' : 'tasks'})`);
    }
  }
  return { exitCode: failed ? 1 : 0, lines };
}

/**
 * The Mermaid flowchart of a definition file.
 * @throws DefinitionError listing the diagnostics when the file does not compile.
 */
export async function graphFile(file: string, types: TaskTypeRegistry): Promise<string> {
  const result = await loadDefinition(file, types);
  if (!result.ok) throw new DefinitionError(result.errors, result.warnings);
  return toMermaid(result.definition, types);
}

/** The definition language's JSON Schema (with the registry's task types), formatted. */
export function schemaText(types: TaskTypeRegistry): string {
  return definitionJsonSchemaText(types);
}

/** Every task, nested ones included. */
function countTasks(tasks: CompiledTask[]): number {
  return tasks.reduce((n, t) => n + 1 + countTasks(t.children), 0);
}
