/**
 * The five seed documents (copies of shared/seeds in test/fixtures/seeds) parse, with the phase,
 * task, criterion and gate counts checked by reading each document. Why each count is what it is:
 *
 * - 000: `### Phase 1..4` with bold `- [x] **Task N.M**` items: 2+2+2+5 = 11 tasks (its overview
 *   says "15 tasks", but the document lists 11). Criteria are the nested `Acceptance Criteria`
 *   checkboxes; gates the `**Validation Gate:**` lists (5, 6, 6, 8).
 * - 001: one phase, `## Phase 8 Tasks`, holding `### Task 8.1..8.11`; criteria are the
 *   `Acceptance Criteria` plus `Definition of Done` checkboxes; `## Phase 8 Completion Criteria`
 *   continues phase 8 and its three lists (5+4+4) are the gate. The `# Phase 8: ...` heading is the
 *   title, and the `Success Criteria` list of the overview is outside any phase.
 * - 002: `## Day 1..4` are the phases (the `# Phase 2: ...` heading is the title); Days 1-3 hold two
 *   `### Task 2.x` headings each; Day 4 has no task, so its content is one task 4.1 (a warning).
 * - 003: `### Phase 1..5` with `#### Task 1..20` headings (4+3+6+4+3); criteria are the
 *   `Deliverables` checkboxes; each task's `**Validation**:` line is a gate item of its phase.
 * - 004: `### Part 1..4` hold no task, so each is one task (warnings); its criteria are the
 *   `Key Deliverables` items plus the `Acceptance` line. `### Part 1 Issues` under Troubleshooting
 *   is not a phase, and `# Part 1: Foundation` inside a code fence is not a heading.
 */
import { readFileSync } from 'fs';
import { join } from 'path';
import { SpecTasksParser } from '../../../src/sources/spec-tasks';
import { ParseResult, SourceDocument } from '../../../src/sources/types';

const SEEDS = join(__dirname, '../../fixtures/seeds');
const read = (file: string) => readFileSync(join(SEEDS, file), 'utf8');
const parse = (file: string) => new SpecTasksParser().parse(read(file), { file });

/** Per phase: id, gate size, and each task id with its number of criteria. */
function shape(doc: SourceDocument) {
  return doc.phases.map((p) => ({
    id: p.id,
    gate: p.gate.length,
    tasks: Object.fromEntries(p.tasks.map((t) => [t.id, t.criteria.length])),
  }));
}

const tens = (ids: string[]) => Object.fromEntries(ids.map((id) => [id, 10]));

const expected: Record<
  string,
  { title: string; shape: ReturnType<typeof shape>; warnings: [number, string][] }
