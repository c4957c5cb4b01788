/**
 * Step three: a validated, checked document becomes a `CompiledDefinition`, plain JSON that travels
 * in the workflow input. Each task keeps its own fields as `spec` (nested tasks moved to `children` by
 * its orchestrator), the scope roots its expressions read, and how `createTaskState` is scheduled.
 */
import { createHash } from 'node:crypto';
import type { Json } from '../contract/directive';
import { durationMs } from '../contract/fields';
import { type AcceptanceSpec, type RetrySpec } from './common';
import type {
  CompiledAcceptance,
  CompiledDefinition,
  CompiledExecution,
  CompiledRetry,
  CompiledTask,
} from '../contract/compiled';
import { READS_ALL, readsOf } from '../expressions';
import type { TaskDocument, WorkflowDocument } from './schema';
import { buildTask, siteExpressions, type TaskNode } from './structure';
import type { HookSpec } from './common';
import type { Validator } from './validate';

/** Roots every expression may read; enclosing collections add their item and index variables. */
export const SCOPE_ROOTS: readonly string[] = [
  'input',
  'tasks',
  'workflow',
  'secrets',
  'error',
  'revision',
  'signal',
  'previous',
  'index',
  'item',
  'event',
];

/** Common fields that shape how a task is run rather than what it does: not part of `spec`. */
const EXECUTION_FIELDS = new Set([
  'id',
  'type',
  'on_success',
  'on_error',
  'final',
  'retry',
  'timeout',
  'acceptance',
]);

/** Scheduling defaults (milliseconds). */
export const EXECUTION_DEFAULTS = {
  localStartToCloseMs: 60_000,
  remoteStartToCloseMs: 300_000,
  remoteHeartbeatMs: 30_000,
  retry: { maximumAttempts: 3, initialIntervalMs: 1_000, backoffCoefficient: 2, maximumIntervalMs: 60_000 },
} as const;

/** Id of the task compiled from the document's `output`. */
export const OUTPUT_TASK_ID = '$output';
/** The one place the DSL names a type: the document's `output` is rendered like an aggregate's `outputs`. */
const OUTPUT_TASK_TYPE = 'aggregate';

/** Compile a validated document whose semantic checks passed (`validator` validated it). */
export function compileDocument(
  document: WorkflowDocument,
  tree: TaskNode[],
  options: { hash: string; source?: string },
  validator: Validator,
): CompiledDefinition {
  const roots = new Set(SCOPE_ROOTS);
  const compiled: CompiledDefinition = {
    id: document.id,
    version: document.version,
    hash: options.hash,
    ...(document.description !== undefined ? { description: document.description } : {}),
    ...(document.input !== undefined ? { input: document.input as Json } : {}),
    ...(document.output !== undefined
      ? { outputTask: compileOutput(document.output, roots, validator) }
      : {}),
    tasks: tree.map((node) => compileTask(node, roots, validator)),
    ...(document.hooks?.on_complete
      ? { onComplete: compileOnComplete(document.hooks.on_complete, roots, validator) }
      : {}),
    ...(options.source !== undefined ? { source: options.source } : {}),
  };
  const { on_complete: _onComplete, ...taskHooks } = document.hooks ?? {};
  compiled.tasks.forEach((t) => withWorkflowHooks(t, taskHooks));
  // Plain JSON: no shared references with the document, no undefined.
  return JSON.parse(JSON.stringify(compiled)) as CompiledDefinition;
}

/** Id of the task compiled from the document's `hooks.on_complete`. */
export const ON_COMPLETE_TASK_ID = '$on_complete';
/** A hook is a tool call: the run's `on_complete` hook runs as a `basic` task. */
const HOOK_TASK_TYPE = 'basic';

function compileOnComplete(
  hook: HookSpec,
  roots: ReadonlySet<string>,
  validator: Validator,
): { task: CompiledTask; onError: 'ignore' | 'fail' } {
  const task = {
    id: ON_COMPLETE_TASK_ID,
    type: HOOK_TASK_TYPE,
    tool: hook.tool,
    // As every hook: `with` defaults to `{ event }` (docs/definition-language.md).
    with: hook.with ?? { event: '{{ event }}' },
  } as TaskDocument;
  const node = buildTask(task, ['hooks', 'on_complete'], validator);
  return { task: compileTask(node, roots, validator), onError: hook.on_error };
}

/**
 * Every task's `spec.hooks` becomes lists per point, the workflow's hook first and the task's own
 * second, so `createTaskState` runs them in that order.
 */
function withWorkflowHooks(task: CompiledTask, workflow: Partial<Record<string, HookSpec>>): void {
  const own = (task.spec.hooks ?? {}) as Record<string, Json>;
  const merged: Record<string, Json> = {};
  for (const point of ['before_task', 'after_task', 'on_error']) {
    const list = [workflow[point], own[point]].filter((h) => h !== undefined) as Json[];
    if (list.length > 0) merged[point] = list;
  }
  if (Object.keys(merged).length > 0) task.spec.hooks = merged;
  else delete task.spec.hooks;
  task.children.forEach((c) => withWorkflowHooks(c, workflow));
}

