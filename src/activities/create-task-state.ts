/**
 * `createTaskState`: the one activity. It finds the orchestrator of the task's type in the worker's
 * registry of task types and returns its directive. Concerns every type shares live here: `if`
 * (skip), rendering `outputs` over the raw result, heartbeats, idempotency keys, and typed errors
 * naming the task path.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { CreateTaskStateInput } from '../contract/activities';
import type { Directive, Json } from '../contract/directive';
import type { AgentCaller, RunInfo, Scope, TaskContext } from '../contract/orchestrator';
import type { TaskTypeRegistry } from '../contract/registry';
import { evaluate, expressionOf, ExpressionError, render } from '../expressions';
import { expressionsIn, secretsOfRun, TaskSecrets, type SecretSource } from '../secrets';
import type { ToolRegistry } from './tools';
import { runHooks } from './hooks';
import { idempotencyKey } from './idempotency';
import { boundError, guardDirective } from './payload-guard';

export type { CreateTaskStateInput };

export interface ActivityDeps {
  /** The task types the worker runs (`builtinTaskTypes()`, plus any of the worker's own). */
  types: TaskTypeRegistry;
  tools: ToolRegistry;
  agents?: AgentCaller;
  /** The secrets templates may read (`secrets.NAME`); default: none. */
  secrets?: SecretSource;
}

/** Build `createTaskState` bound to the worker's task types, tools and agents. */
export function makeCreateTaskState(deps: ActivityDeps) {
  return async function createTaskState(input: CreateTaskStateInput): Promise<Directive> {
    const orchestrator = deps.types.get(input.task.type);
    const secrets = taskSecrets(input, deps);
    const ctx = taskContext(input, deps, secrets);
    const { spec } = input.task;
    const event = (type: string, extra: Record<string, Json> = {}): Record<string, Json> => ({
      type,
      task: input.task.id,
      task_type: input.task.type,
      path: input.path,
      workflow_id: ctx.run.workflowId,
      run_id: ctx.run.runId,
      ...extra,
    });
    let directive: Directive;
    try {
      if (!input.response && typeof spec.if === 'string' && !(await ctx.evaluate(spec.if))) {
        return { kind: 'done', output: null, skipped: true };
      }
      if (!input.response) {
        const vetoedBy = await runHooks('before_task', ctx, event('task.started'));
        if (vetoedBy) return { kind: 'done', output: null, skipped: true, meta: { vetoed_by: vetoedBy } };
      }
      directive = await withHeartbeats(() =>
        input.response ? respond(orchestrator.respond, ctx, input) : orchestrator.start(ctx),
      );
      if (directive.kind === 'done' && spec.outputs !== undefined) {
        directive = {
          ...directive,
          output: (await ctx.render(spec.outputs, { output: directive.output })) as Json,
        };
      }
      // Nothing a secret's value is in leaves the worker: not the result, not the hooks' events.
      directive = { ...secrets.redact.json(directive), kind: directive.kind } as Directive;
      directive = guardDirective(directive, input.path, ctx.run.workflowId);
    } catch (e) {
      const failure = boundError(secrets.redact.error(typed(e)));
      await runHooks('on_error', ctx, event('task.failed', { error: errorOf(failure) }));
      throw failure;
    }
    if (directive.kind === 'fail')
      await runHooks('on_error', ctx, event('task.failed', { error: { ...directive.error } }));
    if (directive.kind === 'done')
      await runHooks('after_task', ctx, event('task.completed', { output: directive.output }));
    return ctx.run.attempt > 1 ? { ...directive, attempt: ctx.run.attempt } : directive;
  };
}

function errorOf(e: unknown): Record<string, Json> {
  const err = e as Error & { type?: string };
  return { type: err?.type ?? err?.name ?? 'Error', message: err?.message ?? String(e) };
}

function respond(
  fn: ((...a: any[]) => Promise<Directive>) | undefined,
  ctx: TaskContext<any>,
  input: CreateTaskStateInput,
) {
  if (!fn) {
    throw ApplicationFailure.create({
      type: 'UnexpectedResponse',
      message: `task type '${input.task.type}' does not take a ${input.response!.kind} response`,
      nonRetryable: true,
    });
  }
  return fn(ctx, input.response);
}

/** The secrets of this task's run, bound to its path for the errors. */
function taskSecrets(input: CreateTaskStateInput, deps: ActivityDeps): TaskSecrets {
  const workflowId = Context.current().info.workflowExecution?.workflowId ?? 'standalone';
  return new TaskSecrets(secretsOfRun(deps.secrets, workflowId), input.path);
}

function taskContext(
  input: CreateTaskStateInput,
  deps: ActivityDeps,
  secrets: TaskSecrets,
): TaskContext<any> {
  const activity = Context.current();
  const { attempt } = activity.info;
  const workflowId = activity.info.workflowExecution?.workflowId ?? 'standalone';
  const run: RunInfo = {
    workflowId,
    runId: activity.info.workflowExecution?.runId ?? '',
    attempt,
    idempotencyKey: idempotencyKey(workflowId, input.path, input.revision),
    heartbeat: (details) => {
      if (!activity.info.isLocal) activity.heartbeat(secrets.redact.json(details));
    },
    cancelled: activity.cancellationSignal,
  };
  // Secrets join the scope here, in the activity, and only for the templates that read them.
  const scopeWith = (expressions: string[], extra?: Scope) =>
    secrets.scopeFor(extra ? { ...input.scope, ...extra } : input.scope, expressions);
  return {
    spec: input.task.spec,
    task: { id: input.task.id, type: input.task.type, path: input.path, children: input.task.children },
    scope: input.scope,
    evaluate: async (expression, extra) =>
      evaluate(expressionOf(expression), scopeWith([expressionOf(expression)], extra)),
    render: async (value, extra) => render(value, scopeWith(expressionsIn(value), extra)),
    run,
    tools: deps.tools,
    ...(deps.agents ? { agents: deps.agents } : {}),
  };
}

/**
 * Heartbeat while a remote activity works, so cancellation reaches it and a dead worker is noticed.
 * Every second (the worker throttles what it sends), or faster for a short heartbeat timeout.
 */
async function withHeartbeats<T>(work: () => Promise<T>): Promise<T> {
  const activity = Context.current();
  const timeout = activity.info.heartbeatTimeoutMs;
  if (activity.info.isLocal || !timeout) return work();
  const timer = setInterval(
    () => activity.heartbeat(),
    Math.max(100, Math.min(1_000, Math.floor(timeout / 3))),
  );
  try {
    return await work();
  } finally {
    clearInterval(timer);
  }
}

/** Errors leave as typed `ApplicationFailure`s; an expression error is never worth retrying. */
function typed(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof ExpressionError) {
    return ApplicationFailure.create({ type: 'ExpressionError', message: e.message, nonRetryable: true });
  }
  if (e instanceof Error && e.name === 'AbortError') return e;
  const err = e as Error;
  return ApplicationFailure.create({
    type: err?.name ?? 'Error',
    message: `${err?.message ?? String(e)}`,
    cause: err,
  });
}
