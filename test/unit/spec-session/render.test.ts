import { bullets, checklist, formatValue, numbered } from '../../../src/orchestrators/spec-session/format';
import { RenderCache, renderUncached } from '../../../src/orchestrators/spec-session/render';
import { DEFAULT_PHASE_TEMPLATE, templateWarnings } from '../../../src/orchestrators/spec-session/templates';

const gate = [
  { n: 1, text: 'Tests pass', done: false },
  { n: 2, text: 'No linting errors', done: true },
];

describe('list formatting', () => {
  test('criteria and gates become checklist lines; done items are ticked', () => {
    expect(checklist(gate)).toBe('- [ ] Tests pass\n- [x] No linting errors');
    expect(formatValue(gate)).toBe('- [ ] Tests pass\n- [x] No linting errors');
    expect(formatValue(gate[0])).toBe('- [ ] Tests pass');
  });
  test('tasks show their id and title; numbered and bullets lists; plain values joined', () => {
    expect(checklist([{ id: '1.1', title: 'Models', done: false }])).toBe('- [ ] 1.1: Models');
    expect(numbered(['a', 'b'])).toBe('1. a\n2. b');
    expect(bullets('only')).toBe('- only');
    expect(formatValue(['1', '2'])).toBe('1, 2');
    expect(formatValue([])).toBe('');
    expect(formatValue(null)).toBe('');
    expect(formatValue({ a: 1 })).toBe('{"a":1}');
    expect(formatValue(3)).toBe('3');
  });
});

describe('rendering', () => {
  test('placeholders, helpers and lists; missing placeholders render empty', async () => {
    const text = await renderUncached(
      '# {{ phase.name }}{{ phase.nothing }}\n{{ $checklist(phase.gate) }}\n{{ missing.deep.path }}\n\n\n\nend',
      {
        phase: { name: 'Core', gate },
      },
    );
    expect(text).toBe('# Core\n- [ ] Tests pass\n- [x] No linting errors\n\nend\n');
  });

  test('a failing expression names itself', async () => {
    await expect(renderUncached('{{ $nope(1) }}', {})).rejects.toThrow(
      /template expression '\$nope\(1\)' failed/,
    );
  });

  test('nondeterministic functions are refused, as everywhere in definitions', async () => {
    await expect(renderUncached('{{ $now() }}', {})).rejects.toThrow(/\$now\(\) is not allowed/);
  });

  test('the default phase template renders a phase', async () => {
    const text = await renderUncached(DEFAULT_PHASE_TEMPLATE, {
      phase: {
        id: '1',
        name: 'Core',
        description: 'Models first',
        goal: null,
        tasks: [{ id: '1.1', title: 'Models' }],
        gate,
      },
      session: { title: 'Plan', total: 2 },
      task: null,
      input: null,
    });
    expect(text).toContain('## Phase 1 of 2: Core');
    expect(text).toContain('1. 1.1: Models');
    expect(text).toContain('- [ ] Tests pass');
    expect(text).not.toContain('Goal');
  });
});

describe('the render cache', () => {
  test('keyed by template and content: same both → hit; either changed → miss', async () => {
    const cache = new RenderCache();
    const roots = { phase: { name: 'A' } };
    expect(await cache.render('{{ phase.name }}', roots)).toBe('A\n');
    expect(await cache.render('{{ phase.name }}', { phase: { name: 'A' } })).toBe('A\n');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 1 });
    expect(await cache.render('{{ phase.name }}!', roots)).toBe('A!\n');
    expect(await cache.render('{{ phase.name }}', { phase: { name: 'B' } })).toBe('B\n');
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 3, size: 3 });
  });

  test('bounded: the least recently used entry goes first', async () => {
    const cache = new RenderCache(2);
    await cache.render('{{ n }}', { n: 1 });
    await cache.render('{{ n }}', { n: 2 });
    await cache.render('{{ n }}', { n: 1 }); // hit: 1 is now the most recent
    await cache.render('{{ n }}', { n: 3 }); // evicts 2
    expect(cache.stats().size).toBe(2);
    await cache.render('{{ n }}', { n: 1 });
    expect(cache.stats().hits).toBe(2);
    await cache.render('{{ n }}', { n: 2 });
    expect(cache.stats().misses).toBe(4);
  });

  test('bounded by the text it keeps', async () => {
    const cache = new RenderCache(100, 50);
    for (let i = 0; i < 10; i++) await cache.render('{{ t }}', { t: `${i}`.padEnd(20, 'x') });
    expect(cache.stats().size).toBeLessThanOrEqual(3);
  });
});

describe('templateWarnings: placeholders that can never resolve', () => {
  test('unknown roots, unknown fields (with a hint) and task in the phase template', () => {
    const template = '# {{ title }}\n\n{{ phase.nmae }}\n{{ task.title }}\n{{ session.phases.stat }}';
    const warnings = templateWarnings(template, 'phase');
    expect(warnings).toEqual([
      {
        line: 1,
        col: 3,
        message: expect.stringContaining(
          "'title' is not something a template sees (roots: phase, session, input)",
        ),
      },
      {
        line: 3,
        col: 1,
        message: expect.stringContaining("phase has no field 'nmae': did you mean 'name'?"),
      },
      { line: 4, col: 1, message: expect.stringContaining('task is seen by the task template only') },
      {
        line: 5,
        col: 1,
        message: expect.stringContaining("session.phases has no field 'stat': did you mean 'status'?"),
      },
    ]);
    expect(warnings[1]!.message).toMatch(/renders empty$/);
  });

  test('names relative to something else (filters, mapped steps, function bodies) are not roots', () => {
    const template = [
      '{{ phase.tasks[done = false].title }}',
      '{{ phase.tasks.(id & title) }}',
      '{{ $map(phase.gate, function($g) { $g.text }) }}',
      '{{ $checklist(task.criteria) }}',
      '{{ input.anything.goes }}',
      '{{ $count(phase.tasks) > 1 ? "many" : "one" }}',
    ].join('\n');
    expect(templateWarnings(template, 'task')).toEqual([]);
  });

  test('the example templates have none', () => {
    const fs = require('node:fs') as typeof import('node:fs');
    const dir = `${__dirname}/../../../definitions/templates`;
    expect(templateWarnings(fs.readFileSync(`${dir}/spec-phase.md`, 'utf8'), 'phase')).toEqual([]);
    expect(templateWarnings(fs.readFileSync(`${dir}/spec-task.md`, 'utf8'), 'task')).toEqual([]);
  });
});
