/**
 * The signals a run receives: kept by name until a task waits for them (an early signal is not
 * lost), carried over a continue-as-new, and `pause`/`resume`, which hold back new tasks.
 * Deterministic code only.
 */
import { condition, patched } from '@temporalio/workflow';
import type { Json } from '../contract/directive';
import type { MailboxCarry, SignalReport } from './api';
import type { EventStream } from './events';

/**
 * Temporal refuses signals to a run past 10,000 (its per-run limit). Past this many, a run whose only
 * work is a top-level wait continues as new (`rotation.ts`), which starts a fresh count. Well under
 * the limit: under a flood, the server refuses a continue-as-new while new signals keep arriving, and
 * each retry replays the history, so the run needs room (and a short history) to get it through.
 */
export const SIGNAL_BUDGET = 2_000;
/**
 * Signals of a name no task has waited for, kept once the run is past `SIGNAL_BUDGET` (and carried
 * over a continue-as-new); past this, new ones are dropped and counted. A name a task has waited for
 * is never dropped (a stream's items), nor is anything below the budget.
 */
export const MAX_QUEUED_PER_NAME = 100;
/** The patch behind the signal budget: the per-name cap and the continue-as-new. */
export const SIGNAL_BUDGET_PATCH = 'signal-budget-continue-as-new';

/** A way out of a long wait: continue as new when `ready()` (see `rotation.ts`). */
export interface Rotate {
  ready(): boolean;
  /** Continues as new (never returns), or returns when it cannot after all. */
  go(): Promise<void>;
}

/** A task waiting for a signal. */
export interface SignalWait {
  task: string;
  signal: string;
}

/** Signals received and kept until a task takes them (carried across continue-as-new), and pause/resume. */
export class Mailbox {
  private readonly inbox = new Map<string, Json[]>();
  /** Names a task of the run has waited for (carried over a continue-as-new). */
  private readonly wanted = new Set<string>();
  /** Signal name each waiting task waits for, by task path. */
  private readonly waiting = new Map<string, string>();
  private pausedNow = false;
  /** Signals this run (this Temporal execution) received; Temporal's limit counts these. */
  private receivedHere = 0;
  private report: SignalReport = { received: 0, dropped: {}, continued_as_new: 0 };
  /** Whether this run may drop and continue as new (false when replaying a run older than that). */
  private budgeted?: boolean;

  /** `waitsChanged` runs when a task starts or stops waiting; `pauseChanged` on pause and resume. */
  constructor(
    private readonly events: EventStream,
    private readonly waitsChanged: () => void,
    private readonly pauseChanged: () => void,
  ) {}

  /** Keep a signal (any name but the run's own) until a task takes it. */
  receive(name: string, payload: Json): void {
    this.count();
    this.events.emit('signal.received', undefined, { name });
    const queue = this.inbox.get(name) ?? [];
    if (this.droppable(name, queue.length) && this.receivedHere >= SIGNAL_BUDGET && this.budget()) {
      this.report.dropped[name] = (this.report.dropped[name] ?? 0) + 1;
      return;
    }
    queue.push(payload);
    this.inbox.set(name, queue);
  }

  /** A signal nobody has waited for, with enough of its name already waiting. */
  private droppable(name: string, waiting: number): boolean {
    return !this.wanted.has(name) && waiting >= MAX_QUEUED_PER_NAME;
  }

  /** Count a signal received (the run's own signals count too). */
  count(): void {
    this.receivedHere++;
    this.report.received++;
    if (this.receivedHere === SIGNAL_BUDGET) this.budget();
  }

  /** True once this run is past `SIGNAL_BUDGET` signals and may act on it (see `SIGNAL_BUDGET_PATCH`). */
  overBudget(): boolean {
    return this.receivedHere >= SIGNAL_BUDGET && this.budget();
  }

  /** Whether the budget's behaviour applies; asked once, when it first matters. */
  private budget(): boolean {
    this.budgeted ??= patched(SIGNAL_BUDGET_PATCH);
    return this.budgeted;
  }

