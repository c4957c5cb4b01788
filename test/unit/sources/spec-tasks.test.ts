/** The rules of SpecTasksParser one at a time, on small documents; the seeds are in seeds.test.ts. */
import { parseDependencyText, parseEstimate, SpecTasksParser } from '../../../src/sources/spec-tasks';
import type { ParseResult } from '../../../src/sources/types';

const parse = (...lines: string[]): ParseResult => new SpecTasksParser().parse(lines.join('\n'));
const ok = (...lines: string[]) => {
  const result = parse(...lines);
  expect(result.errors).toEqual([]);
  return result.document!;
};

describe('parseEstimate', () => {
  it.each([
    ['2 hours', 120, 120],
    ['4-5 hours', 240, 300],
    ['1–2 hrs', 60, 120],
    ['30 minutes', 30, 30],
    ['~1.5h', 90, 90],
    ['about 45 min', 45, 45],
    ['5-3 hours', 180, 300],
  ])('%s is %d..%d minutes', (text, min, max) => {
    expect(parseEstimate(text)).toEqual({ text, minutes: { min, max } });
  });

  it.each(['3-4 days', '2 weeks', 'TBD', ''])('keeps %j as text only', (text) => {
    expect(parseEstimate(text)).toEqual({ text });
  });
});

describe('parseDependencyText', () => {
  it.each([
    ['None', []],
    ['none.', []],
    ['N/A', []],
    ['Task 1.1', [{ kind: 'task', from: '1.1' }]],
    [
      'Task 1.1, Task 1.2',
      [
        { kind: 'task', from: '1.1' },
        { kind: 'task', from: '1.2' },
      ],
    ],
    ['Tasks 1-2', [{ kind: 'task', from: '1', to: '2' }]],
    ['Tasks 1.1 to 1.3', [{ kind: 'task', from: '1.1', to: '1.3' }]],
    [
      'Task 1.1 and 2',
      [
        { kind: 'task', from: '1.1' },
        { kind: 'task', from: '2' },
      ],
    ],
    [
      '1.1, 1.2',
      [
        { kind: 'task', from: '1.1' },
        { kind: 'task', from: '1.2' },
      ],
    ],
    ['Part 1 complete', [{ kind: 'phase', from: '1' }]],
    ['Part 1, 2, 3 complete', ['1', '2', '3'].map((from) => ({ kind: 'phase', from }))],
    ['Phase 1 Complete (134 tests passing)', [{ kind: 'phase', from: '1' }]],
    ['All Phase 1-3 tasks', [{ kind: 'phase', from: '1', to: '3' }]],
    ['**Task 4.3**', [{ kind: 'task', from: '4.3' }]],
    ['All tasks', [{ kind: 'all' }]],
  ])('%s', (text, refs) => {
    expect(parseDependencyText(text)).toEqual({ refs, unknown: [] });
  });

  it('returns what names no task or phase as written', () => {
    expect(parseDependencyText('Task 2, All orchestrators; Full integration complete')).toEqual({
      refs: [{ kind: 'task', from: '2' }],
      unknown: ['All orchestrators', 'Full integration complete'],
    });
  });
});

