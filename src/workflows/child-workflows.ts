/**
 * What the interpreter's two child workflows take and give: `interpretRuns` (one batch of a large
 * fan-out) and `interpretTask` (the rest of one isolated task), and what every activity call and child
 * workflow of a run shares. Types only.
 */
import type { CompiledTask } from '../contract/compiled';
import type { ChildResult, ChildRun, Directive, Json } from '../contract/directive';
import type { RedriveInput } from './api';
import type { FrameSnapshot } from './scope';

/** What every activity call and child workflow of a run shares. */
export interface RunBase {
  definition: { id: string; version: string; hash: string };
  input: Json;
  workflow: Json;
}

/** What a task came to: its output, and where the walk goes next. */
export interface Outcome {
  output: Json;
  /** Jump to this task id (a sibling) instead of the following task. */
  next?: string;
  meta?: Record<string, Json>;
  skipped?: boolean;
}

/** Input of `interpretRuns`: one batch of a large fan-out, run in a child workflow. */
export interface RunsInput {
  base: RunBase;
  /** The container task whose children the runs walk. */
  task: CompiledTask;
  runs: ChildRun[];
  maxConcurrency?: number;
  stopOn?: 'first_failure' | 'first_success';
  /** Tolerated failures over the whole fan-out: report each failure to `report`, stop when told. */
  maxFailures?: number;
  report?: { workflowId: string; path: string; batch: number };
  /** Path of the container task. */
  prefix: string;
  frame: FrameSnapshot;
  /** In a redrive: what the redriven run settled under this batch's runs, reused instead of run. */
  redrive?: RedriveInput;
}

/**
 * What `interpretRuns` gives per run: its result and, in a redrive, the paths under it that it reused
 * (the parent lists them in its `state`'s `reused`, and passes the rest to the orchestrator).
 */
export type BatchResult = ChildResult & { reused?: string[] };

/** Input of `interpretTask`: the rest of one task, run in a child workflow that may continue as new. */
export interface TaskRunInput {
  base: RunBase;
  task: CompiledTask;
  path: string;
  frame: FrameSnapshot;
  /** The next directive to perform. */
  directive: Directive;
  /** Signals received and not consumed before a continue-as-new. */
  signals?: Record<string, Json[]>;
}
