/**
 * Document forms: a task type's top-level field that stands for a definition's one task (what
 * spec-session's `dynamic` is). The DSL names no such field; a toy type brings one here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import type { Orchestrator } from '../../../src/contract/orchestrator';
import { formatDiagnostic } from '../../../src/dsl/diagnostics';
import { definitionJsonSchema } from '../../../src/dsl/json-schema';
import { loadDefinition, loadDefinitionText } from '../../../src/dsl/loader';
import { documentSchema } from '../../../src/dsl/schema';
import { TYPES } from './helpers';

/** `shout`: a task with a `text`; `loud: { text | file }` at the top of a definition stands for one. */
const shout: Orchestrator = {
  type: 'shout',
  summary: 'Says its text loudly (test only).',
  fields: () => ({ text: z.string().min(1) }),
  local: true,
  start: async (ctx) => ({ kind: 'done', output: String(ctx.spec.text).toUpperCase() }),
  document: {
    field: 'loud',
    schema: z.strictObject({ text: z.string().optional(), file: z.string().optional() }),
    instead: 'loud stands for the one task',
    desugar(value: { text?: string; file?: string }, files) {
      if (value.file === undefined)
        return { ok: true, task: { id: 'only', type: 'shout', text: value.text } };
      const read = files.read(value.file);
      if ('error' in read)
        return { ok: false, problems: [{ path: ['file'], message: `no ${read.file}: ${read.error}` }] };
      const warnings = read.text.includes('!')
        ? [
            {
              file: read.file,
              line: 1,
              col: read.text.indexOf('!') + 1,
              path: ['file'],
              message: 'already loud',
            },
          ]
        : [];
      return {
        ok: true,
        task: { id: 'only', type: 'shout', text: read.text },
        hashed: { file: read.text },
        warnings,
      };
    },
  },
};
const types = TYPES.with(shout);

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-forms-'));
const write = (name: string, text: string) => (
  fs.writeFileSync(path.join(dir, name), text),
  path.join(dir, name)
);
const load = (text: string) => loadDefinitionText(text, { file: 'x.yaml' }, types);
const messages = (r: ReturnType<typeof load>) => (r.ok ? [] : r.errors.map(formatDiagnostic));

describe('a document form', () => {
  it('compiles to its one task', () => {
    const r = load('id: x\nversion: 1.0.0\nloud: { text: hi }\n');
    expect(r.ok && r.definition.tasks).toEqual([
      expect.objectContaining({ id: 'only', type: 'shout', spec: { text: 'hi' } }),
    ]);
  });

  it('excludes tasks, and is no field without the type that has it', () => {
    expect(
      messages(load('id: x\nversion: 1.0.0\ntasks: [{ id: a, tool: echo }]\nloud: { text: hi }\n')),
    ).toEqual([
      'x.yaml:4:1: a definition has tasks or loud, not both: loud stands for the one task (at loud)',
    ]);
    const without = loadDefinitionText(
      'id: x\nversion: 1.0.0\nloud: { text: hi }\n',
      { file: 'x.yaml' },
      TYPES,
    );
    expect(without.ok ? [] : without.errors.map((e) => e.message)).toContain(
      "missing required field 'tasks' (the definition needs it)",
    );
  });

  it("has its problems, and its task's, pointed into the field", () => {
    expect(messages(load('id: x\nversion: 1.0.0\nloud: { txt: hi }\n'))).toEqual([
      "x.yaml:3:9: unknown field 'txt': did you mean 'text'? (at loud.txt)",
    ]);
    expect(messages(load('id: x\nversion: 1.0.0\nloud: { text: "" }\n'))[0]).toMatch(
      / \(at loud(\.text)?\)$/,
    );
  });

  it('reads files beside the definition: their problems, warnings and text (in the content hash)', async () => {
    const file = write('loud.yaml', 'id: x\nversion: 1.0.0\nloud: { file: words.txt }\n');
    const missing = await loadDefinition(file, types);
    expect(missing.ok ? [] : missing.errors.map(formatDiagnostic)).toEqual([
      `${file}:3:15: no ${path.join(dir, 'words.txt')}: no such file (at loud.file)`,
    ]);
    write('words.txt', 'hey!');
    const first = await loadDefinition(file, types);
    expect(first.warnings.map(formatDiagnostic)).toEqual([
      `${path.join(dir, 'words.txt')}:1:4: warning: already loud (at loud.file)`,
    ]);
    write('words.txt', 'hello');
    const second = await loadDefinition(file, types);
    expect(first.ok && second.ok && first.definition.hash !== second.definition.hash).toBe(true);
  });

  it('is part of the document schema and the JSON Schema', () => {
    expect(documentSchema(types).safeParse({ id: 'x', version: '1.0.0', loud: { text: 'hi' } }).success).toBe(
      true,
    );
    expect(definitionJsonSchema(types)).toMatchObject({ properties: { loud: { type: 'object' } } });
  });

  it('a field claimed twice, or one every definition has, is a mistake in the registry', () => {
    const again: Orchestrator = { ...shout, type: 'whisper' };
    expect(() => loadDefinitionText('id: x\n', { file: 'x.yaml' }, types.with(again))).toThrow(
      "task type 'whisper' cannot add the document field 'loud': task type 'shout' has it",
    );
    const tasks: Orchestrator = { ...shout, document: { ...shout.document!, field: 'tasks' } };
    expect(() => documentSchema(TYPES.with(tasks))).toThrow(
      "task type 'shout' cannot add the document field 'tasks': every definition has it",
    );
  });
});
