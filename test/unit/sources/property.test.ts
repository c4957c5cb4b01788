/**
 * Properties of SpecTasksParser on arbitrary input: it never throws, never hits its own
 * internal-error fallback, keeps `ok`, `document` and `errors` consistent, and every line number it
 * reports (issues and document elements) lies within the text.
 */
import fc from 'fast-check';
import { SpecTasksParser } from '../../../src/sources/spec-tasks';
import { ParseResult } from '../../../src/sources/types';

const parser = new SpecTasksParser();

function lineCount(text: string): number {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length;
}

function check(text: string): void {
  const result = parser.parse(text);
  expect(() => ParseResult.parse(result)).not.toThrow();
  expect(result.errors.map((e) => e.message).filter((m) => m.startsWith('internal parser error'))).toEqual(
    [],
  );
  expect(result.ok).toBe(result.errors.length === 0);
  expect(result.document !== undefined).toBe(result.ok);
  const last = lineCount(text);
  const lines = [...result.errors, ...result.warnings].map((i) => i.line);
  for (const phase of result.document?.phases ?? []) {
    lines.push(phase.line, ...phase.gate.map((g) => g.line));
    for (const task of phase.tasks) lines.push(task.line, ...task.criteria.map((c) => c.line));
  }
  for (const n of lines) {
    expect(Number.isInteger(n)).toBe(true);
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(last);
  }
  for (const list of [result.errors, result.warnings]) {
    expect(list.map((i) => i.line)).toEqual([...list.map((i) => i.line)].sort((a, b) => a - b));
  }
}

const id = fc.oneof(
  fc.nat({ max: 12 }).map(String),
  fc.tuple(fc.nat({ max: 9 }), fc.nat({ max: 12 })).map(([a, b]) => `${a}.${b}`),
);
const words = fc.constantFrom(
  'Core',
  'Setup the thing',
  'x',
  '',
  '**bold**',
  '`code`',
  '(Days 1-2)',
  '✅',
  ' ',
);
const indent = fc.constantFrom('', '', '  ', '    ', '\t', '      ');
const box = fc.constantFrom('[ ] ', '[x] ', '[X] ', '[', '[ ', '[-] ', '[] ', '[x]', '');
const label = fc.constantFrom(
  'Tasks',
  'Acceptance Criteria',
  'Validation Gate',
  'Validation',
  'Deliverables',
  'Dependencies',
  'Estimated Time',
  'Estimated Duration',
  'Goal',
  'Description',
  'Priority',
  'Definition of Done',
  'Success Criteria',
);
const depText = fc.oneof(
  fc.constantFrom(
    'None',
    'All tasks',
    'All Phase 1-3 tasks',
    'Part 1, 2, 3 complete',
    'Full integration complete',
  ),
  fc
    .tuple(fc.constantFrom('Task', 'Tasks', 'Phase', 'Part', ''), id, fc.option(id))
    .map(([k, a, b]) => `${k} ${a}${b === null ? '' : `-${b}`}`),
);

/** Lines that look like the seed documents, and their near misses. */
const markdownLine = fc.oneof(
  fc
    .tuple(
      fc.integer({ min: 1, max: 6 }),
      fc.constantFrom('Phase', 'Part', 'Day', 'Task', 'Overview', 'Phase 8'),
      id,
      fc.constantFrom(': ', ' ', ' - ', ''),
      words,
    )
    .map(([level, word, n, sep, rest]) => `${'#'.repeat(level)} ${word} ${n}${sep}${rest}`),
  fc
    .tuple(indent, fc.constantFrom('-', '*', '1.'), box, fc.boolean(), id, words)
    .map(([pad, bullet, b, bold, n, rest]) => `${pad}${bullet} ${b}${bold ? `**Task ${n}**: ` : ''}${rest}`),
  fc
    .tuple(
      indent,
      fc.boolean(),
      label,
      fc.constantFrom(':** ', '**: ', ':**', '**:'),
      fc.oneof(words, depText),
    )
    .map(([pad, item, name, close, value]) => `${pad}${item ? '- ' : ''}**${name}${close}${value}`),
  fc.constantFrom(
    '',
    '',
    '---',
    '```',
    '~~~',
    '```bash',
    '<!-- note',
    '-->',
    '<!-- x -->',
    '| a | b |',
    '> quote',
  ),
  fc.string({ maxLength: 40 }),
);

