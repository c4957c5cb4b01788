/**
 * A `run_definition` directive: a compiled definition run as a child workflow of the same `interpret`
 * type, with id `<this run's id>/<task path>`. Cancelling this run cancels the child (the child
 * workflow's default cancellation: request it and wait until it ends). A child failure becomes the
 * task's failure with the child's error type, message and task path under this task's path.
 * Deterministic code only.
 */
import {
  CancellationScope,
  ChildWorkflowFailure,
  executeChild,
  isCancellation,
  workflowInfo,
} from '@temporalio/workflow';
import type { CompiledDefinition } from '../contract/compiled';
import type { Json, RunDefinitionDirective, TaskError } from '../contract/directive';
import type { InterpretInput, RunResult } from './api';
import { TaskFailed } from './failures';

/** The child's workflow id: `<parent id>/<task path>`. */
export function childWorkflowId(path: string): string {
  return `${workflowInfo().workflowId}/${path}`;
}

/** Run the directive's definition as a child workflow; its output, or a `TaskFailed` at `path`. */
export async function runDefinition(
  directive: RunDefinitionDirective,
  path: string,
): Promise<{ output: Json; workflowId: string }> {
  const definition = directive.definition as unknown as CompiledDefinition;
  const workflowId = childWorkflowId(path);
  const info = workflowInfo();
  const visible = info.searchAttributes?.FlowstateDefinition !== undefined;
  const args: InterpretInput = {
    definition,
    input: directive.input,
    subflow: { parent: info.workflowId, path },
  };
  try {
    const result = await executeChild<(input: InterpretInput) => Promise<RunResult>>('interpret', {
      args: [args],
      workflowId,
      memo: {
        definition: definition.id,
        version: definition.version,
        hash: definition.hash,
        ...(definition.source !== undefined ? { source: definition.source } : {}),
        parent: info.workflowId,
      },
      ...(visible
        ? {
            searchAttributes: {
              FlowstateDefinition: [definition.id],
              FlowstateVersion: [definition.version],
              FlowstateHash: [definition.hash],
            },
          }
        : {}),
    });
    return { output: result.output, workflowId };
  } catch (e) {
    if (isCancellation(e) && CancellationScope.current().consideredCancelled) throw e;
    if (!(e instanceof ChildWorkflowFailure)) throw e;
    throw new TaskFailed(childError(e, path, workflowId));
  }
}

/** The task's error for a failed child run: the child's type and message, at its path under `path`. */
function childError(e: ChildWorkflowFailure, path: string, workflowId: string): TaskError {
  const cause = e.cause as (Error & { type?: string; details?: unknown[] }) | undefined;
  const inner = cause?.details?.[0] as Partial<TaskError> | undefined;
  if (inner && typeof inner.type === 'string' && typeof inner.task === 'string') {
    return { type: inner.type, message: inner.message ?? '', task: `${path}/${inner.task}` };
  }
  if (isCancellation(cause)) {
    return { type: 'SubflowCancelled', message: `the child run ${workflowId} was cancelled`, task: path };
  }
  const message = `the child run ${workflowId} ended: ${cause?.message ?? e.message}`;
  return { type: cause?.type ?? 'SubflowFailed', message, task: path };
}
