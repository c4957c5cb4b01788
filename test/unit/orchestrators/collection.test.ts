/** collection: the body once per item (after `filter`), output an array in item order. */
import { collection } from '../../../src/orchestrators/collection';
import type { ChildRun } from '../../../src/contract/directive';
import { cancelled, childrenResponse, completed, expectKind, failed, taskContext } from './context';

const single = (extra = '') => `
- id: each
  type: collection
  items: input.items
  ${extra}
  task: { id: draft, tool: echo, with: "{{ item }}" }
`;

const multi = (extra = '') => `
- id: each
  type: collection
  items: input.items
  ${extra}
  tasks:
    - { id: draft, tool: echo, with: "{{ item }}" }
    - { id: review, tool: echo, with: "{{ tasks.draft.output }}" }
`;

const ctxFor = (yaml: string, items: unknown) => taskContext(yaml, 'each', { input: { items } });
const start = async (yaml: string, items: unknown) =>
  expectKind(await collection.start(ctxFor(yaml, items)), 'children');
const keys = (runs: ChildRun[]) => runs.map((r) => r.key);

describe('collection: start', () => {
  it.each([
    [{ a: 1 }, 'object'],
    ['abc', 'string'],
    [3, 'number'],
    [null, 'null'],
    [undefined, 'null'],
  ])(
    'items %p is not an array: fail ItemsNotArray naming the expression and what it gave',
    async (items, got) => {
      const d = expectKind(await collection.start(ctxFor(single(), items)), 'fail');
      expect(d.error.type).toBe('ItemsNotArray');
      expect(d.error.message).toContain('input.items');
      expect(d.error.message).toContain(`gave ${got}`);
    },
  );

  it('one run per item with item and index as vars, segment [key], the whole body', async () => {
    const d = await start(multi(), ['x', 'y']);
    expect(d.runs).toEqual([
      { key: '0', segment: '[0]', anonymous: false, tasks: [0, 1], vars: { item: 'x', index: 0 } },
      { key: '1', segment: '[1]', anonymous: false, tasks: [0, 1], vars: { item: 'y', index: 1 } },
    ]);
  });

  it('a single-task body (`task`) runs anonymous: its task takes the item path itself', async () => {
    const d = await start(single(), [{ id: 'epic-2' }]);
    expect(d.runs).toEqual([
      {
        key: 'epic-2',
        segment: '[epic-2]',
        anonymous: true,
        tasks: [0],
        vars: { item: { id: 'epic-2' }, index: 0 },
      },
    ]);
  });

  it('keys: item.id, else item.name, else item.key, else the index', async () => {
    const d = await start(single(), [
      { id: 'a', name: 'n' },
      { name: 'bee' },
      { key: 'k1' },
      { id: 42 },
      { other: 1 },
      'plain',
    ]);
    expect(keys(d.runs)).toEqual(['a', 'bee', 'k1', '42', '4', '5']);
  });

  it('an id unfit for a path (spaces, slashes, too long) falls back to the next field or the index', async () => {
    const d = await start(single(), [{ id: 'has space', name: 'ok' }, { id: 'a/b' }, { id: 'x'.repeat(65) }]);
    expect(keys(d.runs)).toEqual(['ok', '1', '2']);
  });

  it('duplicate keys are made unique with #index', async () => {
    const d = await start(single(), [{ id: 'a' }, { id: 'a' }, { id: 'b' }, { id: 'a' }]);
    expect(keys(d.runs)).toEqual(['a', 'a#1', 'b', 'a#3']);
    expect(d.runs.map((r) => r.segment)).toEqual(['[a]', '[a#1]', '[b]', '[a#3]']);
  });

  it("an id equal to another item's index is made unique too", async () => {
    const d = await start(single(), [{ id: '1' }, 'no id']);
    expect(keys(d.runs)).toEqual(['1', '1#1']);
  });

  it('a custom key expression names each item (sees item and index)', async () => {
    const d = await start(single('key: "item.slug & \'-\' & index"'), [{ slug: 'x' }, { slug: 'y' }]);
    expect(keys(d.runs)).toEqual(['x-0', 'y-1']);
    expect(d.runs[1].segment).toBe('[y-1]');
  });

  it('a custom key giving numbers is turned into text', async () => {
    const d = await start(single('key: item.n * 10'), [{ n: 1 }, { n: 2 }]);
    expect(keys(d.runs)).toEqual(['10', '20']);
  });

  it('keys stay unique whatever the custom key gives (a made-up key may not take an existing one)', async () => {
    // 'a', 'a' → the second becomes 'a#2', which the first item already holds.
    const d = await start(single('key: item.k'), [{ k: 'a#2' }, { k: 'a' }, { k: 'a' }]);
    const ks = keys(d.runs);
    expect(ks.filter((k, i) => ks.indexOf(k) !== i)).toEqual([]); // the keys given twice
    expect(ks.slice(0, 2)).toEqual(['a#2', 'a']);
  });

  it('filter drops items; the index stays the item position in items', async () => {
    const d = await start(single('filter: item.n > 1'), [{ n: 1 }, { n: 2 }, { n: 3 }]);
    expect(d.runs.map((r) => r.vars)).toEqual([
      { item: { n: 2 }, index: 1 },
      { item: { n: 3 }, index: 2 },
    ]);
  });

  it('item_var and index_var rename the vars, in runs, filter and key', async () => {
    const yaml = `
    - id: each
      type: collection
      items: input.items
      item_var: epic
      index_var: i
      filter: epic.ready and i < 2
      key: "'e' & i"
      task: { id: draft, tool: echo, with: "{{ epic.title }}" }
    `;
    const d = expectKind(
      await collection.start(
        ctxFor(yaml, [
          { title: 'A', ready: true },
          { title: 'B', ready: false },
          { title: 'C', ready: true },
        ]),
      ),
      'children',
    );
    expect(d.runs).toEqual([
      {
        key: 'e0',
        segment: '[e0]',
        anonymous: true,
        tasks: [0],
        vars: { epic: { title: 'A', ready: true }, i: 0 },
      },
    ]);
  });

  it('items from earlier tasks and a {{ }} items expression', async () => {
    const yaml = `
    - { id: plan, tool: echo }
    - id: each
      type: collection
      items: "{{ tasks.plan.output.epics }}"
      task: { id: draft, tool: echo }
    `;
    const ctx = taskContext(yaml, 'each', {
      tasks: { plan: { output: { epics: [{ id: 'e1' }, { id: 'e2' }] } } },
    });
    expect(keys(expectKind(await collection.start(ctx), 'children').runs)).toEqual(['e1', 'e2']);
  });

  it('parallel (default): all at once, stopOn per strategy (wait_all: none)', async () => {
    const d = await start(single(), [1, 2, 3]);
    expect(d.maxConcurrency).toBeUndefined();
    expect(d.stopOn).toBeUndefined();
    expect(d.exportOutputs).toBeFalsy();
  });

  it('batch → maxConcurrency', async () => {
    expect((await start(single('batch: 2'), [1, 2, 3])).maxConcurrency).toBe(2);
  });

  it.each([
    ['fail_fast', 'first_failure'],
    ['race', 'first_success'],
    ['best_effort', undefined],
  ])('strategy %s → stopOn %s', async (strategy, stopOn) => {
    expect((await start(single(`strategy: ${strategy}`), [1])).stopOn).toBe(stopOn);
  });

  it('sequential → maxConcurrency 1 and stopOn first_failure, even with a batch', async () => {
    const d = await start(single('mode: sequential\n  batch: 5'), [1, 2, 3]);
    expect(d.maxConcurrency).toBe(1);
    expect(d.stopOn).toBe('first_failure');
  });

  it('sequential best_effort goes on after a failure', async () => {
    const d = await start(single('mode: sequential\n  strategy: best_effort'), [1, 2]);
    expect(d.maxConcurrency).toBe(1);
    expect(d.stopOn).toBeUndefined();
  });

  it('empty items, or all filtered out: no runs', async () => {
    expect((await start(single(), [])).runs).toEqual([]);
    expect((await start(single('filter: "false"'), [1, 2])).runs).toEqual([]);
  });
});

