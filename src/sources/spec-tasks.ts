/**
 * `spec-tasks`: reads markdown task documents (a `tasks.md`, an implementation plan) into phases,
 * tasks, acceptance criteria, validation gates and dependencies.
 *
 * The parser is line based: it classifies each line (heading, list item, `**Label:**` line, prose,
 * rule, fenced code) and runs a small state machine over them. It recognises these patterns:
 *
 * **Title.** The first heading, when it is the only level-1 heading or names no phase or task, is the
 * document title; it is never a phase (`# Phase 2: Workflow Executor - Plan` is a title).
 *
 * **Phases.** A heading that starts with `Phase`, `Part`, `Stage`, `Milestone`, `Day`, `Week` or
 * `Sprint` and a number (`### Phase 1: Core`, `## Day 1: Context`, `### Part 2: Engine`) opens a
 * phase; its id is the number as written and its name the text after the separator (`:`, `-`, `.`),
 * or the whole heading when there is none (`Phase 8 Tasks`). A phase ends at the next heading of its
 * level or higher. A phase-named heading inside a phase is only a subsection. A heading that names
 * the same phase as the previous phase continues it (`## Phase 8 Completion Criteria` after
 * `## Phase 8 Tasks`). A heading that names no phase but holds task headings (before any phase
 * heading) is a phase too, numbered after the previous one, with a warning.
 *
 * **Tasks.** A task is either a task heading (`#### Task 1: Create interfaces`, `### Task 8.1: ...`),
 * which runs to the next heading of its level or higher, or a checkbox item in a phase's task list:
 * `- [x] **Task 1.1**: Create data models` (id from the bold text), or any checkbox item at phase
 * level under a `Tasks` label or under no label (id `<phase>.<n>`, title from its bold text or the
 * whole item); lines indented under the item belong to it. A bold `Task N` item is a task wherever it
 * is. A task item's `done` is its checkbox; a task heading is done when it has criteria, all ticked.
 *
 * **Labels.** A bold label (`**Dependencies**: None`, `- **Acceptance Criteria**:`,
 * `**Validation Gate:**`) either carries its value on its line or governs the list items after it
 * until the next label, heading or rule (or a paragraph once it has items). A subheading inside a
 * phase or task works like a label for its whole section, and a bold label of unknown kind inside it
 * keeps the section's kind (so `**Performance Targets:**` under `## Phase 8 Completion Criteria` is
 * still gate). Kinds, by the label's words: `Dependencies`/`Depends on`/`Prerequisites`;
 * `Estimated Time`/`Estimated Duration`/`Estimate`/`Duration`/`Effort`; `Goal`/`Objective`;
 * `Description`; `Tasks`; gate: anything naming validation, a gate, verification, or completion,
 * exit or success criteria; criteria: anything naming acceptance, criteria, deliverables or a
 * definition of done; anything else is ignored (`Priority`, `Scope`, `Implementation Steps`).
 *
 * **Criteria** are a task's items under a criteria label (checkbox or plain, inline value too) and its
 * checkbox items under no label. **Gate** items are items under a gate label, in a task or not; they
 * go to the phase (a task's `**Validation**: ...` line is a gate item of its phase).
 *
 * **Phases without tasks.** A phase with content but no task becomes one task `<phase>.1` standing for
 * the whole phase (title: the phase name; criteria: its criteria-label items), with a warning; a
 * phase with no content at all is an error. Criteria at phase level in a phase that has tasks belong
 * to no task: an error.
 *
 * **Dependencies** (`None`, `Task 1.1`, `Task 1.1, Task 1.2`, `Tasks 1-2`, `Part 1, 2, 3 complete`,
 * `All Phase 1-3 tasks`, `All tasks`) are resolved after parsing: task ranges by document order,
 * phases to all their tasks, `All tasks` to every earlier task. An unknown task or phase is an error;
 * text that names neither (`All orchestrators`) is a warning. A phase's dependencies are phase ids.
 *
 * **Estimates** keep their text, plus a minute range when it has a minute or hour unit (`4-5 hours`
 * is 240..300); days and weeks stay text only, since a working day's length is a convention.
 *
 * **Errors** (each with its line): empty document; no phase; heading level jump (`#` then `###`);
 * unclosed code fence; malformed checkbox (`- [`, `- [-]`); task outside any phase; task item without
 * a checkbox; non-checkbox item under `Tasks`; task without title; duplicate task id; duplicate
 * phase; phase with no content; criterion that belongs to no task; gate or criteria label with no
 * items; dependency on an unknown task or phase; a task or phase depending on itself.
 */
