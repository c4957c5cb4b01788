/**
 * Staying under Temporal's per-run signal limit (10,000): a run past `SIGNAL_BUDGET` signals
 * continues as new while it waits, carrying what it needs to resume. Continue-as-new of any point of
 * a walk is not supported; this covers the case the limit threatens: a top-level task waiting for a
 * signal with nothing else in flight (no other running task, gate or update wait). The new run
 * starts at that task, performing the same `await_signal` directive with the same deadline; it
 * carries the top-level outputs and variables, the `state` query's record (completed tasks,
 * outputs, meta, decisions), the signals not consumed (within a byte budget; the rest are counted
 * as dropped) and pause. Deterministic code only.
 */
import { allHandlersFinished, condition, continueAsNew } from '@temporalio/workflow';
import type { CompiledDefinition } from '../contract/compiled';
import type { WaitDirective, Json } from '../contract/directive';
import type { InterpretInput, Resume, ResumeAt } from './api';
import type { Rotate } from './mailbox';
import type { RunBook } from './run-book';
import type { Frame } from './scope';

/** The continue-as-new input must stay under Temporal's 2 MiB payload limit: this, in JSON. */
const CARRY_LIMIT = 1_800_000;
/** Of which the carried signals take at most this. */
const SIGNALS_LIMIT = 256 * 1024;

/** Decides when a waiting run may continue as new, and does it. */
export class Rotation {
  /** Set when a continue-as-new would carry too much: the run then stays (and says so in `state`). */
  private tooLarge = false;

  constructor(
    private readonly book: RunBook,
    private readonly definition: CompiledDefinition,
    private readonly input: Json,
    private readonly root: Frame,
    /** What the run's input carried besides the definition and input: a redrive, a subflow parent. */
    private readonly carry: Pick<InterpretInput, 'redrive' | 'subflow'> = {},
  ) {}

  /** The way out of `path`'s signal wait, when `path` is a top-level task. */
  at(path: string, directive: WaitDirective, deadline?: number): Rotate | undefined {
    const index = this.definition.tasks.findIndex((t) => t.id === path);
    if (index < 0 || this.definition.tasks[index]!.acceptance) return undefined;
    return {
      ready: () => !this.tooLarge && this.book.mailbox.overBudget() && this.alone(path),
      go: () => this.continue({ index, directive, ...(deadline !== undefined ? { deadline } : {}) }),
    };
  }

  /** True when `path` is all the run is doing. */
  private alone(path: string): boolean {
    const { status, gates, updates } = this.book;
    const running = status.runningPaths();
    return (
      running.length === 1 && running[0] === path && gates.all().length === 0 && updates.all().length === 0
    );
  }

  private async continue(at: ResumeAt): Promise<void> {
    await condition(allHandlersFinished);
    const resume: Resume = {
      at,
      frame: { outputs: Object.fromEntries(this.root.outputs), vars: { ...this.root.vars } },
      status: this.book.status.snapshot(),
      decisions: [...this.book.gates.decisions],
      mailbox: this.book.mailbox.carry(SIGNALS_LIMIT),
      ...(this.book.deciders.startedBy ? { started_by: this.book.deciders.startedBy } : {}),
    };
    const next = { definition: this.definition, input: this.input, resume, ...this.carry };
    if ((JSON.stringify(next)?.length ?? 0) > CARRY_LIMIT) {
      this.tooLarge = true;
      return;
    }
    await continueAsNew<(i: typeof next) => Promise<unknown>>(next);
  }
}

/** Put a continued run's record back: `state`, decisions, signals, pause. */
export function resumeBook(book: RunBook, resume: Resume): void {
  book.status.restore(resume.status);
  book.gates.decisions.push(...resume.decisions);
  book.mailbox.resume(resume.mailbox);
  if (resume.started_by) book.deciders.startedBy = resume.started_by;
}
