import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Directive } from '../../../src/contract/directive';
import { allOf, complete, context, SAMPLE_INPUT, start } from './helpers';

const views = (d: Directive) => (d.kind === 'await_update' ? (d.views as any) : undefined);

describe('spec-session', () => {
  test('parses at start and waits for complete-phase on phase 1, with its views', async () => {
    const d = await start(context({}));
    expect(d).toMatchObject({
      kind: 'await_update',
      update: 'complete-phase',
      state: { index: 0, evidence: [], title: 'Implementation Tasks' },
    });
    expect(views(d)['current-phase'].content).toContain('## Phase 1 of 3: Core Infrastructure');
    expect(Object.keys(views(d))).toEqual(['current-phase', 'task', 'session']);
  });

  test('incomplete evidence is refused with the missing criteria; complete evidence moves to the next phase', async () => {
    const ctx = context({});
    const first = await start(ctx);
    const refused = await complete(ctx, first, { evidence: { criteria: { 1: 'models tested' } } });
    expect(refused).toMatchObject({
      kind: 'reject',
      details: {
        phase: '1',
        missing: [
          { n: 2, text: 'SpecTasksParser parses the example tasks.md' },
          { n: 3, text: 'No linting errors' },
        ],
      },
    });
    expect((refused as { message: string }).message).toContain(
      '2. SpecTasksParser parses the example tasks.md',
    );
    const second = await complete(ctx, first, { phase: '1', ...allOf(3) });
    expect(second).toMatchObject({
      kind: 'await_update',
      reply: {
        completed: { id: '1', name: 'Core Infrastructure' },
        next: { id: '2', position: 2 },
        done: false,
      },
      state: {
        index: 1,
        evidence: [{ phase: '1', criteria: [{ n: 1, note: 'done 1' }, { n: 2 }, { n: 3 }] }],
      },
    });
    expect(views(second)['current-phase']).toMatchObject({ id: '2', name: 'Dynamic Content Registry' });
    expect(views(second).session.phases.map((p: any) => p.status)).toEqual([
      'complete',
      'current',
      'pending',
    ]);
  });

  test('through every phase to the output; the phase guard refuses a stale update', async () => {
    const ctx = context({});
    let d = await start(ctx);
    d = await complete(ctx, d, allOf(3));
    expect(await complete(ctx, d, { phase: '1', ...allOf(3) })).toMatchObject({
      kind: 'reject',
      message: "phase 1 is not the current phase: phase 2 'Dynamic Content Registry' is",
    });
    d = await complete(ctx, d, allOf(2));
    d = await complete(ctx, d, {
      criteria: { 'All integration tests pass': 'jest', 'Documentation complete': 'docs/spec-sessions.md' },
    });
    expect(d).toMatchObject({
      kind: 'done',
      reply: { completed: { id: '3' }, next: null, done: true },
      output: {
        title: 'Implementation Tasks',
        phases: [
          { id: '1', status: 'complete' },
          { id: '2', status: 'complete' },
          { id: '3', status: 'complete' },
        ],
        evidence: [
          { phase: '1' },
          { phase: '2' },
          { phase: '3', criteria: [{ note: 'jest' }, { note: 'docs/spec-sessions.md' }] },
        ],
      },
    });
  });

  test('parse errors fail the task with their line numbers', async () => {
    const d = await start(context({}, { tasks_md: '# Plan\n\n### Phase 1: A\n- [-] **Task 1.1**: a\n' }));
    expect(d).toMatchObject({ kind: 'fail', error: { type: 'SpecParseError' } });
    expect((d as any).error.message).toMatch(/line 4: malformed checkbox/);
  });

  test('phases that cannot run in order fail the task clearly', async () => {
    const d = await start(
      context(
        {},
        {
          tasks_md:
            '### Phase 1: A\n**Dependencies**: Phase 2\n- [ ] **Task 1.1**: a\n### Phase 2: B\n- [ ] **Task 2.1**: b\n',
        },
      ),
    );
    expect(d).toMatchObject({
      kind: 'fail',
      error: {
        type: 'SpecDependencyError',
        message: expect.stringContaining('depends on phase 2, which comes after it'),
      },
    });
  });

  test('a source that is not text, a missing file, and a file on the worker', async () => {
    expect(await start(context({}, { tasks_md: 42 }))).toMatchObject({
      kind: 'fail',
      error: {
        type: 'SpecSourceError',
        message: 'source input.tasks_md gave a number: expected the document text (a string)',
      },
    });
    expect(await start(context({ source: { file: '/nonexistent/tasks.md' } }))).toMatchObject({
      kind: 'fail',
      error: { message: expect.stringContaining('no such file') },
    });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'spec-')), 'tasks.md');
    fs.writeFileSync(file, SAMPLE_INPUT.tasks_md);
    const d = await start(
      context(
        { source: { file: '{{ input.path }}' }, title: 'Run for {{ input.who }}' },
        { path: file, who: 'Ada' },
      ),
    );
    expect(d).toMatchObject({ kind: 'await_update', state: { title: 'Run for Ada' } });
  });

  test('custom templates', async () => {
    const d = await start(
      context({
        templates: { phase: 'P{{ phase.id }} {{ phase.gate }}', task: '{{ task.id }}/{{ task.n }}' },
      }),
    );
    expect(views(d)['current-phase'].content).toBe(
      'P1 - [ ] All data models created and tested\n- [ ] SpecTasksParser parses the example tasks.md\n- [ ] No linting errors\n',
    );
    expect(views(d).task['1']['2'].content).toBe('1.2/2\n');
  });
});
