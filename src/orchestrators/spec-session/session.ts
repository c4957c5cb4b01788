/**
 * The session over a parsed document: dependency checks, the objects templates see, and the views
 * the run publishes while it waits for `complete-phase` (`current-phase`, `task`, `session`).
 */
import type { Json } from '../../contract/directive';
import type { Phase, SourceDocument, Task } from '../../sources/types';
import type { AddressedCriterion } from './evidence';
import { VIEWS } from './names';
import { renderCache } from './render';
import { DEFAULT_PHASE_TEMPLATE, DEFAULT_TASK_TEMPLATE } from './templates';

/** What a completed phase left: the note for each gate criterion. */
export interface PhaseEvidence {
  phase: string;
  name: string;
  criteria: AddressedCriterion[];
  summary?: string;
}

/** The orchestrator state carried by the `await_update` directive (and so pinned in history). */
export interface SessionState {
  title: string;
  document: SourceDocument;
  /** 0-based index of the current phase. */
  index: number;
  evidence: PhaseEvidence[];
}

/**
 * Problems that make the phases impossible to run in order: a phase depending on itself, on a later
 * phase or on one the document lacks, and a task depending on a task of a later phase or on an
 * unknown one. Phases run in document order, so a phase's dependencies are complete when it starts.
 */
export function dependencyProblems(document: SourceDocument): string[] {
  const problems: string[] = [];
  const phaseAt = new Map(document.phases.map((p, i) => [p.id, i] as const));
  const taskPhase = new Map(document.phases.flatMap((p, i) => p.tasks.map((t) => [t.id, i] as const)));
  document.phases.forEach((phase, i) => {
    for (const dep of phase.dependencies) {
      const at = phaseAt.get(dep);
      if (at === undefined)
        problems.push(
          `phase ${phase.id} '${phase.name}' (line ${phase.line}) depends on phase ${dep}, which the document does not have`,
        );
      else if (at === i)
        problems.push(`phase ${phase.id} '${phase.name}' (line ${phase.line}) depends on itself`);
      else if (at > i) {
        problems.push(
          `phase ${phase.id} '${phase.name}' (line ${phase.line}) depends on phase ${dep}, which comes after it: phases run in document order, so it could never start`,
        );
      }
    }
    for (const task of phase.tasks) {
      for (const dep of task.dependencies) {
        const at = taskPhase.get(dep);
        if (at === undefined)
          problems.push(
            `task ${task.id} (line ${task.line}) depends on task ${dep}, which the document does not have`,
          );
        else if (at > i) {
          problems.push(
            `task ${task.id} (line ${task.line}) in phase ${phase.id} depends on task ${dep} of the later phase ${document.phases[at]!.id}: it could never be done`,
          );
        }
      }
    }
  });
  return problems;
}

/** Dependencies of the phase at `index` that are not complete (phases before `index` are). */
export function openDependencies(document: SourceDocument, index: number): string[] {
  const done = new Set(document.phases.slice(0, index).map((p) => p.id));
  return document.phases[index]!.dependencies.filter((d) => !done.has(d));
}

// ---------------------------------------------------------------------------------------------------
// What templates and views see

const estimate = (e?: { text: string }) => e?.text ?? null;

function taskObject(task: Task, n: number) {
  return {
    n,
    id: task.id,
    title: task.title,
    done: task.done,
    description: task.description ?? null,
    estimate: estimate(task.estimate),
    dependencies: task.dependencies,
    criteria: task.criteria.map((c, i) => ({ n: i + 1, text: c.text, done: c.done })),
  };
}

function phaseObject(phase: Phase, index: number) {
  return {
    id: phase.id,
    number: phase.number,
    position: index + 1,
    name: phase.name,
    description: phase.description,
    goal: phase.goal ?? null,
    estimate: estimate(phase.estimate),
    dependencies: phase.dependencies,
    tasks: phase.tasks.map((t, i) => taskObject(t, i + 1)),
    gate: phase.gate.map((c, i) => ({ n: i + 1, text: c.text, done: c.done })),
  };
}

function sessionObject(state: SessionState) {
  const { document, index } = state;
  return {
    title: state.title,
    position: Math.min(index + 1, document.phases.length),
    total: document.phases.length,
    phases: document.phases.map((p, i) => ({
      id: p.id,
      name: p.name,
      position: i + 1,
      status: i < index ? 'complete' : i === index ? 'current' : 'pending',
    })),
    evidence: state.evidence,
  };
}

export interface Templates {
  phase: string;
  task: string;
}

/** The phase and task templates of a session: its own, or the defaults. */
export function templatesOf(spec: { templates?: { phase?: string; task?: string } }): Templates {
  return {
    phase: spec.templates?.phase ?? DEFAULT_PHASE_TEMPLATE,
    task: spec.templates?.task ?? DEFAULT_TASK_TEMPLATE,
  };
}

/** What the phase template sees for the current phase (the task template also sees `task`). */
export function renderRoots(state: SessionState, input: unknown) {
  return {
    phase: phaseObject(state.document.phases[state.index]!, state.index),
    session: sessionObject(state),
    input: input ?? null,
  };
}

/**
 * The views of the current phase: `current-phase` (the phase, its tasks and gate, and `content`, the
 * rendered phase template), `task` (`task[<phase id>][<n>]`: each task of the phase with its
 * criteria and `content`, the rendered task template) and `session` (every phase's status and the
 * evidence so far). Rendered here, in the activity; the workflow only hands them to queries.
 */
export async function viewsOf(
  state: SessionState,
  templates: Templates,
  input: unknown,
): Promise<Record<string, Json>> {
  const phase = state.document.phases[state.index]!;
  const base = renderRoots(state, input);
  const { phase: phaseView, session } = base;
  const content = await renderCache.render(templates.phase, { ...base, task: null });
  const tasks: Record<string, Json> = {};
  for (const task of phaseView.tasks) {
    const taskContent = await renderCache.render(templates.task, { ...base, task });
    tasks[String(task.n)] = { phase: phase.id, ...task, content: taskContent } as unknown as Json;
  }
  // The phase lists its tasks by number and title; their criteria are in the task views.
  const listed = phaseView.tasks.map(({ n, id, title, done, dependencies }) => ({
    n,
    id,
    title,
    done,
    dependencies,
  }));
  return {
    [VIEWS.currentPhase]: { ...phaseView, tasks: listed, content } as unknown as Json,
    [VIEWS.task]: { [phase.id]: tasks },
    [VIEWS.session]: session as unknown as Json,
  };
}

/** The run's output once every phase is complete. */
export function sessionOutput(state: SessionState): Json {
  return {
    title: state.title,
    phases: state.document.phases.map((p) => ({ id: p.id, name: p.name, status: 'complete' })),
    evidence: state.evidence,
  } as unknown as Json;
}
