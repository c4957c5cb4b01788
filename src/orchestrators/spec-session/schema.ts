/**
 * The spec-session schemas: the task's fields, and the document-level `dynamic` field built from
 * them (the same fields, with template files instead of template text).
 */
import { z } from 'zod';
import { Expression } from '../../contract/fields';
import { findSourceParser, sourceParserNames } from '../../sources/registry';

/** Where the planning document comes from: an expression giving its text, or a file read on the worker. */
export const SpecSource = z
  .union([
    Expression.describe('expression giving the document text, e.g. input.tasks_md'),
    z
      .strictObject({
        file: z.string().min(1).describe('path read on the worker at run start (templates allowed)'),
      })
      .describe('a file on the worker, relative to its working directory'),
  ])
  .describe('the document: an expression giving its text, or { file } read on the worker at run start');

/** Template text for the rendered views; each has a built-in default. */
export const SpecTemplates = z.strictObject({
  phase: z
    .string()
    .optional()
    .describe('template text of a phase ({{ }} JSONata; roots phase, session, input)'),
  task: z
    .string()
    .optional()
    .describe('template text of a task ({{ }} JSONata; roots task, phase, session, input)'),
});

/** spec-session: a run of phases parsed from a planning document, each completed through its gate. */
export const specSessionFields = () => ({
  parser: z.string().min(1).default('spec-tasks').describe('registered source parser, e.g. spec-tasks'),
  source: SpecSource,
  templates: SpecTemplates.optional(),
  title: z.string().optional().describe('session title (templates allowed); default: the document title'),
});

export interface SpecSessionSpec {
  parser: string;
  source: string | { file: string };
  templates?: { phase?: string; task?: string };
  title?: string;
}

/** The parser must be registered, so a typo fails at validate time rather than at run start. */
export function checkSpecSession(fields: Record<string, unknown>): string[] {
  const parser = fields.parser;
  if (typeof parser !== 'string' || findSourceParser(parser)) return [];
  return [`unknown parser '${parser}' (registered: ${sourceParserNames().join(', ')})`];
}

/** Template files, named relative to the definition; their text is inlined when it compiles. */
export const TemplateFiles = z.strictObject({
  phase: z.string().min(1).optional().describe('template file for a phase, relative to the definition'),
  task: z.string().min(1).optional().describe('template file for a task, relative to the definition'),
});

/**
 * `dynamic`: a definition whose phases come from a planning document (a tasks.md) parsed at run
 * start, instead of `tasks`: the task's own fields, with template files. See docs/spec-sessions.md.
 */
export const DynamicSource = z
  .strictObject({
    ...specSessionFields(),
    templates: TemplateFiles.optional().describe(
      'template files ({{ }} JSONata); built-in defaults when left out',
    ),
  })
  .describe('phases generated from a planning document, each completed through its validation gate');
export type DynamicDocument = z.output<typeof DynamicSource>;