describe('collection: respond', () => {
  it('`task` body: the array of the body task outputs, in item order', async () => {
    const ctx = ctxFor(single(), ['x', 'y', 'z']);
    const d = await collection.respond!(
      ctx,
      childrenResponse([
        completed('0', { draft: 'X' }),
        completed('1', { draft: 'Y' }),
        completed('2', { draft: 'Z' }),
      ]),
    );
    expect(d).toEqual({ kind: 'done', output: ['X', 'Y', 'Z'] });
  });

  it('`task` body skipped for an item: null in its place', async () => {
    const ctx = ctxFor(single(), ['x', 'y']);
    const d = await collection.respond!(
      ctx,
      childrenResponse([completed('0', {}), completed('1', { draft: 'Y' })]),
    );
    expect(expectKind(d, 'done').output).toEqual([null, 'Y']);
  });

  it('`tasks` body: the array of { <task id>: output } per item, in item order', async () => {
    const ctx = ctxFor(multi(), ['x', 'y']);
    const d = await collection.respond!(
      ctx,
      childrenResponse([
        completed('0', { draft: 'x1', review: 'x2' }),
        completed('1', { draft: 'y1', review: 'y2' }),
      ]),
    );
    expect(d).toEqual({
      kind: 'done',
      output: [
        { draft: 'x1', review: 'x2' },
        { draft: 'y1', review: 'y2' },
      ],
    });
  });

  it('empty items: done([])', async () => {
    const ctx = ctxFor(single(), []);
    const start = expectKind(await collection.start(ctx), 'children');
    const d = await collection.respond!(ctx, childrenResponse([], start));
    expect(d).toEqual({ kind: 'done', output: [] });
  });

  it("an item failed (wait_all): fail with the item task's type and `path: message`", async () => {
    const ctx = ctxFor(single(), ['x', 'y']);
    const error = { type: 'ToolInputInvalid', message: 'bad input', task: 'each[1]' };
    const d = await collection.respond!(
      ctx,
      childrenResponse([completed('0', { draft: 'X' }), failed('1', error)]),
    );
    expect(d).toEqual({ kind: 'fail', error: { type: 'ToolInputInvalid', message: 'each[1]: bad input' } });
  });

  it('best_effort: { ok, output } or { ok: false, error } per item, in item order', async () => {
    const ctx = ctxFor(single('strategy: best_effort'), ['x', 'y']);
    const error = { type: 'HttpError', message: '500', task: 'each[0]' };
    const d = await collection.respond!(
      ctx,
      childrenResponse([failed('0', error), completed('1', { draft: 'Y' })]),
    );
    expect(d).toEqual({
      kind: 'done',
      output: [
        { ok: false, error: { type: 'HttpError', message: '500', task: 'each[0]' } },
        { ok: true, output: 'Y' },
      ],
    });
  });

  it('race: the first completed item output', async () => {
    const ctx = ctxFor(single('strategy: race'), ['x', 'y']);
    const d = await collection.respond!(
      ctx,
      childrenResponse([cancelled('0'), completed('1', { draft: 'Y' })]),
    );
    expect(d).toEqual({ kind: 'done', output: 'Y' });
  });

  it('a response that is not children results: fail UnexpectedResponse', async () => {
    const d = expectKind(
      await collection.respond!(ctxFor(single(), []), { kind: 'signal', payload: 1 }),
      'fail',
    );
    expect(d.error.type).toBe('UnexpectedResponse');
  });
});
