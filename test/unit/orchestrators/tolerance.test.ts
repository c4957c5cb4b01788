/** tolerated_failures on parallel and collection: validation, the directive, and the combined result. */
import { toleratedCount } from '../../../src/contract/strategies';
import { collection } from '../../../src/orchestrators/collection';
import { parallel } from '../../../src/orchestrators/parallel';
import { definition, errorsOf } from '../dsl/helpers';
import { cancelled, childrenResponse, completed, expectKind, failed, taskContext } from './context';

const err = (task: string) => ({ type: 'Boom', message: 'it broke', task });

const fan = (tolerance: string, extra = '') => `
- id: fan
  type: parallel
  tolerated_failures: ${tolerance}
${extra}  tasks:
    - { id: a, tool: echo, with: 1 }
    - { id: b, tool: echo, with: 2 }
    - { id: c, tool: echo, with: 3 }
    - { id: d, tool: echo, with: 4 }
`;

const items = (tolerance: string, n: number) => `
- id: each
  type: collection
  items: "[1..${n}]"
  tolerated_failures: ${tolerance}
  task: { id: work, tool: echo, with: "{{ item }}" }
`;

describe('toleratedCount', () => {
  it.each([
    [3, 10, 3],
    ['10%', 25, 2],
    ['10%', 30, 3],
    ['0%', 100, 0],
    ['100%', 7, 7],
    ['12.5%', 8, 1],
    ['33%', 3, 0],
  ] as const)('%s of %d → %d', (tolerance, total, expected) => {
    expect(toleratedCount(tolerance, total)).toBe(expected);
  });
});

describe('tolerated_failures: validation', () => {
  it.each(['-1', '1.5', '"101%"', '"10"', '"ten%"', 'true'])('refuses %s with what it expects', (value) => {
    const errors = errorsOf(definition(fan(value)));
    expect(errors).toHaveLength(1);
    expect(errors[0].path).toBe('tasks[0].tolerated_failures');
    expect(errors[0].line).toBe(7);
  });

  it.each(['0', '2', '"0%"', '"10%"', '"100%"', '"2.5%"'])('accepts %s', async (value) => {
    const d = expectKind(await parallel.start(taskContext(fan(value), 'fan')), 'children');
    expect(d.stopOn).toBeUndefined();
    expect(typeof d.maxFailures).toBe('number');
  });

  it.each([
    ['fail_fast', 'fail_fast fails at the first failure; drop strategy'],
    ['race', 'race ends at the first success'],
    ['best_effort', 'best_effort tolerates every failure; drop strategy'],
  ])('refuses strategy %s at the task, with the fix', (strategy, fix) => {
    const errors = errorsOf(definition(fan('1', `  strategy: ${strategy}\n`)));
    expect(errors.map((e) => [e.line, e.col, e.path])).toEqual([[5, 3, 'tasks[0]']]);
    expect(errors[0].message).toContain(`tolerated_failures cannot be combined with strategy: ${fix}`);
  });

  it('refuses it on a collection over a stream (items_from), and with fail_fast there too', () => {
    const stream = definition(`
- id: each
  type: collection
  items_from: { tool: pages }
  tolerated_failures: 1
  task: { id: work, tool: echo }
`);
    expect(errorsOf(stream)[0].message).toContain('tolerated_failures needs items');
    const ff = definition(items('1', 3).replace('  task:', '  strategy: fail_fast\n  task:'));
    expect(errorsOf(ff)[0].message).toContain('cannot be combined with strategy: fail_fast');
  });
});

describe('tolerated_failures: parallel', () => {
  it('start: every branch runs, stopped once more than the count failed', async () => {
    const d = expectKind(await parallel.start(taskContext(fan('1'), 'fan')), 'children');
    expect(d).toMatchObject({ maxFailures: 1 });
    expect(d.runs).toHaveLength(4);
  });

  it('"50%" of 4 branches tolerates 2', async () => {
    const d = expectKind(await parallel.start(taskContext(fan('"50%"'), 'fan')), 'children');
    expect(d.maxFailures).toBe(2);
  });

  it('within the threshold: best_effort’s shape per branch', async () => {
    const ctx = taskContext(fan('1'), 'fan');
    const results = [completed('a', { a: 1 }), failed('b', err('fan/b')), completed('c', { c: 3 })];
    const d = expectKind(
      await parallel.respond!(ctx, childrenResponse([...results, completed('d', { d: 4 })])),
      'done',
    );
    expect(d.output).toEqual({
      a: { ok: true, output: 1 },
      b: { ok: false, error: err('fan/b') },
      c: { ok: true, output: 3 },
      d: { ok: true, output: 4 },
    });
  });

  it('over it: ToleranceExceeded naming failed of total, the threshold, the cancelled and the first error', async () => {
    const ctx = taskContext(fan('1'), 'fan');
    const results = [failed('a', err('fan/a')), failed('b', err('fan/b')), completed('c'), cancelled('d')];
    const d = expectKind(await parallel.respond!(ctx, childrenResponse(results)), 'fail');
    expect(d.error).toEqual({
      type: 'ToleranceExceeded',
      message:
        '2 of 4 branches failed, more than the 1 tolerated (tolerated_failures: 1); 1 not finished were ' +
        'cancelled; first failure: fan/a: Boom: it broke',
    });
  });
});

describe('tolerated_failures: collection', () => {
  it('"10%" of 25 items → maxFailures 2, no stopOn (also in sequence)', async () => {
    const d = expectKind(await collection.start(taskContext(items('"10%"', 25), 'each')), 'children');
    expect(d).toMatchObject({ maxFailures: 2 });
    expect(d.stopOn).toBeUndefined();
    const seq = items('"10%"', 25).replace('  task:', '  mode: sequential\n  task:');
    const s = expectKind(await collection.start(taskContext(seq, 'each')), 'children');
    expect(s).toMatchObject({ maxConcurrency: 1, maxFailures: 2 });
    expect(s.stopOn).toBeUndefined();
  });

  it('within: an array of { ok, output | error } in item order; over: ToleranceExceeded', async () => {
    const ctx = taskContext(items('"10%"', 10), 'each');
    const ok = (i: number) => completed(String(i), { work: i + 1 });
    const within = [...Array.from({ length: 9 }, (_, i) => ok(i)), failed('9', err('each[9]'))];
    const d = expectKind(await collection.respond!(ctx, childrenResponse(within)), 'done');
    expect((d.output as unknown[])[0]).toEqual({ ok: true, output: 1 });
    expect((d.output as unknown[])[9]).toEqual({ ok: false, error: err('each[9]') });
    const over = [...within.slice(0, 8), failed('8', err('each[8]')), within[9]];
    const f = expectKind(await collection.respond!(ctx, childrenResponse(over)), 'fail');
    expect(f.error.type).toBe('ToleranceExceeded');
    expect(f.error.message).toMatch(
      /^2 of 10 items failed, more than the 1 tolerated \(tolerated_failures: "10%"\)/,
    );
  });
});