import type {
  Criterion,
  Estimate,
  Issue,
  ParseOptions,
  ParseResult,
  Phase,
  SourceParser,
  Task,
} from './types';

// ---------------------------------------------------------------------------------------------------
// Estimates and dependency text
// ---------------------------------------------------------------------------------------------------

const ESTIMATE =
  /(?<![\d.])(\d+(?:\.\d+)?)\s*(?:(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*)?(minutes?|mins?|hours?|hrs?|h|m)\b/i;

/**
 * Reads an estimated time: `2 hours`, `4-5 hours`, `30 minutes`, `~1.5h`. The text is always kept;
 * `minutes` is added from the first number (or range) in it with a minute or hour unit, so
 * `1h 30m` reads as 60 minutes.
 */
export function parseEstimate(text: string): Estimate {
  const trimmed = text.trim();
  const m = ESTIMATE.exec(trimmed);
  if (!m) return { text: trimmed };
  const factor = /^h/i.test(m[3]!) ? 60 : 1;
  const a = Number(m[1]) * factor;
  const b = m[2] === undefined ? a : Number(m[2]) * factor;
  return { text: trimmed, minutes: { min: Math.min(a, b), max: Math.max(a, b) } };
}

/** One reference in a dependency text, before it is resolved against the document. */
export type DependencyRef =
  | { kind: 'task' | 'phase'; from: string; to?: string }
  /** `All tasks`: every task before the dependent one. */
  | { kind: 'all' };

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

// ---------------------------------------------------------------------------------------------------
// Lines
// ---------------------------------------------------------------------------------------------------

interface Checkbox {
  done: boolean;
  /** Set for a malformed box (`[`, `[-]`): the error to report. The item is read as unticked. */
  problem?: string;
}

type Line =
  | { kind: 'blank' | 'code' | 'rule'; n: number }
  | { kind: 'heading'; n: number; level: number; text: string }
  | { kind: 'item'; n: number; indent: number; checkbox?: Checkbox; content: string }
  | { kind: 'text'; n: number; indent: number; text: string };

/** Indentation width, a tab advancing to the next multiple of 4. */
function width(space: string): number {
  let w = 0;
  for (const c of space) w = c === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
}

function readCheckbox(content: string): { checkbox?: Checkbox; rest: string } {
  const ok = /^\[([ xX])\](?:[ \t]+|$)/.exec(content);
  if (ok) return { checkbox: { done: ok[1] !== ' ' }, rest: content.slice(ok[0].length).trim() };
  const bad = /^\[([^\]]{0,2})\](?!\()/.exec(content);
  if (bad) {
    const problem = `malformed checkbox '[${bad[1]}]': expected '[ ]' or '[x]' followed by a space`;
    return { checkbox: { done: false, problem }, rest: content.slice(bad[0].length).trim() };
  }
  if (/^\[[ xX]?(?:[ \t]|$)/.test(content) && !content.includes(']')) {
    const problem = "unterminated checkbox: expected '[ ]' or '[x]'";
    return { checkbox: { done: false, problem }, rest: content.replace(/^\[[ xX]?[ \t]*/, '').trim() };
  }
  return { rest: content };
}

/** `Title ##` is `Title`, `##` is empty, `C#` stays (a loop: a regex here backtracks on long blanks). */
function withoutClosingHashes(text: string): string {
  const t = text.trim();
  let i = t.length;
  while (i > 0 && t[i - 1] === '#') i--;
  if (i === t.length || (i > 0 && t[i - 1] !== ' ' && t[i - 1] !== '\t')) return t;
  return t.slice(0, i).trim();
}

/** Splits text into classified lines, skipping fenced code and HTML comments. */
function lex(text: string, errors: Issue[]): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines: Line[] = [];
  let fence: { mark: string; line: number } | undefined;
  let comment = false;
  raw.forEach((line, i) => {
    const n = i + 1;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.mark[0] && close[1]!.length >= fence.mark.length) fence = undefined;
      lines.push({ kind: 'code', n });
      return;
    }
    if (comment) {
      if (line.includes('-->')) comment = false;
      lines.push({ kind: 'blank', n });
      return;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = { mark: open[1]!, line: n };
      lines.push({ kind: 'code', n });
      return;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('<!--')) {
      comment = !trimmed.slice(4).includes('-->');
      lines.push({ kind: 'blank', n });
      return;
    }
    if (trimmed === '') return void lines.push({ kind: 'blank', n });
    const indent = width(/^[ \t]*/.exec(line)![0]);
    if (indent <= 3 && /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/.test(trimmed)) {
      return void lines.push({ kind: 'rule', n });
    }
    const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/.exec(line);
    if (heading) {
      const title = withoutClosingHashes(heading[2] ?? '');
      return void lines.push({ kind: 'heading', n, level: heading[1]!.length, text: title });
    }
    const item = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/.exec(line);
    if (item) {
      const { checkbox, rest } = readCheckbox((item[1] ?? '').trim());
      if (checkbox?.problem) errors.push({ line: n, message: checkbox.problem });
      return void lines.push({ kind: 'item', n, indent, checkbox, content: rest });
    }
    lines.push({ kind: 'text', n, indent, text: trimmed });
  });
  if (fence) errors.push({ line: fence.line, message: 'code fence is never closed' });
  return lines;
}

