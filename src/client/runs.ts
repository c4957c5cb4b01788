/**
 * Listing runs: Flowstate's search attributes, and summaries read from the server's visibility records
 * without decoding memos, so a run encrypted with a key this process lacks is still listed (marked)
 * instead of failing the whole list.
 */
import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { defineSearchAttributeKey, SearchAttributeType, type Payload } from '@temporalio/common';
import { decodeTypedSearchAttributes } from '@temporalio/common/lib/converter/payload-search-attributes';
import { temporal } from '@temporalio/proto';
import { ENCRYPTED_ENCODING } from '../codec';
import type { RunState, RunStatus } from '../workflows/api';
import { isOpenRunStatus } from '../contract/run-status';

/** Flowstate's search attributes (registered by `flowstate server`). */
export const keys = {
  definition: defineSearchAttributeKey('FlowstateDefinition', SearchAttributeType.KEYWORD),
  version: defineSearchAttributeKey('FlowstateVersion', SearchAttributeType.KEYWORD),
  hash: defineSearchAttributeKey('FlowstateHash', SearchAttributeType.KEYWORD),
  status: defineSearchAttributeKey('FlowstateStatus', SearchAttributeType.KEYWORD),
  gates: defineSearchAttributeKey('FlowstatePendingGate', SearchAttributeType.KEYWORD_LIST),
};

export interface RunSummary {
  workflowId: string;
  runId: string;
  definition?: string;
  version?: string;
  status: string;
  temporalStatus: string;
  startTime: Date;
  closeTime?: Date;
  /** Set when the run's payloads cannot be decoded here, saying why (e.g. encrypted, no key). */
  unreadable?: string;
}

/** How many runs `listRuns` reads at most to sort them (visibility has no ORDER BY on SQLite). */
const SCAN_LIMIT = 10_000;

type RawInfo = temporal.api.workflow.v1.IWorkflowExecutionInfo;

/** The newest `limit` runs matching `query`, newest first by start time. */
export async function listRuns(client: Client, query: string, limit: number): Promise<RunSummary[]> {
  const found: RunSummary[] = [];
  let nextPageToken: Uint8Array | undefined;
  do {
    const page = await client.workflowService.listWorkflowExecutions({
      namespace: client.options.namespace,
      query,
      nextPageToken,
    });
    for (const raw of page.executions ?? []) found.push(await rawSummary(client, raw));
    nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
  } while (nextPageToken && found.length < SCAN_LIMIT);
  return found.sort((a, b) => b.startTime.getTime() - a.startTime.getTime()).slice(0, limit);
}

/** The summary of a described run. */
export function summaryOf(d: WorkflowExecutionDescription): RunSummary {
  const sa = d.typedSearchAttributes;
  return {
    workflowId: d.workflowId,
    runId: d.runId,
    definition: sa.get(keys.definition),
    version: sa.get(keys.version),
    status: statusOf(sa.get(keys.status), d.status.name),
    temporalStatus: d.status.name,
    startTime: d.startTime,
    ...(d.closeTime ? { closeTime: d.closeTime } : {}),
  };
}

async function rawSummary(client: Client, raw: RawInfo): Promise<RunSummary> {
  const sa = decodeTypedSearchAttributes(raw.searchAttributes?.indexedFields);
  const temporalStatus = statusName(raw.status ?? 0);
  const closeTime = raw.closeTime ? toDate(raw.closeTime) : undefined;
  const unreadable = await undecodable(client, Object.values(raw.memo?.fields ?? {}));
  return {
    workflowId: raw.execution?.workflowId ?? '',
    runId: raw.execution?.runId ?? '',
    definition: sa.get(keys.definition),
    version: sa.get(keys.version),
    status: statusOf(sa.get(keys.status), temporalStatus),
    temporalStatus,
    startTime: toDate(raw.startTime),
    ...(closeTime ? { closeTime } : {}),
    ...(unreadable ? { unreadable } : {}),
  };
}

/** Why these payloads cannot be decoded with the client's codecs, or undefined when they can. */
async function undecodable(client: Client, payloads: Payload[]): Promise<string | undefined> {
  const encrypted = payloads.some((p) => encoding(p) === ENCRYPTED_ENCODING);
  if (!encrypted) return undefined;
  const codecs = client.options.dataConverter.payloadCodecs ?? [];
  if (codecs.length === 0) return 'encrypted: set FLOWSTATE_ENCRYPTION_KEY';
  try {
    let decoded = payloads;
    for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
    return undefined;
  } catch (e) {
    return `encrypted: ${(e as Error).message.split('\n')[0]}`;
  }
}

function encoding(p: Payload): string | undefined {
  const e = p.metadata?.encoding;
  return e ? Buffer.from(e).toString() : undefined;
}

/**
 * The run's state as it answered the `state` query, with the status Temporal gives it when Temporal
 * closed the run without the run's code (terminated, timed out, continued as new, failed by a
 * workflow task): the query replays the history up to the end and answers `running` then.
 */
export function withTemporalStatus(
  state: RunState,
  run: Pick<RunSummary, 'status' | 'temporalStatus'>,
): RunState {
  if (run.temporalStatus === 'RUNNING' || run.status === state.status) return state;
  return isOpenRunStatus(state.status) ? { ...state, status: run.status as RunStatus } : state;
}

/** Visibility clauses for `list --status`: the run's own statuses only while it runs. */
export function statusClause(status: string): string {
  const temporal: Record<string, string> = {
    terminated: 'Terminated',
    timed_out: 'TimedOut',
    continued_as_new: 'ContinuedAsNew',
  };
  if (temporal[status]) return `ExecutionStatus = '${temporal[status]}'`;
  if (isOpenRunStatus(status)) return `FlowstateStatus = '${status}' AND ExecutionStatus = 'Running'`;
  if (status === 'failed') return `(FlowstateStatus = 'failed' OR ExecutionStatus = 'Failed')`;
  if (status === 'cancelled') return `(FlowstateStatus = 'cancelled' OR ExecutionStatus = 'Canceled')`;
  return `FlowstateStatus = '${status.replace(/'/g, "\\'")}'`;
}

/**
 * FlowstateStatus, unless the run was closed by Temporal itself (terminated, timed out): its search
 * attribute then still says running, and Temporal's status is the truth.
 */
function statusOf(flowstate: string | undefined, temporalStatus: string): string {
  const closed = ['completed', 'failed', 'cancelled'];
  if (flowstate && (temporalStatus === 'RUNNING' || closed.includes(flowstate))) return flowstate;
  return temporalStatus.toLowerCase();
}

function statusName(code: number): string {
  const name = temporal.api.enums.v1.WorkflowExecutionStatus[code] ?? 'UNSPECIFIED';
  const short = name.replace('WORKFLOW_EXECUTION_STATUS_', '');
  return short === 'CANCELED' ? 'CANCELLED' : short;
}

function toDate(ts: temporal.api.workflow.v1.IWorkflowExecutionInfo['startTime']): Date {
  const seconds = Number(ts?.seconds?.toString() ?? 0);
  return new Date(seconds * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6));
}
