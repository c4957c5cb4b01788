import { z } from 'zod';
import { Expression } from '../../contract/fields';
import { findSourceParser, sourceParserNames } from '../../sources/registry';

/** Where the planning document comes from: an expression giving its text, or a file read on the worker. */
export const SpecSource = z.union([
  Expression.describe('expression giving the document text, e.g. input.tasks_md'),
  z
    .strictObject({ file: z.string().min(1).describe('path read on the worker at run start (templates allowed)') })
    .describe('a file on the worker, relative to its working directory'),
]);

/** Template text for the rendered views; each has a built-in default. */
export const SpecTemplates = z.strictObject({
  phase: z.string().optional().describe('template text of a phase ({{ }} JSONata; roots phase, session, input)'),
  task: z.string().optional().describe('template text of a task ({{ }} JSONata; roots task, phase, session, input)'),
});

/** spec-session: a run of phases parsed from a planning document, each completed through its gate. */
export const specSessionFields = () => ({
  parser: z.string().min(1).default('spec-tasks').describe('registered source parser (spec-tasks)'),
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
