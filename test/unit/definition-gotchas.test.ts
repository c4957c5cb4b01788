/**
 * Gotchas of the definition language: each mistake a user can make that JSONata would evaluate
 * quietly to something else is either refused at validate time with the fix, or behaves as
 * docs/definition-language.md says. Behaviour is checked by running the compiled task through
 * `createTaskState`, built by `createActivities` as the worker builds it, in an activity context.
 */
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { builtinTools, createActivities, ToolRegistry } from '../../src/activities';
import type { CompiledDefinition, CompiledTask } from '../../src/contract/compiled';
import type { Directive } from '../../src/contract/directive';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateFiles } from '../../src/dsl/commands';
import { formatDiagnostic } from '../../src/dsl/diagnostics';
import { evaluate } from '../../src/expressions';
import { loadDefinitionText } from '../../src/dsl/loader';
import { builtinTaskTypes } from '../../src/orchestrators/registry';

const TYPES = builtinTaskTypes();

/** A definition with `input` (a JSON Schema, or none) and the given task lines. */
function doc(tasks: string, input?: string): string {
  return ['id: gotcha', 'version: 1.0.0', ...(input ? [`input: ${input}`] : []), 'tasks:', tasks, ''].join(
    '\n',
  );
}

function load(text: string) {
  return loadDefinitionText(text, { file: 'flow.yaml' }, TYPES);
}

/** The formatted errors of a definition that must be refused. */
function refused(text: string): string[] {
  const result = load(text);
  if (result.ok) throw new Error('expected the definition to be refused, but it compiled');
  return result.errors.map(formatDiagnostic);
}

/** The compiled definition and its formatted warnings; fails on errors. */
function accepted(text: string): { definition: CompiledDefinition; warnings: string[] } {
  const result = load(text);
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return { definition: result.definition, warnings: result.warnings.map(formatDiagnostic) };
}

function taskOf(definition: CompiledDefinition, id: string): CompiledTask {
  const found = definition.tasks.find((t) => t.id === id);
  if (!found) throw new Error(`no task ${id}`);
  return found;
}

const QUIET = new DefaultLogger('ERROR');

/** Run one compiled task's `createTaskState` with `scope`, as the worker would. */
function run(task: CompiledTask, scope: Record<string, unknown>): Promise<Directive> {
  const { createTaskState } = createActivities({ types: TYPES, tools: new ToolRegistry(builtinTools) });
  return new MockActivityEnvironment({ isLocal: task.execution.local }, { logger: QUIET }).run(
    createTaskState,
    { task: { id: task.id, type: task.type, spec: task.spec, children: [] }, path: task.id, scope },
  );
}

const FIRST = '  - { id: first-step, tool: echo, with: { value: 1 } }';

describe('a task id with "-"', () => {
  it("tasks['first-step'] (a filter whose string is always true) is refused with the backtick fix", () => {
    const errors = refused(
      doc(`${FIRST}\n  - { id: b, tool: echo, with: "{{ tasks['first-step'].output.value }}" }`),
    );
    expect(errors).toEqual([
      "flow.yaml:5:32: with 'tasks['first-step'].output.value', at character 6: tasks['first-step'] is a " +
        'JSONata filter, not a key lookup: a string there is always true, so it keeps everything; write ' +
        "tasks.`first-step` (backticks quote a name with '-' or spaces) (at tasks[1].with)",
    ]);
  });

  it('tasks.first-step (first minus step) is refused with the backtick fix', () => {
    const errors = refused(doc(`${FIRST}\n  - { id: b, tool: echo, with: "{{ tasks.first-step.output }}" }`));
    expect(errors[0]).toContain("a task id with '-' must be quoted in expressions: tasks.`first-step`");
  });

  it('tasks.`first-step` reads the output, as the docs say', async () => {
    const { definition } = accepted(
      doc(`${FIRST}\n  - { id: b, tool: echo, with: "{{ tasks.\`first-step\`.output.value }}" }`),
    );
    const done = await run(taskOf(definition, 'b'), { tasks: { 'first-step': { output: { value: 1 } } } });
    expect(done).toMatchObject({ kind: 'done', output: 1 });
  });

  it('why: the bracket keeps all of tasks (a non-empty string is true), so the read finds nothing', async () => {
    const scope = { tasks: { 'first-step': { output: { value: 1 } } } };
    expect(await evaluate("tasks['first-step'].output.value", scope)).toBeNull();
    expect(await evaluate("$lookup(tasks, 'first-step').output.value", scope)).toBe(1);
  });

  it('input.my-key (my minus key) is refused when the input schema has my-key, with the backtick fix', async () => {
    const schema =
      '{ type: object, properties: { my-key: { type: string }, opts: { properties: { dry-run: {} } } } }';
    const errors = refused(
      doc(
        '  - { id: a, tool: echo, with: { k: "{{ input.my-key }}", d: "{{ input.opts.dry-run }}" } }',
        schema,
      ),
    );
    expect(errors).toEqual([
      expect.stringContaining(
        "reads input.my-key as input.my minus key: a key with '-' must be quoted in expressions: input.`my-key`",
      ),
      expect.stringContaining('reads input.opts.dry-run as input.opts.dry minus run: a key with'),
    ]);
    const { definition } = accepted(doc('  - { id: a, tool: echo, with: "{{ input.`my-key` }}" }', schema));
    expect(await run(taskOf(definition, 'a'), { input: { 'my-key': 'v' } })).toMatchObject({ output: 'v' });
  });

  it("input['my-key'] is refused too: brackets with a string are never a lookup", () => {
    const errors = refused(doc(`  - { id: a, tool: echo, with: "{{ input['my-key'] }}" }`));
    expect(errors[0]).toContain('write input.`my-key`');
  });
});