describe('SpecTasksParser', () => {
  it('is named spec-tasks and echoes the file', () => {
    const parser = new SpecTasksParser();
    expect(parser.name).toBe('spec-tasks');
    expect(parser.parse('', { file: 'tasks.md' })).toMatchObject({ ok: false, file: 'tasks.md' });
  });

  it('reads CRLF and a byte-order mark like plain LF', () => {
    const lines = ['# T', '', '## Phase 1: A', '- [x] **Task 1.1**: Do', '  - [ ] check'];
    const lf = parse(...lines);
    const crlf = new SpecTasksParser().parse(`\uFEFF${lines.join('\r\n')}`);
    expect(crlf).toEqual(lf);
    expect(lf.ok).toBe(true);
  });

  it('skips fenced code and HTML comments', () => {
    const doc = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: Do',
      '```bash',
      '# Phase 9: not a heading',
      '- [ ] **Task 9.1**: not a task',
      '```',
      '<!--',
      '## Phase 8: commented out',
      '-->',
    );
    expect(doc.phases.map((p) => p.id)).toEqual(['1']);
    expect(doc.phases[0]!.tasks.map((t) => t.id)).toEqual(['1.1']);
  });

  it('takes the only level-1 heading as the title, even when it names a phase', () => {
    const doc = ok('# Phase 2: Executor', '## Day 1: Context', '### Task 2.1: Store');
    expect(doc.title).toBe('Phase 2: Executor');
    expect(doc.phases.map((p) => [p.id, p.name])).toEqual([['1', 'Context']]);
  });

  it('reads level-1 phase headings as phases when there are several', () => {
    const doc = ok('# Phase 1: A', '- [ ] **Task 1.1**: x', '# Phase 2: B', '- [ ] **Task 2.1**: y');
    expect(doc.title).toBe('');
    expect(doc.phases.map((p) => p.name)).toEqual(['A', 'B']);
  });

  it('numbers checkbox tasks written without a Task id, under Tasks or no label', () => {
    const doc = ok(
      '# T',
      '## Phase 3: Build',
      '**Tasks:**',
      '- [x] **Scaffold**: create the repo',
      '  and its CI',
      '  - [x] repo exists',
      '- [ ] Write the parser',
    );
    expect(doc.phases[0]!.tasks).toEqual([
      expect.objectContaining({
        id: '3.1',
        title: 'Scaffold',
        description: 'create the repo and its CI',
        done: true,
      }),
      expect.objectContaining({ id: '3.2', title: 'Write the parser', done: false, criteria: [] }),
    ]);
  });

  it('reads a section that holds task headings as a phase, with a warning', () => {
    const result = parse('# T', '## Backend', '### Task 1: API', '### Task 2: DB');
    expect(result.ok).toBe(true);
    expect(result.document!.phases).toEqual([
      expect.objectContaining({ id: '1', name: 'Backend', tasks: [expect.anything(), expect.anything()] }),
    ]);
    expect(result.warnings).toEqual([
      { line: 2, message: "section 'Backend' holds task headings: read as phase 1" },
    ]);
  });

  it('continues a phase under a second heading naming it, and reads its criteria lists as the gate', () => {
    const doc = ok(
      '# T',
      '## Phase 8 Tasks',
      '### Task 8.1: One',
      '## Phase 8 Completion Criteria',
      '**Success Validation:**',
      '- [ ] a',
      '**Performance Targets:**',
      '- [x] b',
    );
    expect(doc.phases).toHaveLength(1);
    expect(doc.phases[0]!.gate.map((g) => [g.text, g.done])).toEqual([
      ['a', false],
      ['b', true],
    ]);
  });

  it('does not take a heading with loose words after a phase number for a phase', () => {
    const doc = ok(
      '# T',
      '## Part 1: Models',
      '- [ ] **Task 1.1**: x',
      '## Troubleshooting',
      '### Part 1 Issues',
      'text',
    );
    expect(doc.phases.map((p) => p.name)).toEqual(['Models']);
  });

  it('marks a task heading done when all its criteria are ticked', () => {
    const doc = ok(
      '# T',
      '## Phase 1: A',
      '### Task 1: Done',
      '- [x] a',
      '- [x] b',
      '### Task 2: Half',
      '- [x] a',
      '- [ ] b',
      '### Task 3: Nothing to tick',
    );
    expect(doc.phases[0]!.tasks.map((t) => t.done)).toEqual([true, false, false]);
  });

  it('reads a subheading inside a task like a label', () => {
    const doc = ok(
      '# T',
      '## Phase 1: A',
      '### Task 1: One',
      '#### Acceptance Criteria',
      '- works',
      '#### Validation',
      '- [ ] reviewed',
    );
    expect(doc.phases[0]!.tasks[0]!.criteria.map((c) => c.text)).toEqual(['works']);
    expect(doc.phases[0]!.gate.map((g) => g.text)).toEqual(['reviewed']);
  });

  it('warns about a checkbox under a label that is neither criteria nor gate', () => {
    const result = parse('# T', '## Phase 1: A', '### Task 1: One', '**Notes:**', '- [ ] remember this');
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      { line: 5, message: "checkbox under 'Notes' is not a task, criterion or gate item: ignored" },
    ]);
  });

  it('reads a phase with content but no task as one task, and its phase-level criteria as that task', () => {
    const result = parse(
      '# T',
      '## Part 1: Models',
      '**Key Deliverables**:',
      '- `models.ts`',
      '**Acceptance**: tests pass',
    );
    expect(result.document!.phases[0]!.tasks).toEqual([
      {
        id: '1.1',
        title: 'Models',
        done: false,
        dependencies: [],
        criteria: [
          { text: '`models.ts`', done: false, line: 4 },
          { text: 'tests pass', done: false, line: 5 },
        ],
        line: 2,
      },
    ]);
    expect(result.warnings).toEqual([
      { line: 2, message: 'phase 1 has no tasks: its content is read as one task 1.1' },
    ]);
  });

  it('takes the first paragraph of a phase as its description', () => {
    const doc = ok(
      '# T',
      '## Phase 1: A',
      'First line',
      'goes on.',
      '',
      'Second paragraph.',
      '- [ ] **Task 1.1**: x',
    );
    expect(doc.phases[0]!.description).toBe('First line goes on.');
  });

  it('resolves dependencies on later tasks, phases and ranges, in document order', () => {
    const doc = ok(
      '# T',
      '## Phase 1: A',
      '- [ ] **Task 1.1**: a',
      '  - **Dependencies**: Task 2.2, Phase 2',
      '- [ ] **Task 1.2**: b',
      '## Phase 2: B',
      '**Dependencies**: Task 1.2',
      '- [ ] **Task 2.1**: c',
      '  - **Dependencies**: Tasks 1.1-1.2',
      '- [ ] **Task 2.2**: d',
      '  - **Dependencies**: All tasks',
    );
    const [one, two] = doc.phases;
    expect(one!.tasks[0]!.dependencies).toEqual(['2.1', '2.2']);
    expect(two!.tasks.map((t) => t.dependencies)).toEqual([
      ['1.1', '1.2'],
      ['1.1', '1.2', '2.1'],
    ]);
    expect(two!.dependencies).toEqual(['1']);
  });

  it('stays fast on long adversarial lines (regexes that could backtrack)', () => {
    const n = 50_000;
    const task = '# T\n## Phase 1: a\n- [ ] **Task 1.1**: t\n';
    const inputs = [
      ...['#', '-', '*', '[', '`', '1', ' '].map((c) => c.repeat(n)),
      `# a${' \t'.repeat(n)}x`, // closing-hash strip of a heading
      `${task}  - **Dependencies**: ${' complete'.repeat(n)}x`, // trailing words of a dependency
      `${task}  - **Estimated Time**: 1${' '.repeat(n)}x`,
      `- [${' '.repeat(n)}`,
      `## Task ${'1.'.repeat(n)}x`,
    ];
    const start = Date.now();
    for (const text of inputs) expect(() => new SpecTasksParser().parse(text)).not.toThrow();
    expect(Date.now() - start).toBeLessThan(2_000);
  });
});
