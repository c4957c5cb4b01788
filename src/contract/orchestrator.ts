/**
 * The orchestrator contract. One orchestrator per task type, in its own folder, registered in
 * the task-type registry (`src/orchestrators/registry.ts`). An orchestrator contributes its type's schema (so adding a type adds its validation)
 * and turns a task plus the slice of scope it reads into a `Directive`.
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
  /** `workflowId/taskPath/attempt`: hand it to side effects so a retry can be de-duplicated. */
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
  call(skill: string, input: unknown, call: { taskPath: string; run: RunInfo }): Promise<{ output: unknown; agent: string }>;
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
   * Moves nested tasks out of the spec (they are compiled separately into `children`) and returns
   * the spec that remains. Types without nested tasks leave this out.
   */
  nested?(spec: Spec): { spec: Record<string, unknown>; children: unknown[] };
  /** True for compute-only types: `createTaskState` then runs as a local activity. */
  local: boolean;
  /** First call for a task. */
  start(ctx: TaskContext<Spec>): Promise<Directive>;
  /** Called with what the interpreter did for a `children` or `wait` directive. */
  respond?(ctx: TaskContext<Spec>, response: Response): Promise<Directive>;
}
