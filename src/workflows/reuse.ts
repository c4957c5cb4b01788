/**
 * Redrive, workflow side: what a run settled (each task's output once its gate, if any, approved it,
 * and the jump it took), answered by the `settled` query so a later redrive can reuse it; and, in a
 * redrive, the outputs it reuses instead of running those tasks again. Deterministic code only.
 */
import { patched } from '@temporalio/workflow';
import type { CompiledTask } from '../contract/compiled';
import type { ChildRun, Json } from '../contract/directive';
import type { RedriveInput, SettledTask } from './api';
import { taskPath } from './scope';

/** The patch under which a redrive hands a batch child workflow what its runs settled before. */
export const BATCH_REUSE_PATCH = 'redrive-reuses-batch-items';

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

  /**
   * Hand over what the redriven run settled at or under `roots` (the first paths of one batch's runs:
   * `each[3]`, `fan/branch`; and under them `each[3]/...`, `each[3][...]`): a batch child workflow
   * reuses it. What is handed over is not reused here again.
   */
  slice(roots: string[]): Record<string, SettledTask[]> {
    const out: Record<string, SettledTask[]> = {};
    if (this.left.size === 0) return out;
    const set = new Set(roots);
    for (const [key, list] of [...this.left.entries()]) {
      if (!set.has(key) && !ancestors(key).some((a) => set.has(a))) continue;
      out[key] = list;
      this.left.delete(key);
    }
    return out;
  }

  /**
   * In a redrive, what one batch child workflow of `task`'s fan-out at `prefix` reuses: the settled
   * outputs under its runs (taken from this run), behind `BATCH_REUSE_PATCH`. Undefined otherwise.
   */
  forBatch(task: CompiledTask, runs: ChildRun[], prefix: string): RedriveInput | undefined {
    if (!this.redrive || this.left.size === 0) return undefined;
    const reuse = this.slice(runs.flatMap((run) => runRoots(task, run, prefix)));
    if (Object.keys(reuse).length === 0 || !patched(BATCH_REUSE_PATCH)) return undefined;
    return { from: this.redrive.from, runId: this.redrive.runId, reuse };
  }

  /** Paths a batch child workflow reused (from `slice`): reused by this run too. */
  adopt(paths: string[]): void {
    this.reused.push(...paths);
  }

  /** What earlier runs of a continue-as-new chain settled and reused, carried into this one. */
  restore(carried: { settled?: Record<string, SettledTask[]>; reused?: string[] }): void {
    for (const [path, list] of Object.entries(carried.settled ?? {})) this.settled[path] = [...list];
    this.reused.push(...(carried.reused ?? []));
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

/**
 * The first paths of one child run of `task` at `prefix`: `prefix[key]` for a run with a segment (a
 * collection item, a loop pass), else the paths of its tasks (a parallel branch).
 */
export function runRoots(task: CompiledTask, run: ChildRun, prefix: string): string[] {
  if (run.segment !== undefined) return [prefix + run.segment];
  const anonymous = run.anonymous === true && run.tasks.length === 1;
  return run.tasks.map((i) => taskPath(prefix, task.children[i].id, anonymous));
}

/** The key of `roots` that `path` is at or under (see `Reuse.slice`), if any. */
export function rootOf<T>(path: string, roots: ReadonlyMap<string, T>): T | undefined {
  if (roots.has(path)) return roots.get(path);
  const found = ancestors(path).find((a) => roots.has(a));
  return found === undefined ? undefined : roots.get(found);
}

/** Every proper prefix of `path` that ends before a `/` or `[`: the paths it lies under. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let i = 1; i < path.length; i++) if (path[i] === '/' || path[i] === '[') out.push(path.slice(0, i));
  return out;
}
