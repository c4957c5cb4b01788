/**
 * What the open phase or task collects from the lines inside it: bold labels and their values, list
 * items (criteria, gate items, dependencies, estimates...) and the first paragraph of prose, its
 * description. Which phase and task are open is the Builder's business (build.ts).
 */
import type { Criterion, Issue } from '../types';
import { asLabel, parseEstimate, roleOf } from './classify';
import { effectiveRole, type PhaseDraft, type Scope, type TaskDraft } from './drafts';
import type { Line } from './parse';

export type ItemLine = Extract<Line, { kind: 'item' }>;
export type TextLine = Extract<Line, { kind: 'text' }>;

/** Fills the open phase and task; the Builder extends it with the document's structure. */
export abstract class Collector {
  readonly errors: Issue[] = [];
  readonly warnings: Issue[] = [];
  protected phase?: PhaseDraft;
  protected task?: TaskDraft;

  /** Opens a task (here: a checkbox item in a phase's task list). */
  protected abstract openTask(
    id: string,
    title: string,
    done: boolean,
    n: number,
    at: { level?: number; indent: number },
  ): void;

  /** The open task, else the open phase: where labels and prose go. */
  protected get scope(): Scope | undefined {
    return this.task ?? this.phase;
  }

  /** A list item inside a phase or task that is not a `**Task N**` item. */
  protected collectItem(line: ItemLine, title: { title: string; rest?: string }): void {
    const label = line.checkbox ? undefined : asLabel(line.content);
    if (label) return this.label(label, line.n);
    if (this.task) return this.taskItem(this.task, line);
    this.phaseItem(this.phase!, line, title);
  }

  /** A line of prose inside a phase or task: a label, or part of the description paragraph. */
  protected collectText(line: TextLine): void {
    const label = asLabel(line.text);
    if (label) {
      this.endText();
      return this.label(label, line.n);
    }
    if (/^(?:\||>)/.test(line.text)) return this.endText();
    const scope = this.scope!;
    if (scope.label && scope.label.items > 0) this.endLabel(scope);
    if (scope.label) return;
    const target = this.task ?? (this.phase!.tasks.length === 0 ? this.phase! : undefined);
    if (!target || target.descriptionState === 'done') return;
    target.description =
      target.descriptionState === 'open' ? `${target.description ?? ''} ${line.text}` : line.text;
    target.descriptionState = 'open';
  }

  private taskItem(task: TaskDraft, line: ItemLine): void {
    const role = effectiveRole(task);
    if (role === undefined) {
      if (line.checkbox) this.add(task.criteria, line);
      return;
    }
    if (task.label) task.label.items++;
    switch (role) {
      case 'criteria':
      case 'tasks':
        return this.add(task.criteria, line);
      case 'gate':
        return this.add(this.phase?.gate, line);
      case 'dependencies':
        return void task.dependencies.push({ text: line.content, line: line.n });
      case 'estimate':
        task.estimate ??= parseEstimate(line.content);
        return;
      case 'description':
        task.description ??= line.content;
        return;
      default:
        if (line.checkbox) this.ignored(line.n);
    }
  }

  private phaseItem(phase: PhaseDraft, line: ItemLine, title: { title: string; rest?: string }): void {
    const role = effectiveRole(phase);
    if (phase.label) phase.label.items++;
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
        const id = `${phase.id}.${phase.tasks.length + 1}`;
        this.openTask(id, title.title, line.checkbox.done, line.n, { indent: line.indent });
        if (title.rest)
          Object.assign(this.task!, { description: title.rest, descriptionState: 'open' as const });
        return;
      }
      default:
        if (line.checkbox) this.ignored(line.n);
    }
  }

  /** A bold label line or label item: sets a field, or governs the items after it. */
  private label(label: { name: string; value: string }, n: number): void {
    const scope = this.scope!;
    this.endLabel(scope);
    const role = roleOf(label.name);
    const value = label.value;
    if (!value) {
      scope.label = { role, name: label.name, line: n, items: 0 };
      return;
    }
    const { task, phase } = this;
    switch (role) {
      case 'dependencies':
        return void scope.dependencies.push({ text: value, line: n });
      case 'estimate':
        scope.estimate = parseEstimate(value);
        return;
      case 'goal':
        if (phase && !task) phase.goal = value;
        return;
      case 'description':
        return void Object.assign(scope, { description: value, descriptionState: 'done' as const });
      case 'gate':
        return void phase?.gate.push({ text: value, done: false, line: n });
      case 'criteria':
        return void (task ? task.criteria : phase?.loose)?.push({ text: value, done: false, line: n });
      default:
        return;
    }
  }

  /** Ends an open description paragraph: only the first paragraph is the description. */
  protected endText(): void {
    for (const target of [this.task, this.phase]) {
      if (target?.descriptionState === 'open') target.descriptionState = 'done';
    }
  }

  /** Ends the label a scope's items fall under; a gate or criteria label that got none is an error. */
  protected endLabel(scope: Scope | undefined): void {
    const label = scope?.label;
    if (!scope || !label) return;
    scope.label = undefined;
    if (label.items > 0 || (this.task?.orphan ?? !this.phase)) return;
    if (label.role === 'gate') this.error(label.line, `validation gate '${label.name}' has no items`);
    if (label.role === 'criteria') this.error(label.line, `criteria list '${label.name}' has no items`);
  }

  /** Adds an item as a criterion or gate item; an item with no text is skipped with a warning. */
  private add(list: Criterion[] | undefined, line: ItemLine): void {
    if (!line.content) return this.warn(line.n, 'empty checklist item: ignored');
    list?.push({ text: line.content, done: line.checkbox?.done ?? false, line: line.n });
  }

  private ignored(n: number): void {
    const label = this.scope?.label;
    this.warn(n, `checkbox under '${label?.name ?? '?'}' is not a task, criterion or gate item: ignored`);
  }

  error(line: number, message: string): void {
    this.errors.push({ line, message });
  }

  warn(line: number, message: string): void {
    this.warnings.push({ line, message });
  }
}
