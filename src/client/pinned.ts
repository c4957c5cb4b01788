/**
 * The definition a run is pinned to: the compiled definition in its workflow input (the history's
 * first event), which is what the run walks whatever the files on disk say now.
 */
import type { Client } from '@temporalio/client';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import type { CompiledDefinition } from '../contract/compiled';
import { WORKFLOW_TYPE, type InterpretInput } from '../workflows/api';

/** A run that is no Flowstate run (another workflow type): it has no definition to show. */
export class NotFlowstateRunError extends Error {
  override readonly name = 'NotFlowstateRunError';
}

/**
 * The compiled definition run `workflowId` started with (its latest run by default). Rejects with
 * `WorkflowNotFoundError` when there is no such run, `NotFlowstateRunError` for another workflow type.
 */
export async function pinnedDefinition(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<CompiledDefinition> {
  const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (started?.workflowType?.name !== WORKFLOW_TYPE) {
    throw new NotFlowstateRunError(
      `${workflowId} is a '${started?.workflowType?.name ?? 'unknown'}' workflow, not a Flowstate run ('${WORKFLOW_TYPE}')`,
    );
  }
  const input = await decodeFromPayloadsAtIndex<InterpretInput>(
    client.options.loadedDataConverter,
    0,
    started.input?.payloads,
  );
  return input.definition;
}
