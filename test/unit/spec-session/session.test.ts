import { SpecTasksParser } from '../../../src/sources/spec-tasks';
import type { SourceDocument } from '../../../src/sources/types';
import {
  dependencyProblems,
  openDependencies,
  templatesOf,
  viewsOf,
} from '../../../src/orchestrators/spec-session/session';
import { SAMPLE_INPUT } from './helpers';

const parse = (text: string): SourceDocument => {
  const r = new SpecTasksParser().parse(text);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.document!;
};

const doc = (phases: Array<{ id: string; deps?: string[]; taskDeps?: string[] }>): SourceDocument => ({
  title: 'T',
  phases: phases.map((p, i) => ({
    id: p.id,
    number: Number(p.id),
    name: `P${p.id}`,
    description: '',
    tasks: [
      {
        id: `${p.id}.1`,
        title: 't',
        done: false,
        dependencies: p.taskDeps ?? [],
        criteria: [],
        line: i * 10 + 2,
      },
    ],
    gate: [],
    dependencies: p.deps ?? [],
    line: i * 10 + 1,
  })),
});

describe('dependency checks', () => {
  test('phases and tasks depending on earlier ones are fine', () => {
    expect(
      dependencyProblems(
        doc([{ id: '1' }, { id: '2', deps: ['1'], taskDeps: ['1.1'] }, { id: '3', deps: ['1', '2'] }]),
      ),
    ).toEqual([]);
  });

  test('a phase depending on a later or unknown phase, or on itself, cannot run', () => {
    expect(
      dependencyProblems(
        doc([
          { id: '1', deps: ['2'] },
          { id: '2', deps: ['9'] },
          { id: '3', deps: ['3'] },
        ]),
      ),
    ).toEqual([
      "phase 1 'P1' (line 1) depends on phase 2, which comes after it: phases run in document order, so it could never start",
      "phase 2 'P2' (line 11) depends on phase 9, which the document does not have",
      "phase 3 'P3' (line 21) depends on itself",
    ]);
  });

  test('a task depending on a task of a later phase, or an unknown one, cannot be done', () => {
    expect(
      dependencyProblems(
        doc([
          { id: '1', taskDeps: ['2.1'] },
          { id: '2', taskDeps: ['7.7'] },
        ]),
      ),
    ).toEqual([
      'task 1.1 (line 2) in phase 1 depends on task 2.1 of the later phase 2: it could never be done',
      'task 2.1 (line 12) depends on task 7.7, which the document does not have',
    ]);
  });

  test('from the parser: a phase whose dependencies name a later phase', () => {
    const parsed = parse(
      '### Phase 1: A\n**Dependencies**: Phase 2\n- [ ] **Task 1.1**: a\n### Phase 2: B\n- [ ] **Task 2.1**: b\n',
    );
    expect(dependencyProblems(parsed)).toEqual([
      expect.stringMatching(/^phase 1 'A' \(line 1\) depends on phase 2, which comes after it/),
    ]);
  });

  test('openDependencies: what is not complete when a phase would start', () => {
    const d = doc([{ id: '1' }, { id: '2' }, { id: '3', deps: ['1', '2'] }]);
    expect(openDependencies(d, 2)).toEqual([]);
    expect(openDependencies({ ...d, phases: [d.phases[2]!, d.phases[0]!, d.phases[1]!] }, 0)).toEqual([
      '1',
      '2',
    ]);
  });
});

describe('views', () => {
  test('current-phase, task <phase> <n> and session, rendered', async () => {
    const document = parse(SAMPLE_INPUT.tasks_md);
    const views = (await viewsOf(
      { title: document.title, document, index: 0, evidence: [] },
      templatesOf({}),
      SAMPLE_INPUT,
    )) as any;
    expect(views['current-phase']).toMatchObject({
      id: '1',
      position: 1,
      name: 'Core Infrastructure',
      goal: 'Create the data models and the parser',
      tasks: [
        { n: 1, id: '1.1' },
        { n: 2, id: '1.2', dependencies: ['1.1'] },
      ],
      gate: [
        { n: 1, text: 'All data models created and tested' },
        { n: 2 },
        { n: 3, text: 'No linting errors' },
      ],
    });
    expect(views['current-phase'].content).toContain('## Phase 1 of 3: Core Infrastructure');
    expect(Object.keys(views.task)).toEqual(['1']);
    expect(views.task['1']['2']).toMatchObject({
      phase: '1',
      n: 2,
      id: '1.2',
      criteria: [{ n: 1, text: 'Parser extracts phases, tasks, criteria and gates' }, { n: 2 }],
    });
    expect(views.task['1']['2'].content).toContain('- [ ] Error handling for malformed tasks.md');
    expect(views.session).toMatchObject({
      title: 'Implementation Tasks',
      position: 1,
      total: 3,
      phases: [
        { id: '1', status: 'current' },
        { id: '2', status: 'pending' },
        { id: '3', status: 'pending' },
      ],
      evidence: [],
    });
  });
});
