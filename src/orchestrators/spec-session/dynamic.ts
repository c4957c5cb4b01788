/**
 * `dynamic:` a spec session written at the top of a definition instead of `tasks`. It desugars to the
 * definition's one `spec-session` task, with the text of its template files inlined (so a run is
 * pinned to the templates as well as to the definition); placeholders that can never resolve are
 * warnings at the template's file:line:col.
 */
import type { DocumentForm, FieldProblem, FileWarning } from '../../contract/orchestrator';
import { DYNAMIC_FIELD, SESSION_TASK_ID, SPEC_SESSION_TYPE } from './names';
import { DynamicSource, type DynamicDocument } from './schema';
import { templateWarnings } from './templates';

export const dynamicForm: DocumentForm<DynamicDocument> = {
  field: DYNAMIC_FIELD,
  schema: DynamicSource,
  instead: `${DYNAMIC_FIELD} generates its tasks from the document`,
  desugar(dynamic, files) {
    const problems: FieldProblem[] = [];
    const warnings: FileWarning[] = [];
    const templates: { phase?: string; task?: string } = {};
    const hashedTemplates: Record<string, { file: string; text: string }> = {};
    for (const kind of ['phase', 'task'] as const) {
      const name = dynamic.templates?.[kind];
      if (name === undefined) continue;
      const path = ['templates', kind];
      const read = files.read(name);
      if ('error' in read) {
        const why = 'template files are read relative to the definition';
        problems.push({
          path,
          message: `cannot read the ${kind} template ${read.file} (${why}): ${read.error}`,
        });
        continue;
      }
      templates[kind] = read.text;
      hashedTemplates[kind] = { file: name, text: read.text };
      for (const w of templateWarnings(read.text, kind)) warnings.push({ ...w, file: read.file, path });
    }
    if (problems.length > 0) return { ok: false, problems };
    const task = {
      id: SESSION_TASK_ID,
      type: SPEC_SESSION_TYPE,
      parser: dynamic.parser,
      source: dynamic.source,
      ...(Object.keys(templates).length > 0 ? { templates } : {}),
      ...(dynamic.title !== undefined ? { title: dynamic.title } : {}),
    };
    return { ok: true, task, hashed: { templates: hashedTemplates }, warnings };
  },
};
