/**
 * The signals a run receives: kept by name until a task waits for them (an early signal is not
 * lost), carried over a continue-as-new, and `pause`/`resume`, which hold back new tasks.
 * Deterministic code only.
 */
import { condition } from '@temporalio/workflow';
import type { Json } from '../contract/directive';
import type { EventStream } from './events';

/** A task waiting for a signal. */
export interface SignalWait {
  task: string;
  signal: string;
}

/** Signals received and kept until a task takes them (carried across continue-as-new), and pause/resume. */
export class Mailbox {
  private readonly inbox = new Map<string, Json[]>();
  /** Signal name each waiting task waits for, by task path. */
  private readonly waiting = new Map<string, string>();
  private pausedNow = false;

  /** `waitsChanged` runs when a task starts or stops waiting; `pauseChanged` on pause and resume. */
  constructor(
    private readonly events: EventStream,
    private readonly waitsChanged: () => void,
    private readonly pauseChanged: () => void,
  ) {}

  /** Keep a signal (any name but the run's own) until a task takes it. */
  receive(name: string, payload: Json): void {
    this.events.emit('signal.received', undefined, { name });
    const queue = this.inbox.get(name) ?? [];
    queue.push(payload);
    this.inbox.set(name, queue);
  }

  /** Wait for a signal by name (taken from the inbox if it came early); undefined on timeout. */
  async next(task: string, name: string, timeoutMs?: number): Promise<{ payload: Json } | undefined> {
    this.waiting.set(task, name);
    this.waitsChanged();
    try {
      const has = () => (this.inbox.get(name)?.length ?? 0) > 0;
      const arrived =
        timeoutMs === undefined ? (await condition(has), true) : await condition(has, timeoutMs);
      if (!arrived) return undefined;
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
