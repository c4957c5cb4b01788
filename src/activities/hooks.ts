/**
 * Hooks (`hooks: { before_task, after_task, on_error }` on a task or the workflow): tools called at a
 * point of a task's life with `event` in scope, in order (the workflow's first). A failing hook is
 * logged and ignored unless its `on_error` is `fail`; a `before_task` hook that returns
 * `{ skip: true }` vetoes the task.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Json } from '../contract/directive';
import type { TaskContext } from '../contract/orchestrator';
import { taskLogger } from '../logging';

export interface CompiledHook {
  tool: string;
  with?: unknown;
  on_error: 'ignore' | 'fail';
}
export type HookPoint = 'before_task' | 'after_task' | 'on_error';

/** Run the hooks of one point; returns the tool that vetoed the task, if one did (before_task only). */
export async function runHooks(
  point: HookPoint,
  ctx: TaskContext<any>,
  event: Record<string, Json>,
): Promise<string | undefined> {
  const hooks = ((ctx.spec.hooks as Record<string, CompiledHook[]> | undefined)?.[point] ??
    []) as CompiledHook[];
  for (const hook of hooks) {
    let result: unknown;
    try {
      const input = hook.with === undefined ? { event } : await ctx.render(hook.with, { event });
      result = await ctx.tools.call(hook.tool, input, { taskPath: ctx.task.path, run: ctx.run });
    } catch (e) {
      if (hook.on_error === 'fail') {
        throw ApplicationFailure.create({
          type: 'HookFailed',
          message: `${point} hook '${hook.tool}' failed: ${(e as Error).message}`,
          nonRetryable: true,
        });
      }
      taskLogger(ctx.run.workflowId, ctx.task.path).warn(
        { err: e, hook: hook.tool, point },
        'hook failed (ignored: on_error is ignore)',
      );
      continue;
    }
    if (
      point === 'before_task' &&
      result !== null &&
      typeof result === 'object' &&
      (result as { skip?: unknown }).skip === true
    )
      return hook.tool;
  }
  return undefined;
}
