/**
 * Loading a definition: parse (YAML or JSON, with positions) → validate (each task with its own
 * type's schema) → semantic checks → compile. Every problem becomes a `Diagnostic` with file, line,
 * column and document path; all of them are collected before giving up.
 */
import { readFile } from 'node:fs/promises';
import type { CompiledDefinition } from './compiled';
import { compileDocument, definitionHash } from './compile';
import { DefinitionError, sortDiagnostics, type Diagnostic, type Severity } from './diagnostics';
import type { Problem } from './issues';
import { formatPath } from './paths';
import type { WorkflowDocument } from './schema';
import { checkSemantics } from './semantics';
import { parseSource, type ParsedSource } from './source';
import { buildTree } from './structure';
import { validateDocument } from './validate';

/** The outcome of loading one definition. */
export type LoadResult =
  | {
      ok: true;
      definition: CompiledDefinition;
      /** The validated document (defaults applied), e.g. for a registry keyed by `id@version`. */
      document: WorkflowDocument;
      warnings: Diagnostic[];
    }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/** Load, check and compile a definition file (YAML or JSON). */
export async function loadDefinition(file: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    return {
      ok: false,
      errors: [
        { file, line: 1, col: 1, path: '', message: `cannot read ${file}: ${reason}`, severity: 'error' },
      ],
      warnings: [],
    };
  }
  return loadDefinitionText(text, { file });
}

/** Load, check and compile definition text; `file` names it in diagnostics and becomes `source`. */
export function loadDefinitionText(text: string, options: { file: string }): LoadResult {
  const { file } = options;
  const parsed = parseSource(text);
  const syntaxWarnings = parsed.warnings.map((w) => ({ file, path: '', ...w }));
  if (!parsed.ok)
    return failed(
      parsed.errors.map((e) => ({ file, path: '', ...e })),
      syntaxWarnings,
    );
  const { source } = parsed;
  const at = (severity: Severity) => (p: Problem) => toDiagnostic(p, severity, source, file);

  const validated = validateDocument(source.value);
  if (!validated.ok) return failed(validated.problems.map(at('error')), syntaxWarnings);
  const { document } = validated;

  const tree = buildTree(document);
  const findings = checkSemantics(document, tree);
  const errors = findings.filter((f) => f.severity === 'error').map(at('error'));
  const warnings = [
    ...syntaxWarnings,
    ...findings.filter((f) => f.severity === 'warning').map(at('warning')),
  ];
  if (errors.length > 0) return failed(errors, warnings);

  const definition = compileDocument(document, tree, { hash: definitionHash(source.value), source: file });
  return { ok: true, definition, document, warnings: sortDiagnostics(warnings) };
}

/** Compile definition text or throw a `DefinitionError` listing every error. */
export function compileOrThrow(text: string, file: string): CompiledDefinition {
  const result = loadDefinitionText(text, { file });
  if (!result.ok) throw new DefinitionError(result.errors, result.warnings);
  return result.definition;
}

function failed(errors: Diagnostic[], warnings: Diagnostic[]): LoadResult {
  return { ok: false, errors: sortDiagnostics(errors), warnings: sortDiagnostics(warnings) };
}

function toDiagnostic(problem: Problem, severity: Severity, source: ParsedSource, file: string): Diagnostic {
  const { line, col } = source.locate(problem.path, problem.anchor);
  return { file, line, col, path: formatPath(problem.path), message: problem.message, severity };
}
