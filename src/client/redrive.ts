/**
 * Redrive (DESIGN.md section 6): a new run of a failed, terminated, timed-out or cancelled run's pinned
 * definition and input, which reuses the output of every task the run settled before it ended (read
 * with the `flowstate.settled` query, on the run and on each batch child workflow it started) and runs
 * the rest: the failed task on, and in a collection or a parallel only the children that did not
 * complete, batched (past 200 runs) or not.
 */
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import {
  settledQuery,
  BATCH_WORKFLOW_TYPE,
  WORKFLOW_TYPE,
  type InterpretInput,
  type RedriveInput,
  type SettledTask,
} from '../workflows/api';
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import type { CompiledDefinition } from '../contract/compiled';

/** What a redrive needs of `FlowstateClient` (kept structural: index.ts imports this module). */
export interface RedriveClient {
  readonly client: Client;
  describe(workflowId: string): Promise<{ temporalStatus: string; taskQueue: string; runId: string }>;
  hasWorker(taskQueue?: string): Promise<boolean>;
  start(
    definition: CompiledDefinition,
    input: unknown,
    options: { workflowId?: string; taskQueue?: string; redrive?: RedriveInput },
  ): Promise<{ workflowId: string; runId: string }>;
}

/** Options of a redrive: the new run's id and task queue (default: the redriven run's). */
export interface RedriveOptions {
  workflowId?: string;
  taskQueue?: string;
}

/** Temporal statuses a run can be redriven from: it ended without completing. */
export const REDRIVABLE = ['FAILED', 'TERMINATED', 'TIMED_OUT', 'CANCELLED'] as const;

/** Why a run cannot be redriven (`type`: `NotRedrivable`, `NotFlowstateRun`, `NoWorker`). */
export class RedriveError extends Error {
  constructor(
    readonly type: 'NotRedrivable' | 'NotFlowstateRun' | 'NoWorker',
    message: string,
  ) {
    super(message);
    this.name = 'RedriveError';
  }
}

/** The new run a redrive started, and what it reuses. */
export interface RedriveRef {
  workflowId: string;
  runId: string;
  /** Workflow id of the redriven run. */
  redrives: string;
  /**
   * Task paths the redriven run settled, each once per time: what the new run may reuse. Its `state`'s
   * `reused` says what it did (a task after one that runs afresh in the same sequence runs too).
   */
  settled: string[];
}

/**
 * The refusal for a run in `temporalStatus`, or undefined when it can be redriven. Exported for the
 * unit test and the CLI's wording.
 */
export function refusal(workflowId: string, temporalStatus: string): string | undefined {
  if ((REDRIVABLE as readonly string[]).includes(temporalStatus)) return undefined;
  const why: Record<string, string> = {
    RUNNING: 'it is still running: wait for it to end, or cancel it with `flowstate cancel` first',
    COMPLETED: 'it completed: there is nothing to redrive (start a new run with `flowstate run`)',
    CONTINUED_AS_NEW: 'it continued as new: redrive the run it continued as',
  };
  return `cannot redrive ${workflowId}: ${why[temporalStatus] ?? `its status is ${temporalStatus}`}; only failed, terminated, timed-out or cancelled runs can be redriven`;
}

/**
 * Start a redrive of `workflowId`: same definition and input (from its history's first event), the
 * outputs it settled reused. Needs a worker on the run's task queue (the query replays the run there).
 */
export async function redrive(
  client: RedriveClient,
  workflowId: string,
  options: RedriveOptions = {},
): Promise<RedriveRef> {
  const { temporalStatus, taskQueue, runId } = await client.describe(workflowId);
  const refused = refusal(workflowId, temporalStatus);
  if (refused) throw new RedriveError('NotRedrivable', refused);
  const handle = client.client.workflow.getHandle(workflowId, runId);
  const history = await handle.fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (started?.workflowType?.name !== WORKFLOW_TYPE) {
    throw new RedriveError(
      'NotFlowstateRun',
      `cannot redrive ${workflowId}: it is a '${started?.workflowType?.name ?? 'unknown'}' workflow, not a Flowstate run ('${WORKFLOW_TYPE}'); redrive the run that started it`,
    );
  }
  const args = await decodeFromPayloadsAtIndex<InterpretInput>(
    client.client.options.loadedDataConverter,
    0,
    started.input?.payloads,
  );
  if (!(await client.hasWorker(taskQueue))) {
    throw new RedriveError(
      'NoWorker',
      `cannot redrive ${workflowId}: no worker polls its task queue '${taskQueue}' to read what it settled; start one with \`flowstate worker\``,
    );
  }
  const reuse: Record<string, SettledTask[]> = {
    ...(await handle.query(settledQuery)),
    ...(await settledInBatches(client.client, history.events ?? [])),
  };
  const run = await client.start(args.definition, args.input, {
    taskQueue,
    ...options,
    redrive: { from: workflowId, runId, reuse },
  });
  const settled = Object.entries(reuse).flatMap(([path, list]) => list.map(() => path));
  return { ...run, redrives: workflowId, settled };
}

/**
 * What the batch child workflows a run started settled (a collection or parallel over 200 runs runs
 * its items there), by task path: items completed in a batch that completed, failed part-way or was
 * cancelled. A batch's own batches (a large fan-out inside an item) are read too. A batch whose
 * query fails (never started) gives nothing: its items run again.
 */
async function settledInBatches(
  client: Client,
  events: temporal.api.history.v1.IHistoryEvent[],
): Promise<Record<string, SettledTask[]>> {
  const out: Record<string, SettledTask[]> = {};
  const ids = events.flatMap((e) => {
    const a = e.startChildWorkflowExecutionInitiatedEventAttributes;
    return a?.workflowType?.name === BATCH_WORKFLOW_TYPE && a.workflowId ? [a.workflowId] : [];
  });
  for (const id of ids) {
    const handle = client.workflow.getHandle(id);
    try {
      Object.assign(out, await handle.query(settledQuery));
      Object.assign(out, await settledInBatches(client, (await handle.fetchHistory()).events ?? []));
    } catch (e) {
      if ((e as Error).name !== 'WorkflowNotFoundError') throw e;
    }
  }
  return out;
}
