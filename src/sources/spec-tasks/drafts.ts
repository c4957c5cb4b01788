/**
 * Phases and tasks while they are read: what they have collected so far, and the label or section
 * their next items fall under. `finish` turns them into the document's phases and tasks.
 */
import type { Criterion, Estimate } from '../types';
import type { Role } from './classify';
import type { DependencyNote } from './dependencies';

/** A description is read from the first paragraph only: `open` while it goes on, then `done`. */
export type TextState = 'none' | 'open' | 'done';

/** A bold label without a value (`**Acceptance Criteria:**`): it governs the items after it. */
export interface LabelContext {
  role: Role;
  name: string;
  line: number;
  /** Items read under it so far: a gate or criteria label with none is an error. */
  items: number;
}

/** A subheading inside a phase or task (`#### Validation`): a label for its whole section. */
export interface Section {
  role: Role;
  level: number;
}

/** What phases and tasks have in common while they are read: the fields prose and labels fill. */
export interface Scope {
  description?: string;
  descriptionState: TextState;
  estimate?: Estimate;
  dependencies: DependencyNote[];
  label?: LabelContext;
  section?: Section;
}

export interface TaskDraft extends Scope {
  id: string;
  title: string;
  done: boolean;
  criteria: Criterion[];
  line: number;
  /** Heading level for a task heading; undefined for a task item. */
  level?: number;
  /** Indentation of a task item. */
  indent: number;
  /** A task found outside any phase: its lines are read and dropped. */
  orphan: boolean;
}

export interface PhaseDraft extends Scope {
  /** `phase 1`, `part 2`: a later heading with the same key continues the phase. */
  key: string;
  id: string;
  number: number;
  name: string;
  description: string;
  goal?: string;
  tasks: TaskDraft[];
  gate: Criterion[];
  /** Criteria at phase level: the implicit task's, or errors when the phase has tasks. */
  loose: Criterion[];
  hasContent: boolean;
  line: number;
}

/** The role that governs a scope's items: its label's, unless that says nothing and a section does. */
export function effectiveRole(scope: Scope): Role | undefined {
  if (scope.label && scope.label.role !== 'other') return scope.label.role;
  if (scope.section) return scope.section.role;
  return scope.label?.role;
}
