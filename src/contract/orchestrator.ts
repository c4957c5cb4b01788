/**
 * The orchestrator contract. One orchestrator per task type, in its own folder, listed in a registry
 * of task types (`builtinTaskTypes()` in `src/orchestrators/registry.ts`). An orchestrator contributes
 * its type's schema (so adding a type adds its validation) and optional hooks the DSL calls without
 * knowing the type (a document-level form), and turns a task plus the slice of scope it reads into a
 * `Directive`.
 */
import type { z } from 'zod';
import type { Directive, Json, Response } from './directive';

/** The slice of scope a task reads: `input`, `tasks.<id>.output`, `item`, `index`, `signal`... */
export type Scope = Record<string, unknown>;

/** Facts about the running attempt, for idempotency keys, heartbeats and cancellation. */
export interface RunInfo {
  workflowId: string;
  runId: string;
  attempt: number;
  /**
   * `workflowId/taskPath` (plus `#revision-<n>` when a task rejected at its gate runs again): the same
   * for every retry of the call, so hand it to side effects and a receiver can de-duplicate a retry.
   */
  idempotencyKey: string;
  heartbeat(details?: unknown): void;
  /** Aborted when the activity is cancelled (e.g. a `fail_fast` sibling failed). */
  cancelled: AbortSignal;
}

/** What a tool call is told about its caller. */
export interface ToolCall {
  /** Path of the calling task, e.g. `analyse/security`. */
  taskPath: string;
  run: RunInfo;
}

/** The worker's tools as an orchestrator sees them: call one by name. */
export interface ToolCaller {
  /** Validate the input, call the tool, validate its output; errors are typed `ApplicationFailure`s. */
  call(name: string, input: unknown, call: ToolCall): Promise<unknown>;
  /** Names of the registered tools, sorted. */
  names(): string[];
}

/** Everything an orchestrator sees of one task. */
export interface TaskContext<Spec = Record<string, Json>> {
  spec: Spec;
  task: { id: string; type: string; path: string; children: { id: string; type: string }[] };
  scope: Scope;
  /** Evaluate an expression (bare, or one `{{ }}`) against the scope plus `extra` roots. */
  evaluate(expression: string, extra?: Scope): Promise<unknown>;
  /** Render a value whose strings may hold `{{ }}` templates. */
  render(value: unknown, extra?: Scope): Promise<unknown>;
  run: RunInfo;
  tools: ToolCaller;
  /** Calls agents found by skill; absent when the worker has no agent registry. */
  agents?: AgentCaller;
}

/** Finds an agent with a skill and calls it (see `src/agents`). */
export interface AgentCaller {
  /** The agent's answer, and which agent gave it (recorded as the task's `meta.agent`). */
  call(
    skill: string,
    input: unknown,
    call: { taskPath: string; run: RunInfo },
  ): Promise<{ output: unknown; agent: string }>;
}

/** A task type. */
export interface Orchestrator<Spec = any> {
  type: string;
  /** One line: what the type does (docs, JSON Schema, `did you mean`). */
  summary: string;
  /**
   * The type's own fields (besides the common ones), given the schema of a nested task so
   * container types can hold tasks.
   */
  fields(task: z.ZodType): z.ZodRawShape;
  /**
   * Cross-field rules zod's shape cannot say, on the validated document fields (before `nested`);
   * returns error messages (empty when valid).
   */
  check?(fields: Record<string, unknown>): string[];
  /** Fields whose strings are bare expressions (not templates), e.g. `condition`. */
  expressionFields?: readonly string[];
  /**
   * Functions (names without `$`) the type binds itself when it evaluates the templates of a field,
   * by field: the checker accepts them there besides JSONata's (spec-session's `templates`).
   */
  functions?: Readonly<Record<string, readonly string[]>>;
  /**
   * Moves nested tasks out of the spec (they are compiled separately into `children`) and returns
   * the spec that remains. Types without nested tasks leave this out.
   */
  nested?(spec: Spec): { spec: Record<string, unknown>; children: unknown[] };
  /**
   * A field naming another definition (`id[@version or range]` in the registry, or a path relative to
   * this file). The DSL resolves and compiles that definition when this one compiles, refuses cycles,
   * checks a literal `with` against its `input` schema, and pins it into the compiled spec as
   * `pinned` (a `CompiledDefinition`), so a run replays identically after the registry moves on.
   */
  definitionField?: string;
  /** True for compute-only types: `createTaskState` then runs as a local activity. */
  local: boolean;
  /**
   * A top-level field a definition may have instead of `tasks`, standing for one task of this type
   * (spec-session's `dynamic`). Types without one leave this out.
   */
  document?: DocumentForm;
  /** First call for a task. */
  start(ctx: TaskContext<Spec>): Promise<Directive>;
  /** Called with what the interpreter did for a `children` or `wait` directive. */
  respond?(ctx: TaskContext<Spec>, response: Response): Promise<Directive>;
}

/**
 * A document-level form of a task type: a top-level field a definition may have instead of `tasks`,
 * standing for the definition's one task of this type. The DSL validates the field with the
 * document, asks `desugar` for the task, then validates, checks and compiles that task like any
 * other, its diagnostics pointing into the field.
 */
export interface DocumentForm<Value = any> {
  /** The field's name at the top of a definition, e.g. `dynamic`. */
  field: string;
  /** The field's schema: validated with the document, and part of the definition's JSON Schema. */
  schema: z.ZodType<Value>;
  /** Why the field excludes `tasks`, ending the "not both" error: `dynamic generates its tasks from...`. */
  instead: string;
  /** The task the validated field stands for; files it names are read through `files`. */
  desugar(value: Value, files: DefinitionFiles): Desugared;
}

/** The files beside a definition, as a `DocumentForm` reads them (the DSL does the reading). */
export interface DefinitionFiles {
  /** A file named relative to the definition: its path as diagnostics show it, and its text or why not. */
  read(relative: string): { file: string; text: string } | { file: string; error: string };
}

/** What a `DocumentForm` desugars to. */
export type Desugared =
  | {
      ok: true;
      /** The one task (the DSL validates it with its type's schema). */
      task: Record<string, unknown>;
      /**
       * Sub-fields of the field the content hash covers instead of the written ones (e.g. the text of
       * the files it names), so that a changed file is a changed definition.
       */
      hashed?: Record<string, unknown>;
      /** Warnings at positions in the files it read (e.g. template placeholders that never resolve). */
      warnings?: FileWarning[];
    }
  | { ok: false; problems: FieldProblem[] };

/** A problem with the value at `path`, relative to the document form's field. */
export interface FieldProblem {
  path: ReadonlyArray<string | number>;
  message: string;
}

/** A warning at a position (1-based) in a file a document form read; `path` is where the field names it. */
export interface FileWarning {
  file: string;
  line: number;
  col: number;
  path: ReadonlyArray<string | number>;
  message: string;
}
