/**
 * Loading a definition: parse (YAML or JSON, with positions) → validate (each task with its own
 * type's schema) → semantic checks → compile. Every problem becomes a `Diagnostic` with file, line,
 * column and document path; all of them are collected before giving up.
 */
import { readFile } from 'node:fs/promises';
import type { CompiledDefinition } from '../contract/compiled';
import type { DefinitionFiles } from '../contract/orchestrator';
import type { TaskTypeRegistry } from '../contract/registry';
import { compileDocument, definitionHash } from './compile';
import { DefinitionError, sortDiagnostics, type Diagnostic, type Severity } from './diagnostics';
import type { Problem } from './issues';
import { formatPath } from './paths';
import { expandForm, filesBeside, tasksOrForm } from './document-forms';
import { documentForms, type WorkflowDocument } from './schema';
import { collectReferences, pinReferences, type Reference } from './references';
import { checkSemantics } from './semantics';
import { decodeUtf8, parseSource, type ParsedSource } from './source';
import { buildTask, buildTree, type TaskNode } from './structure';
import { validatorFor } from './validate';

/** The outcome of loading one definition. */
export type LoadResult =
  | {
      ok: true;
      definition: CompiledDefinition;
      /** The validated document (defaults applied), e.g. for a registry keyed by `id@version`. */
      document: WorkflowDocument;
      warnings: Diagnostic[];
      /**
       * The files the definition names and the load read (a `dynamic` definition's templates), by the
       * name the definition gives them: what `push` stores with it.
       */
      files: ReadFile[];
      /** Tasks naming other definitions (`subflow`), pinned by `loadDefinition`/`pinDefinitions`. */
      references: Reference[];
    }
  | { ok: false; errors: Diagnostic[]; warnings: Diagnostic[] };

/** A file a definition names, as the load read it. */
export interface ReadFile {
  name: string;
  text: string;
}

/** Load, check and compile a definition file (YAML or JSON) whose tasks are of the registry's types. */
export async function loadDefinition(file: string, types: TaskTypeRegistry): Promise<LoadResult> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
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
  const decoded = decodeUtf8(bytes);
  if (!decoded.ok) return failed([{ file, path: '', ...decoded.problem }], []);
  return pinDefinitions(loadDefinitionText(decoded.text, { file }, types), file, types);
}

/**
 * Resolve, compile and pin the definitions a loaded one names (its subflows; see `references.ts`),
 * refusing a definition that reaches itself. `chain`: ids of the definitions that led here.
 */
export async function pinDefinitions(
  result: LoadResult,
  file: string,
  types: TaskTypeRegistry,
  chain: string[] = [],
): Promise<LoadResult> {
  if (!result.ok || result.references.length === 0 || chain.includes(result.definition.id)) return result;
  const load = (text: string, child: string, ids: string[]) =>
    pinDefinitions(loadDefinitionText(text, { file: child }, types), child, types, ids);
  const errors = await pinReferences(result.definition, result.references, file, chain, load);
  return errors.length > 0 ? failed(errors, result.warnings) : result;
}

/**
 * Load, check and compile definition text whose tasks are of the registry's types; `file` names it in
 * diagnostics and becomes `source`. The files it names are read through `files` (default: beside
 * `file` on disk; a definition pulled from a registry reads those pushed with it).
 */
export function loadDefinitionText(
  text: string,
  options: { file: string; files?: DefinitionFiles },
  types: TaskTypeRegistry,
): LoadResult {
  const { file } = options;
  const read: ReadFile[] = [];
  const files = recording(options.files ?? filesBeside(file), read);
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

  const forms = documentForms(types);
  const validated = validator.validateDocument(source.value);
  const either = tasksOrForm(source.value, forms);
  if (!validated.ok || either.length > 0) {
    return failed([...(validated.ok ? [] : validated.problems), ...either].map(at('error')), syntaxWarnings);
  }
  let { document } = validated;
  let tree: TaskNode[];
  let hashed = source.value;
  const fileNotes: Diagnostic[] = [];
  const form = forms.find((f) => field(document, f.field) !== undefined);
  if (form) {
    const written = field(source.value, form.field);
    const expanded = expandForm(form, field(document, form.field), written, file, validator, files);
    if (!expanded.ok) return failed(expanded.problems.map(at('error')), syntaxWarnings);
    document = { ...document, tasks: [expanded.task] };
    // The task stands for the form's field, so its diagnostics point into the field.
    tree = [buildTask(expanded.task, [form.field], validator)];
    // The content hash covers what the form read too (a changed template is a changed definition).
    hashed = { ...(source.value as Record<string, unknown>), [form.field]: expanded.hashed };
    fileNotes.push(...expanded.warnings);
  } else {
    tree = buildTree(document, validator);
  }

  const findings = checkSemantics(document, tree);
  const errors = findings.filter((f) => f.severity === 'error').map(at('error'));
  const warnings = [
    ...syntaxWarnings,
    ...findings.filter((f) => f.severity === 'warning').map(at('warning')),
    ...fileNotes,
  ];
  if (errors.length > 0) return failed(errors, warnings);

  const compiled = { hash: definitionHash(hashed), source: file };
  const definition = compileDocument(document, tree, compiled, validator);
  const references = collectReferences(tree, (p) => source.locate(p));
  return { ok: true, definition, document, warnings: sortDiagnostics(warnings), files: read, references };
}

/** `files`, noting each file read (once) in `read`. */
function recording(files: DefinitionFiles, read: ReadFile[]): DefinitionFiles {
  return {
    read(relative) {
      const got = files.read(relative);
      if ('text' in got && !read.some((f) => f.name === relative))
        read.push({ name: relative, text: got.text });
      return got;
    },
  };
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

function field(value: unknown, name: string): unknown {
  return (value as Record<string, unknown>)[name];
}
