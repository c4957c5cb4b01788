/**
 * Dependencies: reading a dependency text (`Task 1.1, Task 1.2`, `Tasks 1-2`, `All Phase 1-3 tasks`)
 * into references, and resolving them against the document once it is read.
 */

/** One reference in a dependency text, before it is resolved against the document. */
export type DependencyRef =
  | { kind: 'task' | 'phase'; from: string; to?: string }
  /** `All tasks`: every task before the dependent one. */
  | { kind: 'all' };

/** A dependency text as written, at its line. */
export interface DependencyNote {
  text: string;
  line: number;
}

/** Where resolution reports unknown tasks and phases. */
export interface Report {
  error(line: number, message: string): void;
  warn(line: number, message: string): void;
}

const NONE = /^(?:none|n\/a|na|nothing|no dependencies|independent|-|–|—)?\.?$/i;
const REF_WORD = '(?:tasks?|phases?|parts?|stages?|milestones?|days?|weeks?|sprints?)';
const REF = new RegExp(
  `^(?:(${REF_WORD})\\s+)?(\\d+(?:\\.\\d+)*)(?:\\s*(?:-|–|—|to|through|\\.\\.)\\s*(?:${REF_WORD}\\s+)?(\\d+(?:\\.\\d+)*))?$`,
  'i',
);

/**
 * Reads a dependency text into references: `None` (none), `Task 1.1, Task 1.2`, `Tasks 1-2`,
 * `Part 1, 2, 3 complete` (a bare number takes the kind of the reference before it, else task),
 * `All Phase 1-3 tasks`, `All tasks`. Parenthesised remarks and words like `complete` are dropped;
 * parts that name no task or phase come back in `unknown`, as written.
 */
export function parseDependencyText(text: string): { refs: DependencyRef[]; unknown: string[] } {
  const cleaned = text
    .replace(/\*\*|__|`/g, '')
    .replace(/\([^()]*\)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const refs: DependencyRef[] = [];
  const unknown: string[] = [];
  if (NONE.test(cleaned)) return { refs, unknown };
  let kind: 'task' | 'phase' = 'task';
  for (const part of cleaned.split(/\s*(?:,|;|&|\+|\band\b)\s*/i)) {
    if (!part) continue;
    if (/^all(?: (?:other|previous|prior|earlier))? tasks?\.?$/i.test(part)) {
      refs.push({ kind: 'all' });
      continue;
    }
    const words = part
      .replace(/\.$/, '')
      .replace(/^(?:all|the) /i, '')
      .split(' ');
    while (
      words.length > 0 &&
      /^(?:tasks?|complete|completed|done|finished)$/i.test(words[words.length - 1]!)
    ) {
      words.pop();
    }
    const m = REF.exec(words.join(' '));
    if (!m) {
      unknown.push(part);
      continue;
    }
    if (m[1]) kind = /^task/i.test(m[1]) ? 'task' : 'phase';
    refs.push(m[3] === undefined ? { kind, from: m[2]! } : { kind, from: m[2]!, to: m[3] });
  }
  return { refs, unknown };
}

/** The part of a read document that resolution needs: ids and dependency notes, in document order. */
export interface DependencyOutline {
  id: string;
  dependencies: DependencyNote[];
  tasks: { id: string; dependencies: DependencyNote[] }[];
}

/** A phase's resolved dependencies (phase ids) and its tasks' (task ids), in document order. */
export interface Resolved {
  dependencies: string[];
  tasks: string[][];
}

type Kind = 'task' | 'phase';

/**
 * Resolves every dependency note: task ranges by document order, a phase to all its tasks (or, for a
 * phase, a task to its phase), `All tasks` to everything earlier. Reports unknown ids and
 * self-dependencies as errors and text naming nothing as warnings, phase by phase (its tasks first).
 */
export function resolveDependencies(phases: DependencyOutline[], report: Report): Resolved[] {
  const tasks = phases.flatMap((p, phase) => p.tasks.map((t) => ({ ...t, phase })));
  const all = { task: tasks, phase: phases };
  const at = {
    task: new Map(tasks.map((t, i) => [t.id, i] as const)),
    phase: new Map(phases.map((p, i) => [p.id, i] as const)),
  };

  /** Indices a reference spans (a range in document order), or undefined after reporting an unknown end. */
  const span = (kind: Kind, ref: { from: string; to?: string }, line: number): number[] | undefined => {
    const ids = ref.to === undefined || ref.to === ref.from ? [ref.from] : [ref.from, ref.to];
    const ends = ids.map((id) => at[kind].get(id));
    ids.forEach(
      (id, i) => ends[i] === undefined && report.error(line, `dependency on unknown ${kind} ${id}`),
    );
    if (ends.some((e) => e === undefined)) return undefined;
    const [first, last = first] = ends as number[];
    return range(Math.min(first!, last!), Math.max(first!, last!));
  };

  /** The `to` indices that the `from` element at index `i` stands for. */
  const convert = (from: Kind, to: Kind, i: number): number[] => {
    if (from === to) return [i];
    if (from === 'task') return [tasks[i]!.phase];
    return tasks.flatMap((t, j) => (t.phase === i ? [j] : []));
  };

  const resolve = (kind: Kind, index: number): string[] => {
    const self = all[kind][index]!;
    const found = new Set<number>();
    for (const note of self.dependencies) {
      const { refs, unknown } = parseDependencyText(note.text);
      for (const u of unknown) report.warn(note.line, `dependency '${u}' names no task or phase: ignored`);
      for (const ref of refs) {
        if (ref.kind === 'all') {
          range(0, index - 1).forEach((i) => found.add(i));
          continue;
        }
        if (ref.kind === kind && ref.to === undefined && ref.from === self.id)
          report.error(note.line, `${kind} ${self.id} depends on itself`);
        for (const i of span(ref.kind, ref, note.line) ?? [])
          convert(ref.kind, kind, i).forEach((j) => found.add(j));
      }
    }
    found.delete(index);
    return [...found].sort((x, y) => x - y).map((i) => all[kind][i]!.id);
  };

  let position = 0;
  return phases.map((phase, p) => ({
    tasks: phase.tasks.map(() => resolve('task', position++)),
    dependencies: resolve('phase', p),
  }));
}

/** `from..to` inclusive; empty when `to < from`. */
function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
