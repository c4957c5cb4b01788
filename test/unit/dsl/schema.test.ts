import { z } from 'zod';
import { Expression, withRole } from '../../../src/contract/fields';
import { documentSchema, taskSchema } from '../../../src/dsl/schema';
import { definitionJsonSchema } from '../../../src/dsl/json-schema';
import type { Orchestrator } from '../../../src/contract/orchestrator';
import { compile, definition, errorsOf, task, TYPES } from './helpers';

describe('the document schema', () => {
  const valid = { id: 'flow-1', version: '1.0.0', tasks: [{ id: 'a', tool: 'echo' }] };

  it('accepts a minimal document and defaults a task type to basic', () => {
    const parsed = documentSchema(TYPES).parse(valid);
    expect(parsed.tasks[0].type).toBe('basic');
  });

  it.each([
    ['an id with capitals', { ...valid, id: 'Flow' }],
    ['a version that is not semver', { ...valid, version: '1.0' }],
    ['a version with a leading zero', { ...valid, version: '01.0.0' }],
    ['no tasks', { ...valid, tasks: [] }],
    ['an unknown document field', { ...valid, extra: true }],
    ['an unknown task field', { ...valid, tasks: [{ id: 'a', tool: 'echo', retires: 1 }] }],
    ['an input that is not a mapping', { ...valid, input: 'object' }],
    [
      'a loop without max_iterations',
      { ...valid, tasks: [{ id: 'l', type: 'loop', until: 'true', tasks: [{ id: 'x', tool: 'echo' }] }] },
    ],
    ['a basic task with tool and agent', { ...valid, tasks: [{ id: 'a', tool: 'x', agent: 'y' }] }],
    [
      'an unknown field in a nested task',
      { ...valid, tasks: [{ id: 'p', type: 'parallel', tasks: [{ id: 'x', tool: 'e', wiht: 1 }] }] },
    ],
  ])('rejects %s', (_, doc) => {
    expect(documentSchema(TYPES).safeParse(doc).success).toBe(false);
  });

  it('accepts prerelease and build versions', () => {
    expect(documentSchema(TYPES).safeParse({ ...valid, version: '2.0.0-rc.1+build.5' }).success).toBe(true);
  });

  it('is recursive: a task union whose container types hold tasks', () => {
    const doc = {
      id: 'a',
      type: 'composite',
      tasks: [{ id: 'b', type: 'parallel', tasks: [{ id: 'c', tool: 'echo' }] }],
    };
    expect(taskSchema(TYPES).parse(doc)).toMatchObject({ tasks: [{ tasks: [{ id: 'c', type: 'basic' }] }] });
  });
});

describe('a task type added to a registry', () => {
  // The DSL has no list of types: a registry holding one is enough for the loader, checks and JSON Schema.
  const retryBlock: Orchestrator = {
    type: 'retry-block',
    summary: 'Runs its tasks, then `verify`.',
    fields: (t) => ({
      attempts: z.number().int().min(1),
      verify: Expression,
      body: withRole(z.array(t).min(1), {
        role: 'tasks',
        runs: 'sequence',
        exported: true,
        visibleIn: ['verify'],
      }),
    }),
    expressionFields: ['verify'],
    local: true,
    nested: ({ body, ...spec }: { body?: unknown[] }) => ({ spec, children: body ?? [] }),
    start: async () => ({ kind: 'done', output: null }),
  };
  const types = TYPES.with(retryBlock);

  it('is validated with its own fields', () => {
    const errors = errorsOf(
      definition(
        '  - { id: r, type: retry-block, attempts: 0, verify: x, body: [{ id: a, tool: echo }], atempts: 2 }\n',
      ),
      'test.yaml',
      types,
    );
    expect(errors.map((e) => e.message)).toEqual([
      'attempts must be ≥ 1, not 0',
      "unknown field 'atempts': did you mean 'attempts'?",
    ]);
  });

  it('is suggested for a misspelt type', () => {
    expect(errorsOf(definition('  - { id: r, type: retry-blok }\n'), 'test.yaml', types)[0].message).toBe(
      "unknown task type 'retry-blok': did you mean 'retry-block'?",
    );
  });

  it('has its nested tasks compiled and scoped by their role', () => {
    const def = compile(
      definition(`  - id: r
    type: retry-block
    attempts: 2
    verify: tasks.a.output.ok
    body: [{ id: a, tool: echo }]
  - { id: after, tool: echo, with: "{{ tasks.a.output }}" }
`),
      'test.yaml',
      types,
    );
    expect(task(def, 'r')).toMatchObject({
      spec: { attempts: 2, verify: 'tasks.a.output.ok' },
      children: [{ id: 'a' }],
    });
  });

  it('appears in the JSON Schema', () => {
    const json = JSON.stringify(definitionJsonSchema(types));
    expect(json).toContain('"const":"retry-block"');
    expect(json).toContain('Runs its tasks, then `verify`.');
  });
});