> = {
  '000_367fd4d2575d8c3c.txt': {
    title: 'Implementation Tasks',
    shape: [
      { id: '1', gate: 5, tasks: { '1.1': 6, '1.2': 9 } },
      { id: '2', gate: 6, tasks: { '2.1': 10, '2.2': 6 } },
      { id: '3', gate: 6, tasks: { '3.1': 11, '3.2': 9 } },
      { id: '4', gate: 8, tasks: { '4.1': 6, '4.2': 4, '4.3': 8, '4.4': 5, '4.5': 7 } },
    ],
    warnings: [],
  },
  '001_b63f6e38f67e2a48.txt': {
    title: 'Phase 8: Advanced Workflow Features - TODO List',
    shape: [
      {
        id: '8',
        gate: 13,
        tasks: {
          '8.1': 13,
          ...tens(['8.2', '8.3', '8.4', '8.5', '8.6', '8.7', '8.8']),
          '8.9': 9,
          ...tens(['8.10', '8.11']),
        },
      },
    ],
    warnings: [],
  },
  '002_983eba6cd32094d9.txt': {
    title: 'Phase 2: Workflow Executor - Implementation Plan',
    shape: [
      { id: '1', gate: 0, tasks: { '2.1': 0, '2.2': 0 } },
      { id: '2', gate: 0, tasks: { '2.3': 0, '2.4': 0 } },
      { id: '3', gate: 0, tasks: { '2.5': 0, '2.6': 0 } },
      { id: '4', gate: 0, tasks: { '4.1': 0 } },
    ],
    warnings: [[203, 'phase 4 has no tasks: its content is read as one task 4.1']],
  },
  '003_0f99c6f80332f454.txt': {
    title: 'Task Services Architecture - Implementation Tasks',
    shape: [
      { id: '1', gate: 4, tasks: { '1': 6, '2': 6, '3': 5, '4': 5 } },
      { id: '2', gate: 3, tasks: { '5': 6, '6': 5, '7': 5 } },
      { id: '3', gate: 6, tasks: { '8': 5, '9': 5, '10': 5, '11': 5, '12': 5, '13': 5 } },
      { id: '4', gate: 4, tasks: { '14': 4, '15': 4, '16': 4, '17': 4 } },
      { id: '5', gate: 3, tasks: { '18': 5, '19': 5, '20': 5 } },
    ],
    warnings: [
      [192, "dependency 'All orchestrator implementations' names no task or phase: ignored"],
      [228, "dependency 'All orchestrators' names no task or phase: ignored"],
      [242, "dependency 'Full integration complete' names no task or phase: ignored"],
    ],
  },
  '004_d5f00ca9ee53671d.txt': {
    title: 'Workflow-Based Orchestration - Implementation Guide',
    shape: [
      { id: '1', gate: 0, tasks: { '1.1': 4 } },
      { id: '2', gate: 0, tasks: { '2.1': 4 } },
      { id: '3', gate: 0, tasks: { '3.1': 5 } },
      { id: '4', gate: 0, tasks: { '4.1': 8 } },
    ],
    warnings: [13, 34, 55, 78].map((line, i): [number, string] => [
      line,
      `phase ${i + 1} has no tasks: its content is read as one task ${i + 1}.1`,
    ]),
  },
};

describe.each(Object.keys(expected))('seed %s', (file) => {
  const want = expected[file]!;
  const result = parse(file);

  it('parses without errors, with the expected warnings', () => {
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.file).toBe(file);
    expect(result.warnings.map((w) => [w.line, w.message])).toEqual(want.warnings);
  });

  it('has the expected title, phases, tasks, criteria and gates', () => {
    expect(result.document!.title).toBe(want.title);
    expect(shape(result.document!)).toEqual(want.shape);
  });

  it('matches the ParseResult schema', () => {
    expect(ParseResult.parse(result)).toEqual(result);
  });

  it('points every phase, task, criterion and gate item at the line that holds it', () => {
    const lines = read(file).split('\n');
    const at = (n: number) => lines[n - 1]!;
    for (const phase of result.document!.phases) {
      expect(at(phase.line)).toMatch(/^#+ /);
      expect(at(phase.line)).toContain(phase.name);
      for (const task of phase.tasks) {
        expect(at(task.line)).toContain(task.title);
        for (const c of task.criteria) expect(at(c.line)).toContain(c.text);
      }
      for (const g of phase.gate) expect(at(g.line)).toContain(g.text);
    }
  });
});