  /** The `state` query's `signals`. */
  signals(): SignalReport {
    const queued = Object.fromEntries(
      [...this.inbox].filter(([, q]) => q.length > 0).map(([n, q]) => [n, q.length]),
    );
    return { ...this.report, dropped: { ...this.report.dropped }, queued };
  }

  /**
   * Wait for a signal by name (taken from the inbox if it came early); undefined on timeout. When
   * `rotate` is ready first, the run continues as new from here.
   */
  async next(
    task: string,
    name: string,
    timeoutMs?: number,
    rotate?: Rotate,
  ): Promise<{ payload: Json } | undefined> {
    this.waiting.set(task, name);
    this.wanted.add(name);
    this.waitsChanged();
    try {
      const has = () => (this.inbox.get(name)?.length ?? 0) > 0;
      const end = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
      const wake = () => has() || (rotate?.ready() ?? false);
      for (;;) {
        const left = end === undefined ? undefined : Math.max(0, end - Date.now());
        const woke = left === undefined ? (await condition(wake), true) : await condition(wake, left);
        if (!woke) return undefined;
        if (has()) break;
        await rotate!.go();
      }
      return { payload: this.inbox.get(name)!.shift() as Json };
    } finally {
      this.waiting.delete(task);
      this.waitsChanged();
    }
  }

  /** The tasks waiting for a signal now. */
  waits(): SignalWait[] {
    return [...this.waiting].map(([task, signal]) => ({ task, signal }));
  }

  /** Signals received and not consumed yet, to carry over a continue-as-new. */
  unconsumed(): Record<string, Json[]> {
    return Object.fromEntries(
      [...this.inbox].filter(([, q]) => q.length > 0).map(([name, q]) => [name, [...q]]),
    );
  }

  /** What a continue-as-new carries: the queued signals, within `maxBytes` of JSON; the rest counted dropped. */
  carry(maxBytes: number): MailboxCarry {
    const { queued: _counts, ...report } = this.signals();
    const queued: Record<string, Json[]> = {};
    let bytes = 0;
    for (const [name, queue] of Object.entries(this.unconsumed())) {
      for (const payload of queue) {
        bytes += (JSON.stringify(payload)?.length ?? 4) + name.length;
        const kept = queued[name]?.length ?? 0;
        if (bytes > maxBytes || this.droppable(name, kept))
          report.dropped[name] = (report.dropped[name] ?? 0) + 1;
        else (queued[name] ??= []).push(payload);
      }
    }
    return {
      ...report,
      continued_as_new: report.continued_as_new + 1,
      queued,
      paused: this.pausedNow,
      wanted: [...this.wanted],
    };
  }

  /** Take back what a continue-as-new carried. */
  resume(carry: MailboxCarry): void {
    const { queued, paused, wanted, ...report } = carry;
    this.report = { ...report, dropped: { ...report.dropped } };
    for (const name of wanted ?? []) this.wanted.add(name);
    this.pausedNow = paused;
    this.restore(queued);
  }

  /** Put carried-over signals back, ahead of any that arrive now. */
  restore(signals: Record<string, Json[]> | undefined): void {
    for (const [name, queue] of Object.entries(signals ?? {})) {
      this.inbox.set(name, [...queue, ...(this.inbox.get(name) ?? [])]);
    }
  }

  get paused(): boolean {
    return this.pausedNow;
  }

  /** The `pause` and `resume` signals. */
  setPaused(paused: boolean): void {
    if (paused !== this.pausedNow) this.events.emit(paused ? 'run.paused' : 'run.resumed');
    this.pausedNow = paused;
    this.pauseChanged();
  }

  /** Resolves when the run is not paused (running tasks finish; no new task starts). */
  async whileUnpaused(): Promise<void> {
    if (this.pausedNow) await condition(() => !this.pausedNow);
  }
}
