/**
 * Loading a definition: parse (YAML or JSON, with positions) → validate (each task with its own
 * type's schema) → semantic checks → compile. Every problem becomes a `Diagnostic` with file, line,
 * column and document path; all of them are collected before giving up.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { CompiledDefinition } from '../contract/compiled';
import type { TaskTypeRegistry } from '../contract/registry';
import { compileDocument, definitionHash, dynamicTask } from './compile';
import { DefinitionError, sortDiagnostics, type Diagnostic, type Severity } from './diagnostics';
import type { Problem } from './issues';
import { formatPath } from './paths';
import type { DynamicDocument, TaskDocument, WorkflowDocument } from './schema';
import { checkSemantics } from './semantics';
import { parseSource, type ParsedSource } from './source';
import { buildTask, buildTree, type TaskNode } from './structure';
import { validatorFor, type Validator } from './validate';
import { templateWarnings } from '../orchestrators/spec-session/templates';

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

/** Load, check and compile a definition file (YAML or JSON) whose tasks are of the registry's types. */
export async function loadDefinition(file: string, types: TaskTypeRegistry): Promise<LoadResult> {
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
  return loadDefinitionText(text, { file }, types);
}

/**
 * Load, check and compile definition text whose tasks are of the registry's types; `file` names it in
 * diagnostics and becomes `source`.
 */
export function loadDefinitionText(
  text: string,
  options: { file: string },
  types: TaskTypeRegistry,
): LoadResult {
  const { file } = options;
  const validator = validatorFor(types);
  const parsed = parseSource(text);
  const syntaxWarnings = parsed.warnings.map((w) => ({ file, path: '', ...w }));
  if (!parsed.ok)
    return failed(
      parsed.errors.map((e) => ({ file, path: '', ...e })),
      syntaxWarnings,
    );
  const { source } = parsed;
  const at = (severity: Severity) => (p: Problem) => toDiagnostic(p, severity, source, file);

  const validated = validator.validateDocument(source.value);
  const either = tasksOrDynamic(source.value);
  if (!validated.ok || either.length > 0) {
    return failed([...(validated.ok ? [] : validated.problems), ...either].map(at('error')), syntaxWarnings);
  }
  let { document } = validated;
  let tree: TaskNode[];
  let hashed = source.value;
  const templateNotes: Diagnostic[] = [];
  if (document.dynamic) {
    const expanded = expandDynamic(document.dynamic, file, validator);
    if (!expanded.ok) return failed(expanded.problems.map(at('error')), syntaxWarnings);
    document = { ...document, tasks: [expanded.task] };
    // The task's fields mirror dynamic's, so its diagnostics point into the dynamic block.
    tree = [buildTask(expanded.task, ['dynamic'], validator)];
    // The content hash covers the template text too: a changed template is a changed definition.
    const value = source.value as Record<string, Record<string, unknown>>;
    hashed = { ...value, dynamic: { ...value.dynamic, templates: expanded.hashedTemplates } };
    templateNotes.push(...expanded.warnings);
  } else {
    tree = buildTree(document, validator);
  }

  const findings = checkSemantics(document, tree);
  const errors = findings.filter((f) => f.severity === 'error').map(at('error'));
  const warnings = [
    ...syntaxWarnings,
    ...findings.filter((f) => f.severity === 'warning').map(at('warning')),
    ...templateNotes,
  ];
  if (errors.length > 0) return failed(errors, warnings);

  const compiled = { hash: definitionHash(hashed), source: file };
  const definition = compileDocument(document, tree, compiled, validator);
  return { ok: true, definition, document, warnings: sortDiagnostics(warnings) };
}

/** Compile definition text (tasks of the registry's types) or throw a `DefinitionError` with every error. */
export function compileOrThrow(text: string, file: string, types: TaskTypeRegistry): CompiledDefinition {
  const result = loadDefinitionText(text, { file }, types);
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

/** A definition has `tasks` or `dynamic`: exactly one of them. */
function tasksOrDynamic(value: unknown): Problem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const has = (k: string) => (value as Record<string, unknown>)[k] !== undefined;
  if (has('tasks') && has('dynamic')) {
    const message =
      'a definition has tasks or dynamic, not both: dynamic generates its tasks from the document';
    return [{ path: ['dynamic'], anchor: 'key', message }];
  }
  if (!has('tasks') && !has('dynamic')) {
    return [
      {
        path: ['tasks'],
        anchor: 'value',
        message: "missing required field 'tasks' (the definition needs it)",
      },
    ];
  }
  return [];
}

type Expanded =
  | {
      ok: true;
      task: TaskDocument;
      hashedTemplates: Record<string, { file: string; text: string }>;
      warnings: Diagnostic[];
    }
  | { ok: false; problems: Problem[] };

/**
 * `dynamic` as its one task: the template files are read relative to the definition file and their
 * text inlined; placeholders that can never resolve are warnings at the template's file:line:col.
 */
function expandDynamic(dynamic: DynamicDocument, file: string, validator: Validator): Expanded {
  const problems: Problem[] = [];
  const templates: { phase?: string; task?: string } = {};
  const hashedTemplates: Record<string, { file: string; text: string }> = {};
  const warnings: Diagnostic[] = [];
  for (const kind of ['phase', 'task'] as const) {
    const name = dynamic.templates?.[kind];
    if (name === undefined) continue;
    const shown = path.join(path.dirname(file), name);
    let text: string;
    try {
      text = readFileSync(path.resolve(path.dirname(file), name), 'utf8');
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
      problems.push({
        path: ['dynamic', 'templates', kind],
        anchor: 'value',
        message: `cannot read the ${kind} template ${shown} (template files are read relative to the definition): ${reason}`,
      });
      continue;
    }
    templates[kind] = text;
    hashedTemplates[kind] = { file: name, text };
    for (const w of templateWarnings(text, kind)) {
      warnings.push({
        file: shown,
        line: w.line,
        col: w.col,
        path: `dynamic.templates.${kind}`,
        message: w.message,
        severity: 'warning',
      });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const validated = validator.validateTask(dynamicTask(dynamic, templates, validator));
  if (!validated.ok) {
    return { ok: false, problems: validated.problems.map((p) => ({ ...p, path: ['dynamic', ...p.path] })) };
  }
  return { ok: true, task: validated.task, hashedTemplates, warnings };
}
