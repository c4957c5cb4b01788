/**
 * Document forms: a top-level field a task type lets a definition have instead of `tasks`, standing
 * for one task of that type (spec-session's `dynamic`). The DSL knows no such field: it asks the
 * registry's types for their forms (`documentForms`), checks that a definition uses exactly one of
 * `tasks` and the forms, reads the files a form names relative to the definition, and validates the
 * task the form desugars to like any other.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DefinitionFiles, DocumentForm } from '../contract/orchestrator';
import type { Diagnostic } from './diagnostics';
import type { Problem } from './issues';
import { formatPath } from './paths';
import type { TaskDocument } from './schema';
import { decodeUtf8 } from './source';
import type { Validator } from './validate';

/** A definition has `tasks` or one document form: exactly one of them. */
export function tasksOrForm(value: unknown, forms: readonly DocumentForm[]): Problem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const has = (k: string) => (value as Record<string, unknown>)[k] !== undefined;
  const used = forms.filter((f) => has(f.field));
  if (has('tasks') && used.length > 0) {
    const [{ field, instead }] = used;
    const message = `a definition has tasks or ${field}, not both: ${instead}`;
    return [{ path: [field], anchor: 'key', message }];
  }
  if (used.length > 1) {
    const [first, second] = used;
    const message = `a definition has ${first.field} or ${second.field}, not both: ${second.instead}`;
    return [{ path: [second.field], anchor: 'key', message }];
  }
  if (!has('tasks') && used.length === 0) {
    const message = "missing required field 'tasks' (the definition needs it)";
    return [{ path: ['tasks'], anchor: 'value', message }];
  }
  return [];
}

/** The one task a document written in a form stands for. */
export type Expanded =
  | {
      ok: true;
      task: TaskDocument;
      /** The form's field as the content hash covers it. */
      hashed: unknown;
      /** Warnings in the files the form read, at their own file:line:col. */
      warnings: Diagnostic[];
    }
  | { ok: false; problems: Problem[] };

/**
 * Desugar the form's validated field (`value`; `written` is the field as the document says it) into
 * its task, reading files relative to `file`, and validate the task. Problems point into the field.
 */
export function expandForm(
  form: DocumentForm,
  value: unknown,
  written: unknown,
  file: string,
  validator: Validator,
  files: DefinitionFiles = filesBeside(file),
): Expanded {
  const inField = (p: ReadonlyArray<string | number>) => [form.field, ...p];
  const desugared = form.desugar(value, files);
  if (!desugared.ok) {
    const problems = desugared.problems.map((p): Problem => ({
      ...p,
      path: inField(p.path),
      anchor: 'value',
    }));
    return { ok: false, problems };
  }
  const validated = validator.validateTask(desugared.task);
  if (!validated.ok) {
    return { ok: false, problems: validated.problems.map((p) => ({ ...p, path: inField(p.path) })) };
  }
  const warnings = (desugared.warnings ?? []).map((w): Diagnostic => ({
    ...w,
    path: formatPath(inField(w.path)),
    severity: 'warning',
  }));
  const hashed =
    desugared.hashed === undefined
      ? written
      : { ...(written as Record<string, unknown>), ...desugared.hashed };
  return { ok: true, task: validated.task, hashed, warnings };
}

/**
 * The files beside a definition: named relative to it, shown joined to its path; text that is not
 * UTF-8 is refused at its line and column.
 */
export function filesBeside(file: string): DefinitionFiles {
  const dir = path.dirname(file);
  return {
    read(relative) {
      const shown = path.join(dir, relative);
      try {
        const decoded = decodeUtf8(readFileSync(path.resolve(dir, relative)));
        if (decoded.ok) return { file: shown, text: decoded.text };
        const { line, col, message } = decoded.problem;
        return { file: shown, error: `${message} (at ${shown}:${line}:${col})` };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        return { file: shown, error: code === 'ENOENT' ? 'no such file' : (e as Error).message };
      }
    },
  };
}
