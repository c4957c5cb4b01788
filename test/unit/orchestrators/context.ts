/**
 * A `TaskContext` for orchestrator unit tests, built the way `createTaskState` builds it but without
 * Temporal: the spec is the COMPILED spec of a real definition (so it is exactly what runs), evaluate
 * and render are the DSL's own, tools are a real `ToolRegistry` with the built-in tools.
 */
import { findTask } from '../../../src/dsl/references';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { builtinTools } from '../../../src/activities/builtin-tools';
import { defineTool, ToolRegistry, type Tool } from '../../../src/activities/tools';
import { idempotencyKey } from '../../../src/activities/idempotency';
import type { CompiledTask } from '../../../src/contract/compiled';
import { evaluate, expressionOf, render } from '../../../src/expressions';
import { compileOrThrow } from '../../../src/dsl/loader';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';
import type { ChildResult, Directive, Json, Response, TaskError } from '../../../src/contract/directive';
import type { AgentCaller, RunInfo, Scope, TaskContext } from '../../../src/contract/orchestrator';

export interface ContextOptions {
  /** Tools registered besides the built-in ones (echo, http). */
  tools?: Tool<any, any>[];
  agents?: AgentCaller;
  /** The task's path; default: its id. */
  path?: string;
  workflowId?: string;
  attempt?: number;
}

export type TestContext<Spec = any> = TaskContext<Spec> & {
  /** The compiled task the context was built from. */
  compiled: CompiledTask;
  /** Aborts `run.cancelled`. */
  abort: AbortController;
  /** The `run.heartbeat` spy. */
  heartbeat: jest.Mock;
};

/**
 * The context of task `taskId` (found anywhere in the tree) of `yaml`. `yaml` is a whole definition,
 * or just the items of its `tasks:` list (then wrapped in `id: test`, `version: 1.0.0`).
 */
export function taskContext<Spec = any>(
  yaml: string,
  taskId: string,
  scope: Scope = {},
  opts: ContextOptions = {},
): TestContext<Spec> {
  const compiled = findTask(compileOrThrow(definitionText(yaml), 'x.yaml', builtinTaskTypes()).tasks, taskId);
  if (!compiled) throw new Error(`no task '${taskId}' in the definition`);
  const path = opts.path ?? taskId;
  const workflowId = opts.workflowId ?? 'wf-1';
  const attempt = opts.attempt ?? 1;
  const abort = new AbortController();
  const heartbeat = jest.fn();
  const run: RunInfo = {
    workflowId,
    runId: 'run-1',
    attempt,
    idempotencyKey: idempotencyKey(workflowId, path),
    heartbeat,
    cancelled: abort.signal,
  };
  const scopeWith = (extra?: Scope) => (extra ? { ...scope, ...extra } : scope);
  return {
    spec: compiled.spec as Spec,
    task: {
      id: compiled.id,
      type: compiled.type,
      path,
      children: compiled.children.map((c) => ({ id: c.id, type: c.type })),
    },
    scope,
    evaluate: (expression, extra) => evaluate(expressionOf(expression), scopeWith(extra)),
    render: (value, extra) => render(value, scopeWith(extra)),
    run,
    tools: new ToolRegistry([...builtinTools, ...(opts.tools ?? [])]),
    ...(opts.agents ? { agents: opts.agents } : {}),
    compiled,
    abort,
    heartbeat,
  };
}

/** Definition text: `yaml` as is when it has a top-level `tasks:`, else wrapped as its task list. */
function definitionText(yaml: string): string {
  const text = dedent(yaml);
  if (/^tasks:/m.test(text)) return text;
  const indented = text
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : `  ${l}`))
    .join('\n');
  return `id: test\nversion: 1.0.0\ntasks:\n${indented}\n`;
}

function dedent(text: string): string {
  const lines = text.replace(/^\n+/, '').replace(/\s+$/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n');
}

// ---- Directives and responses ----------------------------------------------------------------------

/** The directive narrowed to `kind`; throws (showing the directive) when it is another kind. */
export function expectKind<K extends Directive['kind']>(
  d: Directive,
  kind: K,
): Extract<Directive, { kind: K }> {
  if (d.kind !== kind) throw new Error(`expected a '${kind}' directive, got ${JSON.stringify(d)}`);
  return d as Extract<Directive, { kind: K }>;
}

export const completed = (key: string, outputs: Record<string, Json> = {}): ChildResult => ({
  key,
  status: 'completed',
  outputs,
});

export const failed = (key: string, error: TaskError, outputs: Record<string, Json> = {}): ChildResult => ({
  key,
  status: 'failed',
  outputs,
  error,
});

export const cancelled = (key: string): ChildResult => ({ key, status: 'cancelled', outputs: {} });

/** The `children` response the interpreter hands back, with the directive's state as it does. */
export function childrenResponse(results: ChildResult[], from?: Directive): Response {
  const state = from && 'state' in from ? from.state : undefined;
  return { kind: 'children', results, ...(state !== undefined ? { state } : {}) };
}

// ---- Failures --------------------------------------------------------------------------------------

/** What a promise rejected with; fails the test when it resolved. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  const outcome = await p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a rejection, got ${JSON.stringify(outcome.value)}`);
  return outcome.error;
}

/** The `ApplicationFailure` a promise rejected with; fails the test on anything else. */
export async function applicationFailure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const e = await rejection(p);
  if (!(e instanceof ApplicationFailure)) throw new Error(`expected an ApplicationFailure, got ${String(e)}`);
  return e;
}

// ---- Small test tools ------------------------------------------------------------------------------

/** `add`: `{ a, b }` numbers → their sum. */
export const addTool = defineTool({
  name: 'add',
  input: z.object({ a: z.number(), b: z.number() }).strict(),
  output: z.number(),
  run: ({ a, b }) => a + b,
});