// ---------------------------------------------------------------------------------------------------
// What headings, labels and bold titles say
// ---------------------------------------------------------------------------------------------------

type HeadingKind =
  /** `loose`: words follow the number without a separator (`Phase 8 Tasks`, `Part 1 Issues`). */
  | { kind: 'phase'; key: string; id: string; name: string; rest: string; loose: boolean }
  | { kind: 'task'; id: string; title: string }
  | { kind: 'other' };

const SEPARATOR = /^\s*[:.)\-–—]\s*/;
const PHASE_HEADING = /^(phase|part|stage|milestone|day|week|sprint)\s+(\d+(?:\.\d+)?)\b(?!\.\d)(.*)$/i;
const TASK_NAME = /^task\s+(\d+(?:\.\d+)*)\b(?!\.\d)(.*)$/i;

function classifyHeading(text: string): HeadingKind {
  const bare = text.replace(/^[^\p{L}\p{N}]+/u, '');
  const phase = PHASE_HEADING.exec(bare);
  if (phase) {
    const rest = phase[3]!;
    const sep = SEPARATOR.exec(rest);
    const name = sep ? rest.slice(sep[0].length).trim() : '';
    const key = `${phase[1]!.toLowerCase()} ${phase[2]}`;
    const words = rest.replace(SEPARATOR, '').trim();
    return {
      kind: 'phase',
      key,
      id: phase[2]!,
      name: name || bare,
      rest: words,
      loose: !sep && words !== '',
    };
  }
  const task = TASK_NAME.exec(bare);
  if (task) return { kind: 'task', id: task[1]!, title: task[2]!.replace(SEPARATOR, '').trim() };
  return { kind: 'other' };
}

type Role = 'tasks' | 'criteria' | 'gate' | 'dependencies' | 'estimate' | 'goal' | 'description' | 'other';

