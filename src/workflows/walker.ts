/**
 * The walk: a sequence of tasks in a frame, one after the other, following `on_error`, `final` and
 * jumps; each task run to its output (its directives performed, then its acceptance gate, with
 * revisions). It knows no task type. Deterministic code only.
 */
import type { CompiledTask } from '../contract/compiled';
import type { Json } from '../contract/directive';
import type { Outcome, RunBase } from './child-workflows';
import { assertNever, TaskFailed } from './failures';
import { FanOut } from './fan-out';
import { gateVerdict } from './gates';
import { runIsolated } from './isolate';
import { Performer } from './perform';
import type { RunBook } from './run-book';
import { taskPath, type Frame } from './scope';
import type { ResumeAt } from './api';
import { createTaskState } from './task-state';

/** Walks sequences of tasks: each task to its output (directives, then its gate), then the next. */
export class Walker {
  /** The child runs of `children` directives. */
  readonly fanOut: FanOut;
  /** A task's directives, performed. */
  readonly performer: Performer;

  constructor(
    private readonly base: RunBase,
    private readonly book: RunBook,
    /** True inside `interpretTask`: an `isolate` request is already met. */
    private readonly isolated = false,
  ) {
    this.fanOut = new FanOut(
      base,
      book.events,
      (tasks, frame, prefix, anonymous) => this.walk(tasks, frame, prefix, anonymous),
      book.reuse,
    );
    this.performer = new Performer(base, book, this.fanOut);
  }

  /** Walk a sequence of tasks in a frame; returns the last task's output. */
  async walk(
    tasks: CompiledTask[],
    frame: Frame,
    prefix: string,
    anonymous = false,
    resume?: ResumeAt,
  ): Promise<Json> {
    const { reuse } = this.book;
    let last: Json = null;
    // In a redrive: once a task of this sequence ran afresh, the tasks after it run too.
    let reusing = true;
    for (let i = resume?.index ?? 0; i < tasks.length;) {
      const task = tasks[i];
      await this.book.mailbox.whileUnpaused();
      const path = taskPath(prefix, task.id, anonymous);
      if (!reusing) reuse.forget(path);
      const mark = reuse.mark();
      let outcome: Outcome;
      try {
        outcome = await this.runTask(task, frame, path, resume);
        resume = undefined;
        reusing &&= reuse.reusedSince(mark, path);
      } catch (e) {
        resume = undefined;
        reusing = false;
        const handler = e instanceof TaskFailed ? (e.next ?? task.onError) : undefined;
        if (!handler) throw e;
        frame.outputs.set(task.id, null);
        frame.vars.error = { ...(e as TaskFailed).error };
        i = indexOf(tasks, handler, path);
        continue;
      }
      frame.outputs.set(task.id, outcome.output);
      last = outcome.output;
      if (task.final) break;
      const next = outcome.next ?? task.next;
      i = next === undefined ? i + 1 : indexOf(tasks, next, path);
    }
    return last;
  }

  /**
   * Run one task to its output: directives, then its acceptance gate (with revisions). In a redrive,
   * a task the redriven run settled is not run: its output (and jump) is reused.
   */
  async runTask(task: CompiledTask, frame: Frame, path: string, resume?: ResumeAt): Promise<Outcome> {
    const { events, status, reuse } = this.book;
    const reused = reuse.take(path);
    if (reused) {
      status.taskEnded(path, reused.output);
      events.emit('task.reused', path, { type: task.type, from: reuse.redrive?.from });
      reuse.record(path, reused.output, reused.next);
      return { output: reused.output, ...(reused.next !== undefined ? { next: reused.next } : {}) };
    }
    const outcome = await this.runFresh(task, frame, path, resume);
    reuse.record(path, outcome.output, outcome.next);
    return outcome;
  }

  /** Run one task to its output: directives, then its acceptance gate (with revisions). */
  private async runFresh(
    task: CompiledTask,
    frame: Frame,
    path: string,
    resume?: ResumeAt,
  ): Promise<Outcome> {
    const { events, status, gates } = this.book;
    let taskFrame = frame;
    for (let revision = 0; ; revision++) {
      status.taskStarted(path);
      events.emit('task.started', path, { type: task.type, ...(revision > 0 ? { revision } : {}) });
      let outcome: Outcome;
      try {
        outcome = resume
          ? await this.performer.perform(task, taskFrame, path, resume.directive, undefined, resume.deadline)
          : await this.begin(task, taskFrame, path);
      } catch (e) {
        status.taskEnded(path);
        if (e instanceof TaskFailed) {
          events.emit('task.failed', path, { type: task.type, error: { ...e.error } });
        }
        throw e;
      }
      status.taskEnded(path, outcome.output, outcome.meta);
      events.emit(outcome.skipped ? 'task.skipped' : 'task.completed', path, { type: task.type });
      if (!task.acceptance || outcome.next !== undefined) return outcome;
      const decision = await gates.awaitDecision(path, task.id, outcome.output, task.acceptance, revision);
      const verdict = gateVerdict(decision, task.acceptance, revision, path);
      switch (verdict.kind) {
        case 'approved':
          return outcome;
        case 'jump':
          return { output: outcome.output, next: verdict.next };
        case 'failed':
          throw new TaskFailed(verdict.error);
        case 'revise':
          taskFrame = frame.child({ revision: { ...verdict.revision, previous: outcome.output } });
          break;
        default:
          return assertNever(verdict, (v) => new Error(`unknown gate verdict ${JSON.stringify(v)}`));
      }
    }
  }

  /** Ask `createTaskState` for a task's first directive; perform the rest here, or isolated. */
  private async begin(task: CompiledTask, frame: Frame, path: string): Promise<Outcome> {
    const first = await createTaskState(task, frame, path, this.base);
    if (first.isolate && !this.isolated) return runIsolated(this.base, task, frame, path, first);
    return this.performer.perform(task, frame, path, first);
  }
}

/** Index of the task `id` in the sequence: where a jump goes. */
function indexOf(tasks: CompiledTask[], id: string, from: string): number {
  const i = tasks.findIndex((t) => t.id === id);
  if (i >= 0) return i;
  const message = `jump to '${id}', which is not in this sequence`;
  throw new TaskFailed({ type: 'UnknownTask', message, task: from });
}