describe('an unknown function is refused at validate time, with did-you-mean, in every field', () => {
  it.each([
    ['with', `  - { id: a, tool: echo, with: { x: "{{ $uppercasee(input.name) }}" } }`, 'with'],
    ['outputs', `  - { id: a, tool: echo, outputs: "{{ $uppercasee(output) }}" }`, 'outputs'],
    ['if', `  - { id: a, tool: echo, if: "$uppercasee(input.name) = 'A'" }`, 'if'],
    [
      'a router condition',
      `  - { id: r, type: router, condition: "$uppercasee(input.kind)", routes: { A: a } }\n  - { id: a, tool: echo }`,
      'condition',
    ],
    [
      'a wait condition',
      `  - { id: w, type: wait, wait_for: go, condition: "$uppercasee(signal.ok)" }`,
      'condition',
    ],
    [
      'collection items',
      `  - { id: c, type: collection, items: "$uppercasee(input.list)", task: { id: one, tool: echo } }`,
      'items',
    ],
    [
      'a collection filter',
      `  - { id: c, type: collection, items: input.list, filter: "$uppercasee(item)", task: { id: one, tool: echo } }`,
      'filter',
    ],
    [
      'a loop until',
      `  - { id: l, type: loop, until: "$uppercasee(tasks.once.output)", max_iterations: 2, tasks: [{ id: once, tool: echo }] }`,
      'until',
    ],
    [
      'a spec-session template',
      `  - id: s\n    type: spec-session\n    source: input.md\n    templates: { phase: "{{ $checklistt(phase.gate) }}" }`,
      'templates',
    ],
  ])('in %s', (_, tasks, field) => {
    const errors = refused(doc(tasks));
    expect(errors).toHaveLength(1);
    const wanted = field === 'templates' ? '$checklist()' : '$uppercase()';
    expect(errors[0]).toMatch(new RegExp(`^flow\\.yaml:\\d+:\\d+: ${field} '`));
    expect(errors[0]).toContain(`: did you mean ${wanted}?`);
  });

  it('in a template file of a dynamic definition, at the line naming the file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gotcha-dynamic-'));
    fs.writeFileSync(path.join(dir, 'phase.md'), '# {{ phase.name }}\n{{ $numbred(phase.tasks) }}\n');
    const file = path.join(dir, 'flow.yaml');
    fs.writeFileSync(
      file,
      'id: dyn\nversion: 1.0.0\ndynamic:\n  source: input.md\n  templates:\n    phase: phase.md\n',
    );
    const result = await validateFiles([file], TYPES);
    fs.rmSync(dir, { recursive: true });
    expect(result.exitCode).toBe(1);
    expect(result.lines).toEqual([
      `${file}:6:12: templates '$numbred(phase.tasks)', at character 8: unknown function $numbred(): did you mean $numbered()? (at dynamic.templates.phase)`,
    ]);
  });

  it("in the workflow's hooks, which run for every task (they were not checked at all)", () => {
    const text = doc(`  - { id: a, tool: echo }`).replace(
      'tasks:',
      'hooks:\n  after_task: { tool: echo, with: { x: "{{ $uppercasee(event.task) }}" } }\n  on_complete: { tool: echo, with: { y: "{{ a = = b }}" } }\ntasks:',
    );
    expect(refused(text)).toEqual([
      expect.stringMatching(
        /^flow\.yaml:4:40: hooks .*unknown function \$uppercasee\(\): did you mean \$uppercase\(\)\?/,
      ),
      expect.stringMatching(/^flow\.yaml:5:41: invalid expression in hooks: The symbol "=" cannot be used/),
    ]);
  });

  it("functions the expression defines, its parameters and JSONata's own are not flagged", () => {
    const { warnings } = accepted(
      doc(
        [
          '  - id: a',
          '    tool: echo',
          '    with:',
          '      f: "{{ ($double := function($x) { $x * 2 }; $double(3)) }}"',
          '      m: "{{ $map([1, 2], function($v, $i) { $v + $i }) }}"',
          '      p: "{{ [1, 2]@$n.($n * 2) }}"',
          '      s: "{{ $string(1) & $uppercase(\'a\') ~> $lowercase() }}"',
        ].join('\n'),
      ),
    );
    expect(warnings).toEqual([]);
  });

  it('$item (a scope value read as a variable) is refused: write item', () => {
    const errors = refused(
      doc(
        `  - { id: c, type: collection, items: input.list, task: { id: one, tool: echo, with: "{{ $item }}" } }`,
      ),
    );
    expect(errors[0]).toContain("$item is not defined: scope values are read without '$': write item");
  });
});

