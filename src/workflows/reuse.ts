/**
 * Redrive, workflow side: what a run settled (each task's output once its gate, if any, approved it,
 * and the jump it took), answered by the `settled` query so a later redrive can reuse it; and, in a
 * redrive, the outputs it reuses instead of running those tasks again. Deterministic code only.
 */
import type { Json } from '../contract/directive';
import type { RedriveInput, SettledTask } from './api';

/** What a run settled, by task path, and what a redrive of an earlier run may reuse. */
export class Reuse {
  private readonly settled: Record<string, SettledTask[]> = {};
  private readonly left = new Map<string, SettledTask[]>();
  /** Paths reused, in the order the walk reached them. */
  readonly reused: string[] = [];

  constructor(readonly redrive?: RedriveInput) {
    for (const [path, list] of Object.entries(redrive?.reuse ?? {})) this.left.set(path, [...list]);
  }

  /**
   * The next settled outcome of `path` from the redriven run, taken (a path the walk reaches again,
   * through a jump back, takes the next one): undefined when the task must run.
   */
  take(path: string): SettledTask | undefined {
    const next = this.left.get(path)?.shift();
    if (next) this.reused.push(path);
    return next;
  }

  /** Where the reused list ends now: with `reusedSince`, whether a task was reused. */
  mark(): number {
    return this.reused.length;
  }

  /** Whether the task at `path`, run since `mark`, was reused (not run, nor only some tasks under it). */
  reusedSince(mark: number, path: string): boolean {
    return this.reused[mark] === path;
  }

  /**
   * Reuse nothing more at `path` or under it (`path/...`, `path[...]`): it runs after a task of its
   * sequence ran afresh, so what the redriven run settled there came from other inputs.
   */
  forget(path: string): void {
    for (const key of [...this.left.keys()]) {
      if (key === path || key.startsWith(`${path}/`) || key.startsWith(`${path}[`)) this.left.delete(key);
    }
  }

  /** A task settled: its output (approved, when it had a gate) and the jump it took, if any. */
  record(path: string, output: Json, next?: string): void {
    (this.settled[path] ??= []).push({ output, ...(next !== undefined ? { next } : {}) });
  }

  /** The `settled` query: every task path settled so far, with its outcomes in order. */
  all(): Record<string, SettledTask[]> {
    return { ...this.settled };
  }
}
