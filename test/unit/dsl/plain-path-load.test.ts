/**
 * Loading a large definition must not hand its plain-path expressions (`tasks.t1.output.value`) to
 * JSONata's parser: it rebuilds its symbol table on every call, and 20,000 such parses were most of
 * `validate`'s semantic checks (issue 18, row 9). Counted, not timed: a regression shows as calls.
 */
import { builtinTaskTypes } from '../../../src/orchestrators/registry';
import { loadDefinitionText } from '../../../src/dsl/loader';

jest.mock('jsonata', () => {
  const real = jest.requireActual('jsonata');
  return Object.assign(
    jest.fn((...args: unknown[]) => real(...args)),
    real,
  );
});
const jsonata = jest.requireMock('jsonata') as jest.Mock;

/** `n` echo tasks, each reading the one before it, and one expression that is not a plain path. */
function chain(n: number): string {
  const tasks = Array.from({ length: n }, (_, i) => {
    const value = i === 0 ? 'input.x' : `tasks.t${i - 1}.output.value`;
    return `  - id: t${i}\n    tool: echo\n    with: { value: "{{ ${value} }}" }\n`;
  });
  const last = `  - id: sum\n    tool: echo\n    with: { n: "{{ $count(tasks.t${n - 1}.output) + 1 }}" }\n`;
  return `id: chain\nversion: 1.0.0\ntasks:\n${tasks.join('')}${last}`;
}

it('parses none of the plain paths of a 300-task definition with JSONata, and still the one that is not', () => {
  jsonata.mockClear();
  const loaded = loadDefinitionText(chain(300), { file: 'chain.yaml' }, builtinTaskTypes());
  expect(loaded.ok).toBe(true);
  expect(jsonata.mock.calls.map((c) => c[0])).toEqual(['$count(tasks.t299.output) + 1']);
  if (loaded.ok) {
    expect(loaded.definition.tasks[1]!.reads).toEqual(['tasks.t0']);
    expect(loaded.definition.tasks[300]!.reads).toEqual(['tasks.t299']);
  }
});

it('still reports a plain path that names no task, at its task with did-you-mean', () => {
  // t2 (lines 10-12) reads t1: make it read t9.
  const text = chain(3).replace('tasks.t1.output.value', 'tasks.t9.output.value');
  const loaded = loadDefinitionText(text, { file: 'chain.yaml' }, builtinTaskTypes());
  expect(loaded.ok).toBe(false);
  if (!loaded.ok)
    expect(loaded.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
      "12:20 with reads tasks.t9, but no task has id 't9': did you mean 't0'?",
    ]);
});