function compileOutput(output: unknown, roots: ReadonlySet<string>, validator: Validator): CompiledTask {
  if (!validator.types.find(OUTPUT_TASK_TYPE))
    throw new Error(`the '${OUTPUT_TASK_TYPE}' task type is needed to compile output`);
  const task = { id: OUTPUT_TASK_ID, type: OUTPUT_TASK_TYPE, outputs: output } as TaskDocument;
  return compileTask(buildTask(task, ['output'], validator), roots, validator);
}

/**
 * Compile one task and its children; `roots` are the scope roots visible where it runs. `jumpsOut`:
 * the task's `on_success`/`on_error` name tasks of its container's sequence (a router's inline
 * route), so they are left to the container's orchestrator, not compiled as the task's own jumps.
 */
function compileTask(
  node: TaskNode,
  roots: ReadonlySet<string>,
  validator: Validator,
  jumpsOut = false,
): CompiledTask {
  const { orchestrator, task } = node;
  const own = validator.ownFields(orchestrator);
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(task)) {
    // A type may own a field whose name is also common (wait's `timeout`): then it stays in the spec.
    if (value !== undefined && (!EXECUTION_FIELDS.has(key) || own.has(key))) fields[key] = value;
  }
  const { spec, children } = orchestrator.nested
    ? orchestrator.nested(fields)
    : { spec: fields, children: [] };
  const byDocument = new Map(
    node.groups.flatMap((g) => g.tasks).map((child) => [child.task as unknown, child]),
  );
  const childRoots = new Set([...roots, ...node.variables.map((v) => v.name)]);
  const jumpingOut = new Set(
    node.groups.filter((g) => g.role.jumps === 'container').flatMap((g) => g.tasks.map((t) => t.task)),
  );
  return {
    id: task.id,
    type: task.type,
    spec: spec as Record<string, Json>,
    children: children.map((child, i) =>
      compileTask(
        byDocument.get(child) ?? buildTask(child as TaskDocument, [...node.path, 'children', i], validator),
        childRoots,
        validator,
        jumpingOut.has(child as TaskDocument),
      ),
    ),
    reads: readsOfTask(node, roots),
    execution: compileExecution(task, own, spec, orchestrator.local),
    ...(task.on_success && !jumpsOut ? { next: task.on_success.next } : {}),
    ...(task.on_error && !jumpsOut ? { onError: task.on_error.next } : {}),
    ...(task.final === true ? { final: true } : {}),
    ...(task.acceptance ? { acceptance: compileAcceptance(task.acceptance) } : {}),
  };
}

/** Union of the roots every expression of the task reads (its children have their own). */
function readsOfTask(node: TaskNode, roots: ReadonlySet<string>): string[] {
  const reads = new Set<string>();
  for (const site of node.expressions) {
    const vars = node.variables.filter((v) => v.visibleIn.includes(site.field)).map((v) => v.name);
    const visible = vars.length === 0 ? roots : new Set([...roots, ...vars]);
    for (const expression of siteExpressions(site))
      for (const root of readsOf(expression, visible)) reads.add(root);
  }
  return reads.has(READS_ALL) ? [READS_ALL] : [...reads].sort();
}

function compileExecution(
  task: TaskDocument,
  own: ReadonlySet<string>,
  spec: Record<string, unknown>,
  local: boolean,
): CompiledExecution {
  const timeout = own.has('timeout') ? undefined : task.timeout;
  const heartbeat = typeof spec.heartbeat === 'string' ? spec.heartbeat : undefined;
  const d = EXECUTION_DEFAULTS;
  return {
    local,
    startToCloseMs: timeout ? durationMs(timeout) : local ? d.localStartToCloseMs : d.remoteStartToCloseMs,
    ...(timeout ? { scheduleToCloseMs: durationMs(timeout) } : {}),
    ...(heartbeat
      ? { heartbeatMs: durationMs(heartbeat) }
      : local
        ? {}
        : { heartbeatMs: d.remoteHeartbeatMs }),
    retry: compileRetry(task.retry),
  };
}

function compileRetry(retry: RetrySpec | undefined): CompiledRetry {
  const d = EXECUTION_DEFAULTS.retry;
  return {
    maximumAttempts: retry?.max_attempts ?? d.maximumAttempts,
    initialIntervalMs: retry?.initial_interval ? durationMs(retry.initial_interval) : d.initialIntervalMs,
    backoffCoefficient: retry?.backoff_coefficient ?? d.backoffCoefficient,
    maximumIntervalMs: retry?.max_interval ? durationMs(retry.max_interval) : d.maximumIntervalMs,
    nonRetryableErrorTypes: retry?.non_retryable ?? [],
  };
}

function compileAcceptance(acceptance: AcceptanceSpec): CompiledAcceptance {
  return {
    acceptors: acceptance.acceptors ?? [],
    ...(acceptance.timeout ? { timeoutMs: durationMs(acceptance.timeout) } : {}),
    ...(acceptance.on_timeout && acceptance.on_timeout !== 'fail'
      ? { onTimeout: acceptance.on_timeout }
      : {}),
    onReject: acceptance.on_reject,
    maxRevisions: acceptance.max_revisions,
    ...(acceptance.allow_self_review === false ? { allowSelfReview: false as const } : {}),
  };
}

/** JSON with object keys sorted (UTF-16 order) at every level: the same data always gives the same text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value))
    return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** sha256 (hex) of the canonical JSON of a parsed document. */
export function definitionHash(document: unknown): string {
  return createHash('sha256').update(canonicalJson(document)).digest('hex');
}
