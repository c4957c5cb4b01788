import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { formatDiagnostic } from '../../../src/dsl/diagnostics';
import { loadDefinition, loadDefinitionText } from '../../../src/dsl/loader';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';
import { DEFAULT_PHASE_TEMPLATE } from '../../../src/orchestrators/spec-session/templates';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-dynamic-'));
const write = (name: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
  return path.join(dir, name);
};

const TYPES = builtinTaskTypes();

const DEF = (dynamic: string) => `id: spec
version: 1.0.0
dynamic:
${dynamic}`;

describe('dynamic definitions', () => {
  test('compile into one spec-session task with the template files inlined', async () => {
    write('t/phase.md', 'P {{ phase.name }}');
    write('t/task.md', 'T {{ task.title }}');
    const file = write(
      'spec.yaml',
      DEF(
        '  source: input.tasks_md\n  templates: { phase: t/phase.md, task: t/task.md }\n  title: "{{ input.title }}"\n',
      ),
    );
    const result = await loadDefinition(file, TYPES);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.definition.tasks).toEqual([
      expect.objectContaining({
        id: 'session',
        type: 'spec-session',
        spec: {
          parser: 'spec-tasks',
          source: 'input.tasks_md',
          templates: { phase: 'P {{ phase.name }}', task: 'T {{ task.title }}' },
          title: '{{ input.title }}',
        },
        reads: ['input'],
        execution: expect.objectContaining({ local: true }),
      }),
    ]);
    expect(result.warnings).toEqual([]);
  });

  test('the content hash covers the templates: a changed template is a changed definition', async () => {
    write('h/phase.md', 'one');
    const file = write(
      'h/spec.yaml',
      DEF('  source: { file: tasks.md }\n  templates: { phase: phase.md }\n'),
    );
    const before = await loadDefinition(file, TYPES);
    write('h/phase.md', 'two');
    const after = await loadDefinition(file, TYPES);
    expect(before.ok && after.ok).toBe(true);
    if (before.ok && after.ok) expect(before.definition.hash).not.toBe(after.definition.hash);
  });

  test('without templates: the built-in ones are used at run time', () => {
    const r = loadDefinitionText(DEF('  source: input.md\n'), { file: 'x.yaml' }, TYPES);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.definition.tasks[0]!.spec).toEqual({ parser: 'spec-tasks', source: 'input.md' });
    expect(DEFAULT_PHASE_TEMPLATE).toContain('{{ phase.name }}');
  });

  test('placeholders that can never resolve are warnings at the template file:line:col', async () => {
    write('w/phase.md', '# {{ phase.name }}\n\nGoal: {{ phase.gaol }}\n');
    const file = write('w/spec.yaml', DEF('  source: input.md\n  templates: { phase: phase.md }\n'));
    const r = await loadDefinition(file, TYPES);
    expect(r.ok).toBe(true);
    expect(r.warnings.map(formatDiagnostic)).toEqual([
      `${path.join(dir, 'w/phase.md')}:3:7: warning: {{ phase.gaol }}: phase has no field 'gaol': did you mean 'goal'? (fields: id, number, position, name, description, goal, estimate, dependencies, tasks, gate); it renders empty (at dynamic.templates.phase)`,
    ]);
  });

  test('errors: tasks and dynamic together, neither, a missing template, an unknown parser, a bad expression', async () => {
    const both = loadDefinitionText(
      'id: x\nversion: 1.0.0\ntasks: [{ id: a, tool: echo }]\ndynamic: { source: input.md }\n',
      { file: 'x.yaml' },
      TYPES,
    );
    expect(!both.ok && both.errors.map(formatDiagnostic)).toEqual([
      'x.yaml:4:1: a definition has tasks or dynamic, not both: dynamic generates its tasks from the document (at dynamic)',
    ]);
    const neither = loadDefinitionText('id: x\nversion: 1.0.0\n', { file: 'x.yaml' }, TYPES);
    expect(!neither.ok && neither.errors.map((e) => e.message)).toEqual([
      "missing required field 'tasks' (the definition needs it)",
    ]);
    const missing = await loadDefinition(
      write('m/spec.yaml', DEF('  source: input.md\n  templates: { task: nope.md }\n')),
      TYPES,
    );
    expect(!missing.ok && missing.errors.map(formatDiagnostic)).toEqual([
      `${path.join(dir, 'm/spec.yaml')}:5:22: cannot read the task template ${path.join(dir, 'm/nope.md')} (template files are read relative to the definition): no such file (at dynamic.templates.task)`,
    ]);
    const parser = loadDefinitionText(
      DEF('  parser: spec-taks\n  source: input.md\n'),
      { file: 'x.yaml' },
      TYPES,
    );
    expect(!parser.ok && parser.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      "dynamic: unknown parser 'spec-taks' (registered: spec-tasks)",
    ]);
    const expression = loadDefinitionText(DEF('  source: input.md +\n'), { file: 'x.yaml' }, TYPES);
    expect(!expression.ok && expression.errors.map((e) => e.path)).toEqual(['dynamic.source']);
    const unknownField = loadDefinitionText(
      DEF('  source: input.md\n  templtes: {}\n'),
      { file: 'x.yaml' },
      TYPES,
    );
    expect(!unknownField.ok && unknownField.errors.map((e) => e.message)).toEqual([
      "unknown field 'templtes': did you mean 'templates'?",
    ]);
  });

  test('the example validates with no warnings', async () => {
    const r = await loadDefinition(
      path.resolve(__dirname, '../../../definitions/spec-execution.yaml'),
      TYPES,
    );
    expect(r.ok && r.warnings).toEqual([]);
  });
});
