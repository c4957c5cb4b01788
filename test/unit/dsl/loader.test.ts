import { join } from 'node:path';
import { compileOrThrow, loadDefinition, loadDefinitionText } from '../../../src/dsl/loader';
import {
  DefinitionError,
  formatDiagnostic,
  sortDiagnostics,
  type Diagnostic,
} from '../../../src/dsl/diagnostics';
import { formatPath } from '../../../src/dsl/paths';
import { parseSource } from '../../../src/dsl/source';
import { definition, errorsOf, FIXTURES, TYPES } from './helpers';

describe('loadDefinitionText', () => {
  it('returns the compiled definition, the validated document and no warnings', () => {
    const result = loadDefinitionText(
      definition('  - { id: a, type: parallel, tasks: [{ id: b, tool: echo }] }\n'),
      { file: 'x.yaml' },
      TYPES,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.document).toMatchObject({
      id: 'test',
      version: '1.0.0',
      tasks: [{ id: 'a', strategy: 'wait_all' }],
    });
    expect(result.definition.tasks[0].children[0].id).toBe('b');
    expect(result.warnings).toEqual([]);
  });

  it('reads JSON, with positions', () => {
    const text =
      '{\n  "id": "j",\n  "version": "1.0.0",\n  "tasks": [{ "id": "a", "tool": "echo", "timout": "5s" }]\n}\n';
    expect(errorsOf(text, 'x.json')).toEqual([
      {
        file: 'x.json',
        line: 4,
        col: 42,
        path: 'tasks[0].timout',
        message: "unknown field 'timout': did you mean 'timeout'?",
        severity: 'error',
      },
    ]);
  });

  it('collects the errors of every task, sorted by position', () => {
    const errors = errorsOf(
      definition(`  - { id: a, tool: echo, timeout: 5x }
  - { id: b, type: wait }
  - { id: c, type: collection, task: { id: d, tool: echo, final: maybe } }
`),
    );
    expect(errors.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`)).toEqual([
      "4:35 tasks[0].timeout: timeout '5x': expected a duration such as 250ms, 30s, 5m, 2h or 7d",
      "5:5 tasks[1].wait_for: missing required field 'wait_for' (a wait task needs it)",
      "6:66 tasks[2].task.final: final must be true or false, not 'maybe'",
    ]);
  });

  it('points YAML syntax errors at their line and column', () => {
    expect(errorsOf('id: x\nversion: 1.0.0\ntasks:\n  - { id: a, tool: echo\n', 'bad.yaml')[0]).toMatchObject(
      {
        file: 'bad.yaml',
        line: 5,
        col: 1,
        message: expect.stringMatching(/^YAML syntax: /),
      },
    );
  });

  it('guards against alias expansion bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...Array.from({ length: 8 }, (_, i) => {
        const prev = i === 0 ? 'a' : `l${i - 1}`;
        return `l${i}: &l${i} [*${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}, *${prev}]`;
      }),
    ].join('\n');
    const [error] = errorsOf(bomb);
    expect(error.message).toMatch(/^cannot read the document: /);
  });
});

describe('loadDefinition', () => {
  it('loads a file and names it as the source', async () => {
    const file = join(FIXTURES, 'valid/everything.json');
    const result = await loadDefinition(file, TYPES);
    expect(result.ok && result.definition.source).toBe(file);
  });

  it('reports a missing file as a diagnostic', async () => {
    const result = await loadDefinition('/nonexistent/flow.yaml', TYPES);
    expect(result).toEqual({
      ok: false,
      errors: [
        {
          file: '/nonexistent/flow.yaml',
          line: 1,
          col: 1,
          path: '',
          message: 'cannot read /nonexistent/flow.yaml: no such file',
          severity: 'error',
        },
      ],
      warnings: [],
    });
  });
});

describe('compileOrThrow and DefinitionError', () => {
  it('returns the definition when it compiles', () => {
    expect(compileOrThrow(definition('  - { id: a, tool: echo }\n'), 'ok.yaml', TYPES).id).toBe('test');
  });

  it('throws every diagnostic, listed in the message', () => {
    let thrown: unknown;
    try {
      compileOrThrow(
        definition('  - { id: a, type: paralel }\n  - { id: b, tool: echo, retires: 1 }\n'),
        'bad.yaml',
        TYPES,
      );
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(DefinitionError);
    const error = thrown as DefinitionError;
    expect(error.diagnostics).toHaveLength(2);
    expect(error.message).toBe(
      [
        'bad.yaml: 2 errors',
        "bad.yaml:4:20: unknown task type 'paralel': did you mean 'parallel'? (at tasks[0].type)",
        "bad.yaml:5:26: unknown field 'retires': did you mean 'retry'? (at tasks[1].retires)",
      ].join('\n'),
    );
  });
});

describe('diagnostics', () => {
  const d: Diagnostic = {
    file: 'f.yaml',
    line: 3,
    col: 7,
    path: 'tasks[2].routes.bug',
    message: 'wrong',
    severity: 'error',
  };

  it('format as file:line:col: message (at path)', () => {
    expect(formatDiagnostic(d)).toBe('f.yaml:3:7: wrong (at tasks[2].routes.bug)');
    expect(formatDiagnostic({ ...d, severity: 'warning', path: '' })).toBe('f.yaml:3:7: warning: wrong');
  });

  it('sort by file, line and column', () => {
    const list = [
      { ...d, line: 9 },
      { ...d, line: 2, col: 5 },
      { ...d, line: 2, col: 1 },
    ];
    expect(sortDiagnostics(list).map((x) => `${x.line}:${x.col}`)).toEqual(['2:1', '2:5', '9:7']);
  });
});

describe('document paths', () => {
  it('format like tasks[2].routes.bug, quoting keys that are not plain names', () => {
    expect(formatPath(['tasks', 2, 'routes', 'bug'])).toBe('tasks[2].routes.bug');
    expect(formatPath(['tasks', 0, 'routes', 'needs review'])).toBe('tasks[0].routes["needs review"]');
    expect(formatPath([])).toBe('');
  });

  it('locate keys, values, and the nearest parent of a missing field', () => {
    const parsed = parseSource('id: x\ntasks:\n  - id: a\n    routes:\n      "needs review": fix\n');
    if (!parsed.ok) throw new Error('parse');
    const { locate } = parsed.source;
    expect(locate(['tasks', 0, 'routes', 'needs review'])).toEqual({ line: 5, col: 23 });
    expect(locate(['tasks', 0, 'routes', 'needs review'], 'key')).toEqual({ line: 5, col: 7 });
    expect(locate(['tasks', 0, 'missing'])).toEqual({ line: 3, col: 5 });
    expect(locate(['tasks', 7])).toEqual({ line: 3, col: 3 });
  });
});

describe('exactly one of', () => {
  it('a collection needs exactly one of items or items_from', () => {
    const errors = errorsOf(definition('  - { id: each, type: collection, task: { id: t, tool: echo } }\n'));
    expect(errors.map((e) => e.message)).toEqual([
      'a collection needs exactly one of items (an expression) or items_from (a paged source)',
    ]);
  });
});