/** What a label (or a subheading) introduces, from its words. */
function roleOf(name: string): Role {
  const s = name
    .toLowerCase()
    .replace(/[:*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^(?:dependencies|dependency|depends on|prerequisites?|requires|blocked by)$/.test(s))
    return 'dependencies';
  if (/^(?:estimated? (?:time|duration|effort)|estimate|time estimate|duration|effort)$/.test(s))
    return 'estimate';
  if (/^(?:goal|objective|purpose)$/.test(s)) return 'goal';
  if (s === 'description') return 'description';
  if (/^(?:tasks|task list|todo|to do|subtasks)$/.test(s)) return 'tasks';
  if (/validation|gate|verification|(?:completion|exit|success) criteria/.test(s)) return 'gate';
  if (/acceptance|criteria|deliverable|definition of done|done when/.test(s)) return 'criteria';
  return 'other';
}

/** `**Name:** value` or `**Name**: value`; undefined when the bold text is not followed by a colon. */
function asLabel(text: string): { name: string; value: string } | undefined {
  const m = /^\*\*([^*]+)\*\*(.*)$/.exec(text);
  if (!m) return undefined;
  let name = m[1]!.trim();
  let value = m[2]!;
  if (name.endsWith(':')) name = name.slice(0, -1).trim();
  else if (/^[ \t]*:/.test(value)) value = value.replace(/^[ \t]*:/, '');
  else return undefined;
  return name ? { name, value: value.trim() } : undefined;
}

/** A list item's title: `**Task 1.1**: title`, `**Task 1.1: title**`, `**Title**: more`, or plain text. */
function itemTitle(content: string): { id?: string; title: string; rest?: string } {
  const bold = /^\*\*([^*]+)\*\*(.*)$/.exec(content);
  if (!bold) return { title: content };
  const inBold = bold[1]!.trim();
  const after = bold[2]!.replace(SEPARATOR, '').trim();
  const task = TASK_NAME.exec(inBold);
  if (task) {
    const own = task[2]!.replace(SEPARATOR, '').trim();
    return { id: task[1]!, title: own || after };
  }
  return { title: inBold.replace(/:$/, '').trim(), rest: after || undefined };
}

// ---------------------------------------------------------------------------------------------------
// Building
// ---------------------------------------------------------------------------------------------------

interface DependencyNote {
  text: string;
  line: number;
}

type TextState = 'none' | 'open' | 'done';

interface TaskDraft {
  id: string;
  title: string;
  done: boolean;
  description?: string;
  descriptionState: TextState;
  estimate?: Estimate;
  dependencies: DependencyNote[];
  criteria: Criterion[];
  line: number;
  /** Heading level for a task heading; undefined for a task item. */
  level?: number;
  /** Indentation of a task item. */
  indent: number;
  /** A task found outside any phase: its lines are read and dropped. */
  orphan: boolean;
}

interface PhaseDraft {
  key: string;
  id: string;
  number: number;
  name: string;
  description: string;
  descriptionState: TextState;
  goal?: string;
  estimate?: Estimate;
  tasks: TaskDraft[];
  gate: Criterion[];
  dependencies: DependencyNote[];
  /** Criteria at phase level: the implicit task's, or errors when the phase has tasks. */
  loose: Criterion[];
  hasContent: boolean;
  line: number;
}

interface LabelContext {
  role: Role;
  name: string;
  line: number;
  items: number;
}

interface Section {
  role: Role;
  level: number;
}

/** Where list items and paragraphs go: a task's fields or the phase's. */
interface Context {
  label?: LabelContext;
  section?: Section;
}

class Builder {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  readonly phases: PhaseDraft[] = [];
  title = '';
  private phase?: PhaseDraft;
  private phaseLevel = 0;
  private task?: TaskDraft;
  private phaseCtx: Context = {};
  private taskCtx: Context = {};
  private readonly taskLines = new Map<string, number>();
  private previousLevel?: number;

  constructor(private readonly lines: Line[]) {}

  build(): void {
    const headings = this.lines.filter((l): l is Extract<Line, { kind: 'heading' }> => l.kind === 'heading');
    const kinds = headings.map((h) => classifyHeading(h.text));
    const first = headings[0];
    const titled =
      first !== undefined &&
      first.level === 1 &&
      (kinds[0]!.kind === 'other' || headings.filter((h) => h.level === 1).length === 1);
    let h = 0;
    for (const line of this.lines) {
      if (line.kind === 'heading') {
        const index = h++;
        this.checkLevel(line);
        if (index === 0 && titled) {
          this.title = line.text;
          continue;
        }
        this.heading(line, kinds[index]!, () => this.groupsTasks(headings, kinds, index));
      } else if (line.kind === 'item') this.item(line);
      else if (line.kind === 'text') this.text(line);
      else if (line.kind === 'rule') this.rule();
      else this.blank(line.kind === 'code');
    }
    this.closePhase();
  }

  // -- headings --------------------------------------------------------------------------------------

  private checkLevel(line: { n: number; level: number }): void {
    if (this.previousLevel !== undefined && line.level > this.previousLevel + 1) {
      this.error(line.n, `heading level jumps from ${this.previousLevel} to ${line.level}`);
    }
    this.previousLevel = line.level;
  }

  /** True when the heading's section holds a task heading before any phase heading. */
  private groupsTasks(headings: { level: number }[], kinds: HeadingKind[], index: number): boolean {
    const level = headings[index]!.level;
    for (let j = index + 1; j < headings.length && headings[j]!.level > level; j++) {
      if (kinds[j]!.kind === 'phase') return false;
      if (kinds[j]!.kind === 'task') return true;
    }
    return false;
  }

  private heading(
    line: { n: number; level: number; text: string },
    kind: HeadingKind,
    groups: () => boolean,
  ) {
    this.endLabel(this.phaseCtx);
    this.endLabel(this.taskCtx);
    for (const ctx of [this.phaseCtx, this.taskCtx]) {
      if (ctx.section && line.level <= ctx.section.level) ctx.section = undefined;
    }
    this.endText();
    if (
      kind.kind === 'phase' &&
      !(this.phase && line.level > this.phaseLevel) &&
      this.isPhase(kind, groups)
    ) {
      return this.phaseHeading(line, kind);
    }
    if (kind.kind === 'task') return this.taskHeading(line, kind);
    // A heading that is not a phase or task: a subsection, or it ends the phase.
    if (this.task && (this.task.level === undefined || line.level <= this.task.level)) this.closeTask();
    if (this.phase && line.level <= this.phaseLevel) this.closePhase();
    if (!this.phase) {
      if (!this.task && groups()) this.implicitPhase(line);
      return;
    }
    const role = roleOf(line.text);
    if (['gate', 'criteria', 'tasks', 'dependencies'].includes(role)) {
      (this.task ? this.taskCtx : this.phaseCtx).section = { role, level: line.level };
    }
  }

  /**
   * A heading naming a phase with a separator or nothing after the number opens a phase; one with
   * loose words after it (`Part 1 Issues`) only when it holds task headings or continues the last phase.
   */
  private isPhase(kind: Extract<HeadingKind, { kind: 'phase' }>, groups: () => boolean): boolean {
    return !kind.loose || this.phases[this.phases.length - 1]?.key === kind.key || groups();
  }

  private phaseHeading(line: { n: number; level: number }, kind: Extract<HeadingKind, { kind: 'phase' }>) {
    this.closePhase();
    const last = this.phases[this.phases.length - 1];
    if (last && last.key === kind.key) {
      // `## Phase 8 Completion Criteria` after `## Phase 8 Tasks`: the same phase goes on.
      this.phase = last;
      this.phaseLevel = line.level;
      const role = roleOf(kind.rest);
      if (['gate', 'criteria', 'dependencies'].includes(role))
        this.phaseCtx.section = { role, level: line.level };
      return;
    }
    const same = this.phases.find((p) => p.id === kind.id);
    if (same) this.error(line.n, `duplicate phase ${kind.id} (first at line ${same.line})`);
    this.openPhase(kind.key, kind.id, kind.name, line);
  }

  private implicitPhase(line: { n: number; level: number; text: string }) {
    const last = this.phases[this.phases.length - 1];
    const number = last ? Math.floor(last.number) + 1 : 1;
    const name = line.text || `Phase ${number}`;
    this.warn(line.n, `section '${name}' holds task headings: read as phase ${number}`);
    this.openPhase(`implicit ${number}`, String(number), name, line);
  }

  private openPhase(key: string, id: string, name: string, line: { n: number; level: number }) {
    this.phase = {
      key,
      id,
      number: Number(id),
      name,
      description: '',
      descriptionState: 'none',
      tasks: [],
      gate: [],
      dependencies: [],
      loose: [],
      hasContent: false,
      line: line.n,
    };
    this.phases.push(this.phase);
    this.phaseLevel = line.level;
  }

  private taskHeading(line: { n: number; level: number }, kind: Extract<HeadingKind, { kind: 'task' }>) {
    if (this.phase && line.level < this.phaseLevel) this.closePhase();
    this.closeTask();
    this.openTask(kind.id, kind.title, false, line.n, { level: line.level, indent: 0 });
  }

  // -- tasks -----------------------------------------------------------------------------------------

  private openTask(
    id: string,
    title: string,
    done: boolean,
    n: number,
    at: { level?: number; indent: number },
  ) {
    const orphan = !this.phase;
    if (orphan) this.error(n, `task ${id} is outside any phase`);
    if (!title) this.error(n, `task ${id} has no title`);
    const task: TaskDraft = {
      id,
      title: title || `Task ${id}`,
      done,
      descriptionState: 'none',
      dependencies: [],
      criteria: [],
      line: n,
      level: at.level,
      indent: at.indent,
      orphan,
    };
    if (this.phase) {
      const first = this.taskLines.get(id);
      if (first !== undefined) this.error(n, `duplicate task id ${id} (first at line ${first})`);
      else this.taskLines.set(id, n);
      this.phase.tasks.push(task);
    }
    this.task = task;
    this.taskCtx = {};
  }

  private closeTask(): void {
    this.endLabel(this.taskCtx);
    this.taskCtx = {};
    this.task = undefined;
  }

  private closePhase(): void {
    this.closeTask();
    this.endLabel(this.phaseCtx);
    this.phaseCtx = {};
    this.phase = undefined;
  }

  // -- lines -----------------------------------------------------------------------------------------

  private item(line: Extract<Line, { kind: 'item' }>): void {
    this.endText();
    if (this.task && this.task.level === undefined && line.indent <= this.task.indent) this.closeTask();
    if (this.phase) this.phase.hasContent = true;
    const title = itemTitle(line.content);
    if (title.id !== undefined) {
      // `**Task N**` items are tasks wherever they stand.
      if (!line.checkbox)
        this.error(line.n, `task item ${title.id} has no checkbox: write '- [ ] **Task ${title.id}**: ...'`);
      this.closeTask();
      this.openTask(title.id, title.title, line.checkbox?.done ?? false, line.n, { indent: line.indent });
      return;
    }
    if (!this.phase && !this.task) return;
    const label = line.checkbox ? undefined : asLabel(line.content);
    if (label) return this.label(label, line.n);
    if (this.task) return this.taskItem(line);
    this.phaseItem(line, title);
  }

  private taskItem(line: Extract<Line, { kind: 'item' }>): void {
    const role = effectiveRole(this.taskCtx);
    if (role === undefined) {
      if (line.checkbox) this.add(this.task!.criteria, line);
      return;
    }
    if (this.taskCtx.label) this.taskCtx.label.items++;
    switch (role) {
      case 'criteria':
      case 'tasks':
        return this.add(this.task!.criteria, line);
      case 'gate':
        return this.add(this.phase?.gate, line);
      case 'dependencies':
        return void this.task!.dependencies.push({ text: line.content, line: line.n });
      case 'estimate':
        this.task!.estimate ??= parseEstimate(line.content);
        return;
      case 'description':
        this.task!.description ??= line.content;
        return;
      default:
        if (line.checkbox) this.ignored(line.n);
    }
  }

  private phaseItem(line: Extract<Line, { kind: 'item' }>, title: { title: string; rest?: string }): void {
    const phase = this.phase!;
    const role = effectiveRole(this.phaseCtx);
    if (this.phaseCtx.label) this.phaseCtx.label.items++;
    switch (role) {
      case 'gate':
        return this.add(phase.gate, line);
      case 'criteria':
        return this.add(phase.loose, line);
      case 'dependencies':
        return void phase.dependencies.push({ text: line.content, line: line.n });
      case 'estimate':
        phase.estimate ??= parseEstimate(line.content);
        return;
      case 'goal':
        phase.goal ??= line.content;
        return;
      case 'description':
        if (!phase.description) phase.description = line.content;
        return;
      case undefined:
      case 'tasks': {
        if (!line.checkbox) {
          if (role === 'tasks')
            this.error(line.n, "expected a task checkbox item ('- [ ] ...') in the task list");
          return;
        }
        this.openTask(`${phase.id}.${phase.tasks.length + 1}`, title.title, line.checkbox.done, line.n, {
          indent: line.indent,
        });
        if (title.rest)
          Object.assign(this.task!, { description: title.rest, descriptionState: 'open' as const });
        return;
      }
      default:
        if (line.checkbox) this.ignored(line.n);
    }
  }

  private text(line: Extract<Line, { kind: 'text' }>): void {
    if (this.task && this.task.level === undefined && line.indent <= this.task.indent) this.closeTask();
    if (this.phase) this.phase.hasContent = true;
    if (!this.phase && !this.task) return;
    const label = asLabel(line.text);
    if (label) {
      this.endText();
      return this.label(label, line.n);
    }
    if (/^(?:\||>)/.test(line.text)) return this.endText();
    const ctx = this.task ? this.taskCtx : this.phaseCtx;
    if (ctx.label && ctx.label.items > 0) this.endLabel(ctx);
    if (ctx.label) return;
    const target = this.task ?? (this.phase!.tasks.length === 0 ? this.phase! : undefined);
    if (!target || target.descriptionState === 'done') return;
    target.description =
      target.descriptionState === 'open' ? `${target.description ?? ''} ${line.text}` : line.text;
    target.descriptionState = 'open';
  }

  /** A bold label line or label item: sets a field, or governs the items after it. */
  private label(label: { name: string; value: string }, n: number): void {
    const ctx = this.task ? this.taskCtx : this.phaseCtx;
    this.endLabel(ctx);
    const role = roleOf(label.name);
    if (!label.value) {
      ctx.label = { role, name: label.name, line: n, items: 0 };
      return;
    }
    const value = label.value;
    const task = this.task;
    const phase = this.phase;
    switch (role) {
      case 'dependencies':
        (task ?? phase)?.dependencies.push({ text: value, line: n });
        return;
      case 'estimate':
        if (task) task.estimate = parseEstimate(value);
        else if (phase) phase.estimate = parseEstimate(value);
        return;
      case 'goal':
        if (phase && !task) phase.goal = value;
        return;
      case 'description': {
        const target = task ?? phase;
        if (target) Object.assign(target, { description: value, descriptionState: 'done' as const });
        return;
      }
      case 'gate':
        phase?.gate.push({ text: value, done: false, line: n });
        return;
      case 'criteria':
        (task ? task.criteria : phase?.loose)?.push({ text: value, done: false, line: n });
        return;
      default:
        return;
    }
  }

  private rule(): void {
    this.endText();
    this.endLabel(this.taskCtx);
    this.endLabel(this.phaseCtx);
    if (this.task && this.task.level === undefined) this.closeTask();
  }

  private blank(code: boolean): void {
    this.endText();
    if (code && this.phase) this.phase.hasContent = true;
  }

  /** Ends an open description paragraph: only the first paragraph is the description. */
  private endText(): void {
    for (const target of [this.task, this.phase]) {
      if (target?.descriptionState === 'open') target.descriptionState = 'done';
    }
  }

  private endLabel(ctx: Context): void {
    const label = ctx.label;
    ctx.label = undefined;
    if (!label || label.items > 0 || (this.task?.orphan ?? !this.phase)) return;
    if (label.role === 'gate') this.error(label.line, `validation gate '${label.name}' has no items`);
    if (label.role === 'criteria') this.error(label.line, `criteria list '${label.name}' has no items`);
  }

  /** Adds an item as a criterion or gate item; an item with no text is skipped with a warning. */
  private add(list: Criterion[] | undefined, line: Extract<Line, { kind: 'item' }>): void {
    if (!line.content) return this.warn(line.n, 'empty checklist item: ignored');
    list?.push({ text: line.content, done: line.checkbox?.done ?? false, line: line.n });
  }

  private ignored(n: number): void {
    const label = (this.task ? this.taskCtx : this.phaseCtx).label;
    this.warn(n, `checkbox under '${label?.name ?? '?'}' is not a task, criterion or gate item: ignored`);
  }

  error(line: number, message: string): void {
    this.errors.push({ line, message });
  }

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }
}

