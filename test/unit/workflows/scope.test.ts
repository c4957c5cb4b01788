/**
 * Scopes as the interpreter keeps them: what goes into each activity call (`sliceScope`) and what a
 * batch child workflow carries of its parent's frame (`snapshotFor`). Both decide what lands in
 * history, so they must send what a task reads and nothing more.
 */
import type { CompiledTask } from '../../../src/contract/compiled';
import { Frame, sliceScope, snapshotFor, taskPath } from '../../../src/workflows/scope';

const base = { input: { repo: 'r' }, workflow: { id: 'wf-1' } };

/** A compiled task with just what the scope helpers read. */
function task(id: string, reads: string[], children: CompiledTask[] = []): CompiledTask {
  return { id, type: 'basic', spec: {}, children, reads, execution: {} as CompiledTask['execution'] };
}

/** Root frame with outputs `a` and `b`, and a pass frame (variable `item`) that has its own `b`. */
function frames() {
  const root = new Frame(undefined, { region: 'eu' });
  root.outputs.set('a', 'root-a');
  root.outputs.set('b', 'root-b');
  const pass = root.child({ item: { n: 1 }, index: 0 });
  pass.outputs.set('b', 'pass-b');
  return { root, pass };
}

describe('sliceScope', () => {
  test('sends only the roots a task reads', () => {
    const { pass } = frames();
    expect(sliceScope(['input'], pass, base)).toEqual({ input: { repo: 'r' } });
    expect(sliceScope(['workflow'], pass, base)).toEqual({ workflow: { id: 'wf-1' } });
    expect(sliceScope([], pass, base)).toEqual({});
  });

  test('tasks.<id> finds the nearest frame that ran it: a pass sees its own sibling first', () => {
    const { root, pass } = frames();
    expect(sliceScope(['tasks.b', 'tasks.a'], pass, base)).toEqual({
      tasks: { b: { output: 'pass-b' }, a: { output: 'root-a' } },
    });
    expect(sliceScope(['tasks.b'], root, base)).toEqual({ tasks: { b: { output: 'root-b' } } });
  });

  test('a task that has not run is left out, and no empty `tasks` is sent', () => {
    const { pass } = frames();
    expect(sliceScope(['tasks.later'], pass, base)).toEqual({});
    expect(sliceScope(['tasks.later', 'tasks.a'], pass, base)).toEqual({
      tasks: { a: { output: 'root-a' } },
    });
  });

  test('`tasks` sends every visible output, inner frames shadowing outer ones', () => {
    const { pass } = frames();
    expect(sliceScope(['tasks'], pass, base)).toEqual({
      tasks: { a: { output: 'root-a' }, b: { output: 'pass-b' } },
    });
  });

  test('a variable is read up the chain; an unknown one is left out', () => {
    const { pass } = frames();
    expect(sliceScope(['item', 'region', 'missing'], pass, base)).toEqual({ item: { n: 1 }, region: 'eu' });
  });

  test('a null output or variable is sent (only undefined is left out)', () => {
    const root = new Frame(undefined, { flag: null });
    root.outputs.set('failed', null);
    expect(sliceScope(['tasks.failed', 'flag'], root, base)).toEqual({
      flag: null,
      tasks: { failed: { output: null } },
    });
  });

  test('`*` sends input, workflow, every output and every variable', () => {
    const { pass } = frames();
    expect(sliceScope(['*'], pass, base)).toEqual({
      input: base.input,
      workflow: base.workflow,
      item: { n: 1 },
      index: 0,
      region: 'eu',
      tasks: { a: { output: 'root-a' }, b: { output: 'pass-b' } },
    });
  });
});

describe('snapshotFor', () => {
  test('carries the outputs the tasks and their descendants read, and every variable', () => {
    const { pass } = frames();
    const container = task('batch', [], [task('inner', [], [task('deep', ['tasks.a'])])]);
    expect(snapshotFor([container], pass)).toEqual({
      outputs: { a: 'root-a' },
      vars: { item: { n: 1 }, index: 0, region: 'eu' },
    });
  });

  test('an inner output shadows an outer one of the same id', () => {
    const { pass } = frames();
    expect(snapshotFor([task('x', ['tasks.b'])], pass).outputs).toEqual({ b: 'pass-b' });
  });

  test('`tasks` or `*` anywhere below carries every visible output', () => {
    const { pass } = frames();
    const all = { a: 'root-a', b: 'pass-b' };
    expect(snapshotFor([task('x', [], [task('y', ['tasks'])])], pass).outputs).toEqual(all);
    expect(snapshotFor([task('x', ['*'])], pass).outputs).toEqual(all);
    expect(snapshotFor([task('x', ['input'])], pass).outputs).toEqual({});
  });

  test('a frame rebuilt from a snapshot slices the same scope as the frame it came from', () => {
    const { pass } = frames();
    const tasks = [task('x', ['tasks.a', 'tasks.b', 'item', 'region'])];
    const rebuilt = Frame.fromSnapshot(snapshotFor(tasks, pass));
    const reads = tasks[0].reads;
    expect(sliceScope(reads, rebuilt, base)).toEqual(sliceScope(reads, pass, base));
  });
});

test('taskPath joins a prefix and an id; an anonymous run takes its prefix', () => {
  expect(taskPath('', 'analyse')).toBe('analyse');
  expect(taskPath('analyse', 'security')).toBe('analyse/security');
  expect(taskPath('architecture[epic-2]', 'draft', true)).toBe('architecture[epic-2]');
});
