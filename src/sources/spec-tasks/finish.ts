/**
 * Turns the drafts into the document's phases: a phase without tasks becomes one task (or an error
 * when it is empty), criteria outside any task are errors, dependencies are resolved.
 */
import type { Phase, Task } from '../types';
import { resolveDependencies, type Report } from './dependencies';
import type { PhaseDraft } from './drafts';

/** The finished phases, in document order; problems go to `report`. */
export function finish(drafts: PhaseDraft[], report: Report): Phase[] {
  for (const phase of drafts) {
    if (phase.tasks.length > 0) {
      for (const c of phase.loose) report.error(c.line, `criterion with no task: '${c.text}'`);
    } else if (!phase.hasContent) {
      report.error(phase.line, `phase ${phase.id} '${phase.name}' has no tasks`);
    } else {
      report.warn(
        phase.line,
        `phase ${phase.id} has no tasks: its content is read as one task ${phase.id}.1`,
      );
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
    }
  }
  const resolved = resolveDependencies(drafts, report);
  return drafts.map((phase, p) => ({
    id: phase.id,
    number: phase.number,
    name: phase.name,
    description: phase.description,
    ...(phase.goal !== undefined && { goal: phase.goal }),
    ...(phase.estimate && { estimate: phase.estimate }),
    tasks: phase.tasks.map((task, t): Task => {
      const heading = task.level !== undefined;
      const done = heading ? task.criteria.length > 0 && task.criteria.every((c) => c.done) : task.done;
      return {
        id: task.id,
        title: task.title,
        done,
        ...(task.description !== undefined && { description: task.description }),
        ...(task.estimate && { estimate: task.estimate }),
        dependencies: resolved[p]!.tasks[t]!,
        criteria: task.criteria,
        line: task.line,
      };
    }),
    gate: phase.gate,
    dependencies: resolved[p]!.dependencies,
    line: phase.line,
  }));
}