function effectiveRole(ctx: Context): Role | undefined {
  if (ctx.label && ctx.label.role !== 'other') return ctx.label.role;
  if (ctx.section) return ctx.section.role;
  return ctx.label?.role;
}

// ---------------------------------------------------------------------------------------------------
// Finishing: phases without tasks, dependencies
// ---------------------------------------------------------------------------------------------------

function finish(b: Builder): Phase[] {
  for (const phase of b.phases) {
    if (phase.tasks.length === 0) {
      if (!phase.hasContent) {
        b.error(phase.line, `phase ${phase.id} '${phase.name}' has no tasks`);
        continue;
      }
      b.warn(phase.line, `phase ${phase.id} has no tasks: its content is read as one task ${phase.id}.1`);
      phase.tasks.push({
        id: `${phase.id}.1`,
        title: phase.name,
        done: false,
        descriptionState: 'done',
        estimate: phase.estimate,
        dependencies: [],
        criteria: phase.loose,
        line: phase.line,
        indent: 0,
        level: 0,
        orphan: false,
      });
    } else {
      for (const c of phase.loose) b.error(c.line, `criterion with no task: '${c.text}'`);
    }
  }
  const tasks = b.phases.flatMap((p) => p.tasks.map((task) => ({ task, phase: p })));
  const taskAt = new Map(tasks.map((t, i) => [t.task.id, i] as const));
  const phaseAt = new Map(b.phases.map((p, i) => [p.id, i] as const));

  /** Indices a reference spans (a range in document order), or undefined after reporting an unknown end. */
  const span = (at: Map<string, number>, what: string, ref: { from: string; to?: string }, line: number) => {
    const ids = ref.to === undefined || ref.to === ref.from ? [ref.from] : [ref.from, ref.to];
    const ends = ids.map((id) => at.get(id));
    ids.forEach((id, i) => ends[i] === undefined && b.error(line, `dependency on unknown ${what} ${id}`));
    if (ends.some((e) => e === undefined)) return undefined;
    const [first, last = first] = ends as number[];
    return range(Math.min(first!, last!), Math.max(first!, last!));
  };
  const taskSpan = (ref: { from: string; to?: string }, line: number) => span(taskAt, 'task', ref, line);
  const phaseSpan = (ref: { from: string; to?: string }, line: number) => span(phaseAt, 'phase', ref, line);

  const resolveTask = (at: number): string[] => {
    const self = tasks[at]!.task;
    const found = new Set<number>();
    for (const note of self.dependencies) {
      const { refs, unknown } = parseDependencyText(note.text);
      for (const u of unknown) b.warn(note.line, `dependency '${u}' names no task or phase: ignored`);
      for (const ref of refs) {
        if (ref.kind === 'all') {
          range(0, at - 1).forEach((i) => found.add(i));
        } else if (ref.kind === 'task') {
          if (ref.to === undefined && ref.from === self.id)
            b.error(note.line, `task ${self.id} depends on itself`);
          taskSpan(ref, note.line)?.forEach((i) => found.add(i));
        } else {
          for (const p of phaseSpan(ref, note.line) ?? []) {
            tasks.forEach((t, i) => t.phase === b.phases[p] && found.add(i));
          }
        }
      }
    }
    found.delete(at);
    return [...found].sort((x, y) => x - y).map((i) => tasks[i]!.task.id);
  };

  const resolvePhase = (at: number): string[] => {
    const self = b.phases[at]!;
    const found = new Set<number>();
    for (const note of self.dependencies) {
      const { refs, unknown } = parseDependencyText(note.text);
      for (const u of unknown) b.warn(note.line, `dependency '${u}' names no task or phase: ignored`);
      for (const ref of refs) {
        if (ref.kind === 'all') {
          range(0, at - 1).forEach((i) => found.add(i));
        } else if (ref.kind === 'phase') {
          if (ref.to === undefined && ref.from === self.id)
            b.error(note.line, `phase ${self.id} depends on itself`);
          phaseSpan(ref, note.line)?.forEach((i) => found.add(i));
        } else {
          for (const t of taskSpan(ref, note.line) ?? []) found.add(b.phases.indexOf(tasks[t]!.phase));
        }
      }
    }
    found.delete(at);
    return [...found].sort((x, y) => x - y).map((i) => b.phases[i]!.id);
  };

  let position = 0;
  return b.phases.map((phase, p) => ({
    id: phase.id,
    number: phase.number,
    name: phase.name,
    description: phase.description,
    ...(phase.goal !== undefined && { goal: phase.goal }),
    ...(phase.estimate && { estimate: phase.estimate }),
    tasks: phase.tasks.map((task): Task => {
      const heading = task.level !== undefined;
      const done = heading ? task.criteria.length > 0 && task.criteria.every((c) => c.done) : task.done;
      return {
        id: task.id,
        title: task.title,
        done,
        ...(task.description !== undefined && { description: task.description }),
        ...(task.estimate && { estimate: task.estimate }),
        dependencies: resolveTask(position++),
        criteria: task.criteria,
        line: task.line,
      };
    }),
    gate: phase.gate,
    dependencies: resolvePhase(p),
    line: phase.line,
  }));
}

