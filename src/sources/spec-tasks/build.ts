/**
 * The document's structure: which heading is the title, which headings and items open phases and
 * tasks, and where they end. What goes inside them is collected by the Collector it extends.
 */
import { classifyHeading, itemTitle, roleOf, type HeadingKind, type Role } from './classify';
import { Collector, type ItemLine, type TextLine } from './collect';
import type { PhaseDraft, TaskDraft } from './drafts';
import type { Line } from './parse';

type HeadingLine = Extract<Line, { kind: 'heading' }>;
type PhaseHeading = Extract<HeadingKind, { kind: 'phase' }>;

/** Subheadings that work as a label for their section, in a phase or task. */
const SECTION_ROLES: Role[] = ['gate', 'criteria', 'tasks', 'dependencies'];
/** The same, in a heading that continues a phase (`## Phase 8 Completion Criteria`). */
const CONTINUATION_ROLES: Role[] = ['gate', 'criteria', 'dependencies'];

/** Reads classified lines into phase and task drafts, with the errors and warnings met on the way. */
export class Builder extends Collector {
  readonly phases: PhaseDraft[] = [];
  title = '';
  private phaseLevel = 0;
  private readonly taskLines = new Map<string, number>();
  private previousLevel?: number;

  constructor(private readonly lines: Line[]) {
    super();
  }

  /** Reads every line; afterwards `phases`, `title`, `errors` and `warnings` hold the result. */
  build(): void {
    const headings = this.lines.filter((l): l is HeadingLine => l.kind === 'heading');
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
        this.heading(line, kinds[index]!, () => groupsTasks(headings, kinds, index));
      } else if (line.kind === 'item') this.item(line);
      else if (line.kind === 'text') this.text(line);
      else if (line.kind === 'rule') this.rule();
      else this.blank(line.kind === 'code');
    }
    this.closePhase();
  }

  // -- headings --------------------------------------------------------------------------------------

  private checkLevel(line: HeadingLine): void {
    if (this.previousLevel !== undefined && line.level > this.previousLevel + 1) {
      this.error(line.n, `heading level jumps from ${this.previousLevel} to ${line.level}`);
    }
    this.previousLevel = line.level;
  }

  private heading(line: HeadingLine, kind: HeadingKind, groups: () => boolean) {
    this.endLabel(this.phase);
    this.endLabel(this.task);
    for (const scope of [this.phase, this.task]) {
      if (scope?.section && line.level <= scope.section.level) scope.section = undefined;
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
    if (SECTION_ROLES.includes(role)) this.scope!.section = { role, level: line.level };
  }

  /**
   * A heading naming a phase with a separator or nothing after the number opens a phase; one with
   * loose words after it (`Part 1 Issues`) only when it holds task headings or continues the last phase.
   */
  private isPhase(kind: PhaseHeading, groups: () => boolean): boolean {
    return !kind.loose || this.phases[this.phases.length - 1]?.key === kind.key || groups();
  }

  private phaseHeading(line: HeadingLine, kind: PhaseHeading) {
    this.closePhase();
    const last = this.phases[this.phases.length - 1];
    if (last && last.key === kind.key) {
      // `## Phase 8 Completion Criteria` after `## Phase 8 Tasks`: the same phase goes on.
      this.phase = last;
      this.phaseLevel = line.level;
      const role = roleOf(kind.rest);
      if (CONTINUATION_ROLES.includes(role)) last.section = { role, level: line.level };
      return;
    }
    const same = this.phases.find((p) => p.id === kind.id);
    if (same) this.error(line.n, `duplicate phase ${kind.id} (first at line ${same.line})`);
    this.openPhase(kind.key, kind.id, kind.name, line);
  }

  private implicitPhase(line: HeadingLine) {
    const last = this.phases[this.phases.length - 1];
    const number = last ? Math.floor(last.number) + 1 : 1;
    const name = line.text || `Phase ${number}`;
    this.warn(line.n, `section '${name}' holds task headings: read as phase ${number}`);
    this.openPhase(`implicit ${number}`, String(number), name, line);
  }

  private openPhase(key: string, id: string, name: string, line: HeadingLine) {
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

  private taskHeading(line: HeadingLine, kind: Extract<HeadingKind, { kind: 'task' }>) {
    if (this.phase && line.level < this.phaseLevel) this.closePhase();
    this.closeTask();
    this.openTask(kind.id, kind.title, false, line.n, { level: line.level, indent: 0 });
  }

  // -- tasks and phases ------------------------------------------------------------------------------

  protected openTask(
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
  }

  private closeTask(): void {
    this.endLabel(this.task);
    this.task = undefined;
  }

  /** Closes a task item when a line is not indented under it. */
  private closeItemTask(indent: number): void {
    if (this.task && this.task.level === undefined && indent <= this.task.indent) this.closeTask();
  }

  private closePhase(): void {
    this.closeTask();
    this.endLabel(this.phase);
    if (this.phase) this.phase.section = undefined;
    this.phase = undefined;
  }

  // -- other lines -----------------------------------------------------------------------------------

  private item(line: ItemLine): void {
    this.endText();
    this.closeItemTask(line.indent);
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
    if (this.phase || this.task) this.collectItem(line, title);
  }

  private text(line: TextLine): void {
    this.closeItemTask(line.indent);
    if (this.phase) this.phase.hasContent = true;
    if (this.phase || this.task) this.collectText(line);
  }

  private rule(): void {
    this.endText();
    this.endLabel(this.task);
    this.endLabel(this.phase);
    if (this.task && this.task.level === undefined) this.closeTask();
  }

  private blank(code: boolean): void {
    this.endText();
    if (code && this.phase) this.phase.hasContent = true;
  }
}

/** True when the heading's section holds a task heading before any phase heading. */
function groupsTasks(headings: { level: number }[], kinds: HeadingKind[], index: number): boolean {
  const level = headings[index]!.level;
  for (let j = index + 1; j < headings.length && headings[j]!.level > level; j++) {
    if (kinds[j]!.kind === 'phase') return false;
    if (kinds[j]!.kind === 'task') return true;
  }
  return false;
}