interface TaskSpec {
  done: boolean;
  criteria: boolean[];
  dependsOnPrevious: boolean;
}
interface PhaseSpec {
  tasks: TaskSpec[];
  gate: boolean[];
}

const taskSpec = fc.record({
  done: fc.boolean(),
  criteria: fc.array(fc.boolean(), { maxLength: 4 }),
  dependsOnPrevious: fc.boolean(),
});
const docSpec = fc.array(
  fc.record({
    tasks: fc.array(taskSpec, { minLength: 1, maxLength: 4 }),
    gate: fc.array(fc.boolean(), { maxLength: 3 }),
  }),
  {
    minLength: 1,
    maxLength: 4,
  },
);

const tick = (done: boolean) => (done ? '[x]' : '[ ]');

/** A document in the style of seed 000 (task items) or 003 (task headings). */
function render(phases: PhaseSpec[], headings: boolean): string {
  const out = ['# Generated plan', ''];
  let previous: string | undefined;
  phases.forEach((phase, p) => {
    out.push(`## Phase ${p + 1}: Part ${p + 1}`, '');
    if (!headings) out.push('**Tasks:**', '');
    phase.tasks.forEach((task, t) => {
      const id = `${p + 1}.${t + 1}`;
      const deps = task.dependsOnPrevious && previous ? `Task ${previous}` : 'None';
      if (headings) {
        out.push(`### Task ${id}: Do ${id}`, '', `**Dependencies**: ${deps}`);
        if (task.criteria.length) out.push('**Deliverables**:', '');
        task.criteria.forEach((c, k) => out.push(`- ${tick(c)} deliverable ${k}`));
      } else {
        out.push(`- ${tick(task.done)} **Task ${id}**: Do ${id}`, `  - **Dependencies**: ${deps}`);
        if (task.criteria.length) out.push('  - **Acceptance Criteria**:');
        task.criteria.forEach((c, k) => out.push(`    - ${tick(c)} criterion ${k}`));
      }
      out.push('');
      previous = id;
    });
    if (phase.gate.length) out.push('**Validation Gate:**');
    phase.gate.forEach((g, k) => out.push(`- ${tick(g)} gate ${k}`));
    out.push('', '---', '');
  });
  return out.join('\n');
}

describe('SpecTasksParser properties', () => {
  it.each([false, true])('reads back generated documents exactly (task headings: %s)', (headings) => {
    fc.assert(
      fc.property(docSpec, (phases) => {
        const text = render(phases, headings);
        check(text);
        const result = parser.parse(text);
        expect(result.errors).toEqual([]);
        expect(result.warnings).toEqual([]);
        let previous: string | undefined;
        const want = phases.map((phase, p) => ({
          id: String(p + 1),
          gate: phase.gate,
          tasks: phase.tasks.map((task, t) => {
            const id = `${p + 1}.${t + 1}`;
            const dependencies = task.dependsOnPrevious && previous ? [previous] : [];
            previous = id;
            const done = headings ? task.criteria.length > 0 && task.criteria.every(Boolean) : task.done;
            return { id, done, dependencies, criteria: task.criteria };
          }),
        }));
        const got = result.document!.phases.map((phase) => ({
          id: phase.id,
          gate: phase.gate.map((g) => g.done),
          tasks: phase.tasks.map((t) => ({
            id: t.id,
            done: t.done,
            dependencies: t.dependencies,
            criteria: t.criteria.map((c) => c.done),
          })),
        }));
        expect(got).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });

  it('handles arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ maxLength: 400 }), check), { numRuns: 300 });
  });

  it('handles arbitrary unicode, including lone surrogates and odd line breaks', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), check), { numRuns: 200 });
  });

  it('handles documents made of plausible markdown lines', () => {
    fc.assert(
      fc.property(
        fc.array(markdownLine, { maxLength: 60 }),
        fc.constantFrom('\n', '\r\n', '\r'),
        (lines, eol) => check(lines.join(eol)),
      ),
      { numRuns: 500 },
    );
  });
});