describe('seed details', () => {
  it('000: task counts agree with a plain count of its bold task items; all are done', () => {
    const doc = parse('000_367fd4d2575d8c3c.txt').document!;
    const items = read('000_367fd4d2575d8c3c.txt').match(/^- \[x\] \*\*Task \d+\.\d+\*\*/gm)!;
    const tasks = doc.phases.flatMap((p) => p.tasks);
    expect(tasks).toHaveLength(items.length);
    expect(tasks).toHaveLength(11);
    expect(tasks.every((t) => t.done && t.criteria.every((c) => c.done))).toBe(true);
  });

  it('000: dependencies, estimates and goals', () => {
    const doc = parse('000_367fd4d2575d8c3c.txt').document!;
    const task = (id: string) => doc.phases.flatMap((p) => p.tasks).find((t) => t.id === id)!;
    expect(task('1.1').dependencies).toEqual([]);
    expect(task('2.1').dependencies).toEqual(['1.1', '1.2']);
    // `All Phase 1-3 tasks`
    expect(task('4.3').dependencies).toEqual(['1.1', '1.2', '2.1', '2.2', '3.1', '3.2']);
    expect(task('1.2').estimate).toEqual({ text: '4-5 hours', minutes: { min: 240, max: 300 } });
    expect(task('4.2').estimate).toEqual({ text: '30 minutes', minutes: { min: 30, max: 30 } });
    expect(doc.phases[0]).toMatchObject({
      name: 'Core Infrastructure',
      goal: 'Create foundational components for dynamic workflow support without integration',
      estimate: { text: '6-8 hours', minutes: { min: 360, max: 480 } },
    });
  });

  it('001: descriptions and estimates of task headings; the gate comes from the continuation', () => {
    const phase = parse('001_b63f6e38f67e2a48.txt').document!.phases[0]!;
    expect(phase.name).toBe('Phase 8 Tasks');
    expect(phase.tasks[7]).toMatchObject({
      id: '8.8',
      title: 'Workflow Error Handling',
      done: false,
      description: 'Implement error handling with infrastructure support.',
      estimate: { text: '12 hours', minutes: { min: 720, max: 720 } },
    });
    expect(phase.gate.map((g) => g.line)).toEqual([
      383, 384, 385, 386, 387, 390, 391, 392, 393, 396, 397, 398, 399,
    ]);
  });

  it('002: the first paragraph of a task heading is its description', () => {
    const doc = parse('002_983eba6cd32094d9.txt').document!;
    expect(doc.phases.map((p) => p.name)).toEqual([
      'Context & Iteration',
      'State & Acceptance',
      'Executor & Persistence',
      'Integration Testing',
    ]);
    expect(doc.phases[0]!.tasks[0]!.description).toBe(
      'Scope-aware document storage implementing the `DocumentStore` protocol.',
    );
    expect(doc.phases[0]!.tasks[1]!.description).toBeUndefined();
  });

  it('003: task counts agree with a plain count of task headings; ranges and `All tasks` resolve', () => {
    const doc = parse('003_0f99c6f80332f454.txt').document!;
    const tasks = doc.phases.flatMap((p) => p.tasks);
    expect(tasks).toHaveLength(read('003_0f99c6f80332f454.txt').match(/^#### Task \d+:/gm)!.length);
    const deps = Object.fromEntries(tasks.map((t) => [t.id, t.dependencies]));
    expect(deps['1']).toEqual([]);
    expect(deps['3']).toEqual(['1', '2']);
    expect(deps['6']).toEqual(['1', '2', '3', '4', '5']);
    expect(deps['16']).toEqual(['14', '15']);
    expect(deps['14']).toEqual([]); // `All orchestrator implementations`: a warning
    expect(deps['20']).toEqual(Array.from({ length: 19 }, (_, i) => String(i + 1)));
    expect(doc.phases[0]!.gate[0]).toEqual({
      text: 'Interfaces compile, no circular dependencies',
      done: false,
      line: 23,
    });
    expect(doc.phases[0]!.name).toBe('Foundation (Days 1-2)');
  });

  it('004: parts depend on parts; an implicit task takes the deliverables and the acceptance line', () => {
    const doc = parse('004_d5f00ca9ee53671d.txt').document!;
    expect(doc.phases.map((p) => p.dependencies)).toEqual([[], ['1'], ['1', '2'], ['1', '2', '3']]);
    const task = doc.phases[0]!.tasks[0]!;
    expect(task).toMatchObject({
      id: '1.1',
      title: 'Data Models & Context (Foundation)',
      done: false,
      line: 13,
    });
    expect(task.criteria.map((c) => c.text)).toEqual([
      '`src/workflow_engine.py` (Part 1)',
      '`tests/unit/test_workflow_models.py`',
      '`tests/unit/test_workflow_context.py`',
      'All models validate, template resolution works, >90% coverage',
    ]);
  });
});