/** `from..to` inclusive; empty when `to < from`. */
function range(from: number, to: number): number[] {
  return to < from ? [] : Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const byLine = (a: Issue, b: Issue) => a.line - b.line;

// ---------------------------------------------------------------------------------------------------
// The parser
// ---------------------------------------------------------------------------------------------------

/** Parses markdown task documents; see the module comment for the patterns it reads. */
export class SpecTasksParser implements SourceParser {
  readonly name = 'spec-tasks';

  /**
   * Parses `text`. Never throws: a bug in the parser itself comes back as an `internal parser error`
   * at line 1. Errors and warnings are sorted by line; `document` is present exactly when `ok`.
   */
  parse(text: string, options: ParseOptions = {}): ParseResult {
    const file = options.file === undefined ? {} : { file: options.file };
    try {
      const lexErrors: Issue[] = [];
      const lines = lex(text, lexErrors);
      if (lines.every((line) => line.kind === 'blank')) {
        return { ok: false, ...file, errors: [{ line: 1, message: 'document is empty' }], warnings: [] };
      }
      const builder = new Builder(lines);
      builder.errors.push(...lexErrors);
      builder.build();
      if (builder.phases.length === 0) {
        builder.error(
          1,
          "no phases found: expected headings such as '### Phase 1: Name' or '### Task 1.1: Title'",
        );
      }
      const phases = finish(builder);
      const errors = builder.errors.sort(byLine);
      const warnings = builder.warnings.sort(byLine);
      if (errors.length > 0) return { ok: false, ...file, errors, warnings };
      return { ok: true, ...file, document: { title: builder.title, phases }, errors, warnings };
    } catch (e) {
      const message = `internal parser error: ${e instanceof Error ? e.message : String(e)}`;
      return { ok: false, ...file, errors: [{ line: 1, message }], warnings: [] };
    }
  }
}
