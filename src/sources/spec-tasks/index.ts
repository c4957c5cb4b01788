/**
 * `spec-tasks`: reads markdown task documents (a `tasks.md`, an implementation plan) into phases,
 * tasks, acceptance criteria, validation gates and dependencies.
 *
 * markdown-it (CommonMark) classifies each line: heading, list item, prose, rule, code (fenced or
 * indented) or HTML comment (`parse.ts`); a small state machine reads the lines in order (`build.ts`,
 * `collect.ts`), and dependencies are resolved at the end (`finish.ts`, `dependencies.ts`). Two
 * CommonMark rules are off: `text` over `---` is prose and a rule (not a heading), `[x]: ...` is prose.
 * Containment stays by indentation: a line not indented under a task item ends it, even where
 * CommonMark would continue the item's paragraph (a lazy continuation line). It recognises:
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
 * code fence still open at the end of the document; malformed checkbox (`- [`, `- [-]`); task
 * outside any phase; task item without a checkbox; non-checkbox item under `Tasks`; task without
 * title; duplicate task id; duplicate phase; phase with no content; criterion that belongs to no
 * task; gate or criteria label with no items; dependency on an unknown task or phase; a task or
 * phase depending on itself.
 */
import type { Issue, ParseOptions, ParseResult, SourceParser } from '../types';
import { Builder } from './build';
import { finish } from './finish';
import { readLines } from './parse';

export { parseEstimate } from './classify';
export { parseDependencyText, type DependencyRef } from './dependencies';

const byLine = (a: Issue, b: Issue) => a.line - b.line;

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
      const lines = readLines(text, lexErrors);
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
      const phases = finish(builder.phases, builder);
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
