/**
 * An isolated task: when a task's first directive asks to `isolate`, the rest of it runs in a child
 * workflow of its own (`interpretTask`, which may continue as new), so a long task keeps every
 * history bounded. Deterministic code only.
 */
import { ChildWorkflowFailure, executeChild, workflowInfo } from '@temporalio/workflow';
import type { CompiledTask } from '../contract/compiled';
import type { Directive, TaskError } from '../contract/directive';
import type { Outcome, RunBase, TaskRunInput } from './child-workflows';
import { TaskFailed } from './failures';
import { snapshotFor, type Frame } from './scope';

/** Perform `directive` and the rest of the task in an `interpretTask` child workflow. */
export async function runIsolated(
  base: RunBase,
  task: CompiledTask,
  frame: Frame,
  path: string,
  directive: Directive,
): Promise<Outcome> {
  const input: TaskRunInput = { base, task, path, frame: snapshotFor([task], frame), directive };
  try {
    return await executeChild('interpretTask', {
      args: [input],
      workflowId: `${workflowInfo().workflowId}/${path}`,
    });
  } catch (e) {
    if (!(e instanceof ChildWorkflowFailure)) throw e;
    const cause = e.cause as (Error & { type?: string; details?: unknown[] }) | undefined;
    const error = cause?.details?.[0] as TaskError | undefined;
    throw new TaskFailed(
      error ?? { type: cause?.type ?? 'TaskFailed', message: cause?.message ?? e.message, task: path },
    );
  }
}