describe("a collection's variable cannot take a root's name", () => {
  it.each(['secrets', 'input', 'tasks'])('item_var: %s is refused (it would hide the root)', (name) => {
    const errors = refused(
      doc(
        `  - { id: c, type: collection, items: "{{ [1, 2] }}", item_var: ${name}, task: { id: one, tool: echo } }`,
      ),
    );
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^flow\\.yaml:4:\\d+: '${name}' is a root every expression reads .*name the variable something else`,
        ),
      ),
    ]);
  });
});

describe('the determinism ban has no back door', () => {
  it.each([
    ["$eval('$now()')", '$eval() is not allowed: it evaluates text at run time'],
    ['$eval(input.code)', '$eval() is not allowed'],
    ['$now()', '$now() is not allowed at character 4'],
    ['($f := $millis; $f())', '$millis() is not allowed'],
    ['$shuffle([1, 2])', '$shuffle() is not allowed'],
  ])('%s is refused at validate time', (expression, message) => {
    const errors = refused(doc(`  - { id: a, tool: echo, with: { x: "{{ ${expression} }}" } }`));
    expect(errors[0]).toContain(message);
    expect(errors[0]).toContain('compute');
  });

  it('a banned function reached at run time fails the task with a typed error', async () => {
    // A definition compiled before the check refused $eval (pinned runs keep their text).
    const task: CompiledTask = {
      ...taskOf(accepted(doc(`  - { id: a, tool: echo, with: "{{ input.code }}" }`)).definition, 'a'),
    };
    task.spec = { ...task.spec, with: '{{ $eval(input.code) }}' };
    for (const code of ['$now()', '$millis()', '$random()', "$eval('$random()')"]) {
      const failure = await run(task, { input: { code } }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ApplicationFailure);
      expect(failure).toMatchObject({ type: 'ExpressionError', nonRetryable: true });
      expect((failure as Error).message).toMatch(
        /^\$(now|millis|random)\(\) is not allowed \(reached at run time\)/,
      );
    }
  });
});

describe('missing values', () => {
  const schema = '{ type: object, properties: { skip: { type: boolean } } }';

  it('`if: input.skip != true` skips the task when skip is missing (JSONata), and the checker warns', async () => {
    const { definition, warnings } = accepted(
      doc('  - { id: a, tool: echo, if: "input.skip != true" }', schema),
    );
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^flow\.yaml:5:30: warning: if 'input\.skip != true', at character 13: /);
    expect(warnings[0]).toContain('Write $not(input.skip = true) to include a missing value');
    expect(await run(taskOf(definition, 'a'), { input: {} })).toMatchObject({ skipped: true, output: null });
  });

  it('no comparison with a missing value is true, as the docs say', async () => {
    for (const comparison of ['input.skip != true', 'input.skip = true', 'input.skip = null'])
      expect(await evaluate(comparison, { input: {} })).toBe(false);
    for (const missing of ['input.n < 5', '$not(input.n < 5)', 'input.n + 1'])
      expect(await evaluate(missing, { input: {} })).toBeNull();
    expect(await evaluate("input.s & 'x'", { input: {} })).toBe('x');
    expect(await evaluate('$not($exists(input.n)) or input.n >= 5', { input: {} })).toBe(true);
    expect(await evaluate('$not(input.skip = true)', { input: {} })).toBe(true);
    expect(await evaluate('$exists(input.skip) and input.skip != true', { input: {} })).toBe(false);
  });

  it('flowstate validate prints the warning and still exits 0', async () => {
    const file = path.join(os.tmpdir(), `gotcha-${process.pid}.yaml`);
    fs.writeFileSync(file, doc('  - { id: a, tool: echo, if: "input.skip != true" }', schema));
    const result = await validateFiles([file], TYPES);
    fs.rmSync(file);
    expect(result.exitCode).toBe(0);
    expect(result.lines).toEqual([
      expect.stringMatching(new RegExp(`^${file}:5:30: warning: if 'input.skip != true'`)),
      `ok ${file} (gotcha@1.0.0, 1 task)`,
    ]);
  });

  it('`$not(input.skip = true)` runs the task when skip is missing, and is not warned about', async () => {
    const { definition, warnings } = accepted(
      doc('  - { id: a, tool: echo, if: "$not(input.skip = true)", with: { ran: true } }', schema),
    );
    expect(warnings).toEqual([]);
    expect(await run(taskOf(definition, 'a'), { input: {} })).toMatchObject({ output: { ran: true } });
  });

  it('`input.x = null` is false for a missing x (missing is not null); $exists says it', async () => {
    const text = doc(
      '  - { id: a, tool: echo, with: { eq: "{{ input.x = null }}", ex: "{{ $exists(input.x) }}" } }',
    );
    const { definition, warnings } = accepted(text);
    expect(warnings[0]).toContain('Write $not($exists(input.x)) to test that it is missing');
    expect(await run(taskOf(definition, 'a'), { input: {} })).toMatchObject({
      output: { eq: false, ex: false },
    });
  });

  it('`if: $not(input.n < 5)` skips the task when n is missing, and the checker warns', async () => {
    const { definition, warnings } = accepted(doc('  - { id: a, tool: echo, if: "$not(input.n < 5)" }'));
    expect(warnings[0]).toContain('Write $not($exists(input.n)) or ... to include a missing value');
    expect(await run(taskOf(definition, 'a'), { input: {} })).toMatchObject({ skipped: true });
  });

  it('no warning when the schema requires the value at every level, or $exists guards it', () => {
    const nested = (required: string) =>
      `{ type: object, required: [opts], properties: { opts: { type: object, ${required} properties: { fast: { type: boolean } } } } }`;
    const task = '  - { id: a, tool: echo, if: "input.opts.fast != true" }';
    expect(accepted(doc(task, nested('required: [fast],'))).warnings).toEqual([]);
    expect(accepted(doc(task, nested(''))).warnings[0]).toContain(
      'the input schema does not require fast in input.opts',
    );
    const guarded = '  - { id: a, tool: echo, if: "$exists(input.opts.fast) and input.opts.fast != true" }';
    expect(accepted(doc(guarded, nested(''))).warnings).toEqual([]);
  });

  it('a missing value in a whole {{ }} is null; inside text it renders as nothing', async () => {
    const { definition } = accepted(
      doc('  - { id: a, tool: echo, with: { whole: "{{ input.nope }}", text: "[{{ input.nope }}]" } }'),
    );
    expect(await run(taskOf(definition, 'a'), { input: {} })).toMatchObject({
      output: { whole: null, text: '[]' },
    });
  });
});

describe('{{ }} keeps the type only when it is the whole string', () => {
  it('a whole {{ }} keeps numbers and objects; text around it makes a string', async () => {
    const { definition } = accepted(
      doc(
        '  - { id: a, tool: echo, with: { n: "{{ input.n }}", o: "{{ input.o }}", t: "n={{ input.n }}", j: "o={{ input.o }}", s: " {{ input.n }} " } }',
      ),
    );
    expect(await run(taskOf(definition, 'a'), { input: { n: 3, o: { k: [1] } } })).toMatchObject({
      output: { n: 3, o: { k: [1] }, t: 'n=3', j: 'o={"k":[1]}', s: 3 },
    });
  });

  it('an expression field with text around {{ }} is refused', () => {
    expect(refused(doc('  - { id: a, tool: echo, if: "yes: {{ input.ok }}" }'))[0]).toContain(
      'if must be one expression, written bare (input.n > 3) or as one {{ input.n > 3 }}, not text around {{ }}',
    );
  });

  it('a {{ without }} stays text, with a warning', () => {
    expect(accepted(doc('  - { id: a, tool: echo, with: { x: "{{ input.n" } }')).warnings[0]).toContain(
      "with has '{{' without a matching '}}': that part is kept as plain text",
    );
  });

  it('description is never a template', () => {
    const { definition } = accepted(doc('  - { id: a, tool: echo, description: "{{ $nope() }}" }'));
    expect(taskOf(definition, 'a').reads).toEqual([]);
  });
});

describe('operators from other languages', () => {
  it.each([
    ['input.a && input.b', "write 'and'"],
    ['input.a || input.b', "write 'or'"],
    ['input.a == 1', "write '='"],
    ['!input.a', 'write $not(...)'],
  ])('%s is refused with the JSONata spelling', (expression, fix) => {
    expect(refused(doc(`  - { id: a, tool: echo, if: "${expression}" }`))[0]).toContain(fix);
  });
});

describe('tasks.<id> across scopes', () => {
  it("a collection's inner task is not visible after it: read the collection's output", () => {
    const errors = refused(
      doc(
        [
          '  - { id: each, type: collection, items: "[1, 2]", task: { id: one, tool: echo, with: "{{ item }}" } }',
          '  - { id: after, tool: echo, with: "{{ tasks.one.output }}" }',
        ].join('\n'),
      ),
    );
    expect(errors[0]).toContain(
      "it runs inside 'each', whose tasks are visible only inside it (read tasks.each.output instead)",
    );
  });

  it("a loop's until sees the pass's tasks; after the loop they are not visible: read the loop's output", () => {
    const loop =
      '  - { id: l, type: loop, until: "tasks.once.output.done = true", max_iterations: 3, tasks: [{ id: once, tool: echo }] }';
    accepted(doc(loop));
    const errors = refused(doc(`${loop}\n  - { id: after, tool: echo, with: "{{ tasks.once.output }}" }`));
    expect(errors[0]).toContain(
      "it runs inside 'l', whose tasks are visible only inside it (read tasks.l.output instead)",
    );
  });

  it("a parallel branch's output is visible after the parallel task, as the docs say", () => {
    accepted(
      doc(
        [
          '  - { id: both, type: parallel, tasks: [{ id: left, tool: echo }, { id: right, tool: echo }] }',
          '  - { id: after, tool: echo, with: "{{ tasks.left.output }}" }',
        ].join('\n'),
      ),
    );
  });
});

describe('YAML reads some values as numbers', () => {
  it('version: 1.2 is a number, refused with the fix', () => {
    expect(refused(doc('  - { id: a, tool: echo }').replace('version: 1.0.0', 'version: 1.2'))).toEqual([
      'flow.yaml:2:10: version 1.2: expected a semantic version such as 1.2.0, written as a string (at version)',
    ]);
  });
});

describe('route keys', () => {
  it('numbers and booleans match routes written as YAML keys (1:, true:)', async () => {
    const { definition } = accepted(
      doc(
        [
          '  - { id: r, type: router, condition: input.v, routes: { 1: one, true: yes }, default: other }',
          '  - { id: one, tool: echo, final: true }',
          '  - { id: yes, tool: echo, final: true }',
          '  - { id: other, tool: echo }',
        ].join('\n'),
      ),
    );
    const router = taskOf(definition, 'r');
    expect(await run(router, { input: { v: 1 } })).toMatchObject({ output: { route: '1' }, next: 'one' });
    expect(await run(router, { input: { v: true } })).toMatchObject({
      output: { route: 'true' },
      next: 'yes',
    });
    expect(await run(router, { input: { v: '1' } })).toMatchObject({ output: { route: '1' }, next: 'one' });
    expect(await run(router, { input: {} })).toMatchObject({ output: { route: 'default' }, next: 'other' });
  });
});
