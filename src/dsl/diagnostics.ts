/** Diagnostics: what is wrong with a definition, where, and how to put it right. */

export type Severity = 'error' | 'warning';

/** One problem found in a definition file. Lines and columns are 1-based. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** Document path, e.g. `tasks[2].routes.bug`; empty for the whole document. */
  path: string;
  message: string;
  severity: Severity;
}

/**
 * `file:line:col: message (at tasks[2].routes.bug)`; a warning reads
 * `file:line:col: warning: message (at ...)`.
 */
export function formatDiagnostic(d: Diagnostic): string {
  const where = d.path ? ` (at ${d.path})` : '';
  const kind = d.severity === 'warning' ? 'warning: ' : '';
  return `${d.file}:${d.line}:${d.col}: ${kind}${d.message}${where}`;
}

/** Diagnostics in file order (line, then column), stable for equal positions. */
export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return list
    .map((d, i) => [d, i] as const)
    .sort(([a, i], [b, j]) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || i - j)
    .map(([d]) => d);
}

/** Thrown by `compileOrThrow`: carries every diagnostic; its message lists the errors. */
export class DefinitionError extends Error {
  override readonly name = 'DefinitionError';
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly warnings: Diagnostic[] = [],
  ) {
    const file = diagnostics[0]?.file ?? 'definition';
    const count = diagnostics.length === 1 ? '1 error' : `${diagnostics.length} errors`;
    super(`${file}: ${count}\n${diagnostics.map(formatDiagnostic).join('\n')}`);
  }
}
