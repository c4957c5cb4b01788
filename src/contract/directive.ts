/**
 * Directives: the small vocabulary `createTaskState` answers with and the interpreter performs.
 *
 * This module is imported by workflow code, so it holds types only (plus nothing that touches Node).
 * The interpreter knows these kinds and nothing about task types.
 */

/** A JSON value as it travels through Temporal payloads. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A task failure, as it appears in `error` for an `on_error` target and in a failed run. */
export interface TaskError {
  /** Error type, e.g. `ToolNotFound`, `ExpressionError`, or a tool's own `ApplicationFailure` type. */
  type: string;
  message: string;
  /** Path of the task that failed, e.g. `analyse/security` or `architecture[epic-2]`. */
  task: string;
}

/** One child run: a sequence of the task's children walked with its own scope. */
export interface ChildRun {
  /** Identifies the run in results (a child id, an item key, a pass number). */
  key: string;
  /**
   * Appended to the parent task's path for this run: `''` for branches (`analyse/security`),
   * `[epic-2]` for a collection item (`architecture[epic-2]/draft`), `[0]` for a loop pass.
   */
  segment?: string;
  /** A one-task run whose task takes the run's path itself (`architecture[epic-2]`). */
  anonymous?: boolean;
  /** Indices into the task's compiled `children` to walk, in order. */
  tasks: number[];
  /** Variables this run adds to its scope (`item`, `index`, `revision`...). */
  vars?: Record<string, Json>;
}

/** What happened to one child run, handed back to the orchestrator's `respond`. */
export interface ChildResult {
  key: string;
  status: 'completed' | 'failed' | 'cancelled';
  /** Output of each task the run completed, by task id. */
  outputs: Record<string, Json>;
  error?: TaskError;
}

/** What any directive may carry besides its kind's fields. */
export interface DirectiveExtras {
  /**
   * Lifecycle events the orchestrator reports for this step (e.g. `branch.chosen`, `loop.pass`); the
   * interpreter emits them with the task's path.
   */
  events?: Array<{ type: 'branch.chosen' | 'loop.pass' | 'stream.progress'; data?: Record<string, Json> }>;
  /** The activity attempt that produced this directive, when it was a retry (set by createTaskState). */
  attempt?: number;
  /**
   * On a task's first directive: run the rest of the task in a child workflow of its own that
   * continues as new between rounds, so a long task (a stream of pages) keeps every history bounded.
   */
  isolate?: boolean;
}

export interface DoneDirective extends DirectiveExtras {
  kind: 'done';
  output: Json;
  /** When this answers an update: the update's result (default `{ accepted: true }`). */
  reply?: Json;
  /** Jump to this task id (a sibling in the same sequence) instead of the following task. */
  next?: string;
  /** True when the task was skipped by its `if`. */
  skipped?: boolean;
  /** Facts about how the output was made (e.g. which agent answered), shown in the `state` query. */
  meta?: Record<string, Json>;
}

export interface FailDirective extends DirectiveExtras {
  kind: 'fail';
  error: Omit<TaskError, 'task'>;
  /**
   * Handle the failure by going to this task id (a sibling in the same sequence, with `error` in
   * scope), as the task's own `on_error` would: a router's inline route's `on_error.next`.
   */
  next?: string;
}

export interface ChildrenDirective extends DirectiveExtras {
  kind: 'children';
  runs: ChildRun[];
  /** How many runs may be in flight at once (1 = sequential). Omitted: all. */
  maxConcurrency?: number;
  /** Cancel the remaining runs at the first failed run or at the first completed run. */
  stopOn?: 'first_failure' | 'first_success';
  /**
   * Cancel the remaining runs as soon as more than this many runs have failed (counted over every
   * run, also across batch child workflows). Omitted: failures never stop the fan-out.
   */
  maxFailures?: number;
  /** Make the completed runs' task outputs visible to later tasks (`tasks.<child id>`). */
  exportOutputs?: boolean;
  /** Opaque orchestrator state handed back on `respond` (e.g. a loop's passes so far). */
  state?: Json;
}

export interface WaitDirective extends DirectiveExtras {
  kind: 'await_signal';
  /** Signal name to wait for; each payload received is handed back on `respond` to be matched. */
  signal: string;
  /** Milliseconds; omitted: wait forever. */
  timeoutMs?: number;
  /** On timeout: jump to this task id, or fail when omitted. */
  onTimeout?: string;
  state?: Json;
}

/**
 * Wait for an update named `update` (e.g. `complete-phase`). Each update's payload is handed back on
 * `respond`; a `reject` answer fails that update and leaves the task waiting as it was. While
 * waiting, `views` are answered by queries of the same names (e.g. `current-phase`); a query's
 * arguments index into its view (`task <phase> <n>` → `views.task[phase][n]`).
 */
export interface AwaitUpdateDirective extends DirectiveExtras {
  kind: 'await_update';
  update: string;
  views?: Record<string, Json>;
  /** Milliseconds; omitted: wait forever. */
  timeoutMs?: number;
  /** On timeout: jump to this task id, or fail when omitted. */
  onTimeout?: string;
  /** When this answers an update: the update's result. */
  reply?: Json;
  state?: Json;
}

/** The answer to an update that cannot be taken: the update fails with this message; nothing changes. */
export interface RejectDirective extends DirectiveExtras {
  kind: 'reject';
  message: string;
  details?: Json;
}

export interface EmitDirective extends DirectiveExtras {
  kind: 'emit';
  signal: { name: string; workflowId?: string; payload: Json };
  /** The task's output once the signal is sent. */
  output: Json;
}

/**
 * Run a compiled definition as a child workflow of the same interpreter (id `<this run's id>/<task
 * path>`); cancelling this run cancels it. Its output comes back on `respond` as a `workflow`
 * response; its failure fails the task with the child's error type and message, at the child's task
 * path under this task's path. The interpreter knows nothing else about it.
 */
export interface RunDefinitionDirective extends DirectiveExtras {
  kind: 'run_definition';
  /** A `CompiledDefinition` (plain JSON, pinned when the parent compiled). */
  definition: Json;
  input: Json;
  state?: Json;
}

export type Directive =
  | RunDefinitionDirective
  | DoneDirective
  | FailDirective
  | ChildrenDirective
  | WaitDirective
  | AwaitUpdateDirective
  | RejectDirective
  | EmitDirective;

/** What the interpreter hands back to `createTaskState` after performing a directive. */
export type Response =
  | { kind: 'children'; results: ChildResult[]; state?: Json }
  | { kind: 'signal'; payload: Json; state?: Json }
  | { kind: 'update'; name: string; payload: Json; state?: Json }
  | { kind: 'workflow'; output: Json; workflowId: string; state?: Json };
