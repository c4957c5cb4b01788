/**
 * What the console shows of runs, read through the client API only: the list (with the "waiting for
 * me" filter), one run's view (summary, `state`, why it failed), a task's output and error, the graph
 * of the definition a run is pinned to, and decisions.
 */
import type { FlowstateClient, InboxEntry, RunState, RunSummary } from '../../client';
import type { GraphModel } from '../../contract/graph';
import type { Json } from '../../contract/directive';
import type { TaskTypeRegistry } from '../../contract/registry';
import { toGraphModel } from '../../dsl/graph-model';
import { ApiError } from './errors';

/** A run as its page shows it; sent again (server-sent events) whenever it changes. */
export interface RunView {
  run: RunSummary;
  state: RunState;
  failure?: { type?: string; message: string; task?: string };
}

/** Who is looking: a name and their groups (the "waiting for me" filter, the inbox). */
export interface Viewer {
  me?: string;
  groups?: string[];
}

/** Runs, newest first: by definition and status, and those with a gate `viewer` may decide. */
export async function listRuns(
  client: FlowstateClient,
  filter: { definition?: string; status?: string; viewer?: Viewer },
): Promise<RunSummary[]> {
  const { viewer } = filter;
  const runs = await client.list({
    ...(filter.definition ? { definition: filter.definition } : {}),
    ...(filter.status ? { status: filter.status } : {}),
  });
  if (!viewer?.me && !viewer?.groups?.length) return runs;
  const mine = new Set((await client.inbox(viewer)).map((e) => e.workflowId));
  return runs.filter((r) => mine.has(r.workflowId));
}

/** The gates waiting for `viewer` across runs (the client API's inbox). */
export function inboxOf(client: FlowstateClient, viewer: Viewer): Promise<InboxEntry[]> {
  return client.inbox(viewer);
}

/** One run's view: its summary, its `state` (with Temporal's status when Temporal closed it), its failure. */
export async function runView(client: FlowstateClient, workflowId: string): Promise<RunView> {
  const run = await client.describe(workflowId);
  const state = await client.currentState(workflowId, run);
  const failure = state.status === 'failed' ? await client.failure(workflowId) : undefined;
  return { run: { ...run }, state, ...(failure ? { failure } : {}) };
}

/**
 * Graph models of pinned definitions, by run id (a run never changes its definition; a new run under
 * the same workflow id may have another).
 */
const graphs = new Map<string, GraphModel>();

/** The graph of the definition the current run of `workflowId` is pinned to. */
export async function runGraph(
  client: FlowstateClient,
  workflowId: string,
  types: TaskTypeRegistry,
): Promise<GraphModel> {
  const { runId } = await client.describe(workflowId);
  const cached = graphs.get(runId);
  if (cached) return cached;
  const model = toGraphModel(await client.definitionOf(workflowId, runId), types);
  if (graphs.size > 500) graphs.clear();
  graphs.set(runId, model);
  return model;
}

/** A task instance's output (when it completed) and error (when it is the task the run failed at). */
export async function taskDetails(
  client: FlowstateClient,
  workflowId: string,
  path: string,
): Promise<{ path: string; output?: Json; error?: RunView['failure']; spec?: Json }> {
  const view = await runView(client, workflowId);
  const output = view.state.completed.includes(path) ? await client.taskOutput(workflowId, path) : undefined;
  const error = view.failure?.task === path ? view.failure : undefined;
  return { path, ...(output !== undefined ? { output } : {}), ...(error ? { error } : {}) };
}

/** A decision as the page posts it. */
export interface DecideBody {
  gate?: string;
  decision?: string;
  by?: string;
  comment?: string;
}

/** Check a posted decision: the page always names the gate, the decision and who decides. */
export function decisionOf(body: DecideBody): {
  gate: string;
  decision: 'approve' | 'reject';
  by: string;
  comment?: string;
} {
  if (!body.gate) throw new ApiError(400, 'gate: name the gate to decide (its task path)');
  if (body.decision !== 'approve' && body.decision !== 'reject')
    throw new ApiError(400, `decision: expected "approve" or "reject", got ${JSON.stringify(body.decision)}`);
  if (!body.by?.trim()) throw new ApiError(400, 'by: name who decides');
  return {
    gate: body.gate,
    decision: body.decision,
    by: body.by.trim(),
    ...(body.comment ? { comment: body.comment } : {}),
  };
}
