/**
 * The inbox: the pending gates a person may decide, across runs. Runs are found through the
 * `FlowstateAcceptors` search attribute (who may decide a run's own pending gates; `*` when a gate
 * names no acceptors), then each run's `state` query gives the gates' details. A subflow child's gate
 * is listed once, on the child's run (its id is `<parent>/<task path>`), even though the parent's
 * `state` shows it too (`review/legal`).
 */
import type { Client } from '@temporalio/client';
import type { Json } from '../contract/directive';
import { stateQuery, WORKFLOW_TYPE, type GateView, type RunState } from '../workflows/api';
import { listRuns, type RunSummary } from './runs';

/** One pending gate the person may decide. */
export interface InboxEntry {
  workflowId: string;
  definition: string;
  version: string;
  /** Task path of the gate in this run. */
  gate: string;
  task: string;
  acceptors: string[];
  /** ISO time the gate opened (for runs from before gates recorded it: the run's start). */
  since: string;
  revision: number;
  /** What is under review: the gate's output, trimmed for display. */
  review: Json;
  /** The CLI line to approve it (`reject` with `--comment` sends it back). */
  command: string;
}

/** Who asks: a user name and the groups they belong to (`legal`, or `group:legal`). */
export interface InboxWho {
  me?: string;
  groups?: string[];
}

/** The inbox was asked for without naming a person or a group. */
export class InboxError extends Error {
  override readonly name = 'InboxError';
}

/** The `FlowstateAcceptors` value for a gate open to anyone. */
export const ANYONE = '*';

/** How many runs the inbox reads at most, and how many `state` queries it sends at once. */
const MAX_RUNS = 1000;
const QUERIES_AT_ONCE = 8;
const QUERY_DEADLINE_MS = 10_000;

/** The acceptor values that let `who` decide: `me`, `group:<g>` for each group, and `*`. */
export function acceptorValues(who: InboxWho): string[] {
  const me = who.me?.trim();
  const groups = (who.groups ?? []).map((g) => g.trim()).filter((g) => g.length > 0);
  if (!me && groups.length === 0) {
    throw new InboxError('the inbox needs a person: give me (a user name) or groups (or both)');
  }
  const values = [...(me ? [me] : []), ...groups.map((g) => (g.startsWith('group:') ? g : `group:${g}`))];
  return [...new Set([...values, ANYONE])];
}

/** The acceptor of `acceptors` through which `who` may decide (undefined: none; `*`: anyone may). */
export function matchingAcceptor(
  acceptors: readonly string[],
  values: readonly string[],
): string | undefined {
  if (acceptors.length === 0) return ANYONE;
  return values.find((v) => v !== ANYONE && acceptors.includes(v));
}

/** The visibility query for runs with a pending gate one of `values` may decide. */
export function inboxQuery(values: readonly string[]): string {
  const list = values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ');
  return `WorkflowType = '${WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' AND FlowstateAcceptors IN (${list})`;
}

/** A word as the shell reads it: bare when safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9_.:/@%+=,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The CLI line that approves `gate` of run `workflowId` (`--by` only when given). */
export function decideCommand(workflowId: string, gate: string, by?: string): string {
  const who = by !== undefined ? ` --by ${shellWord(by)}` : '';
  return `npx flowstate approve ${shellWord(workflowId)} --gate ${shellWord(gate)}${who}`;
}

/**
 * `value` trimmed for a glance: strings past 200 characters, arrays past 10 items and objects past 20
 * keys are cut (and say so), and nothing deeper than 4 levels is shown.
 */
export function trimForDisplay(value: Json, depth = 0): Json {
  if (typeof value === 'string') return value.length > 200 ? `${value.slice(0, 200)}…` : value;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= 4) return Array.isArray(value) ? `[${value.length} items]` : '{…}';
  if (Array.isArray(value)) {
    const shown = value.slice(0, 10).map((v) => trimForDisplay(v, depth + 1));
    return value.length > 10 ? [...shown, `… ${value.length - 10} more`] : shown;
  }
  const keys = Object.keys(value);
  const out: Record<string, Json> = {};
  for (const k of keys.slice(0, 20)) out[k] = trimForDisplay(value[k] as Json, depth + 1);
  if (keys.length > 20) out['…'] = `${keys.length - 20} more keys`;
  return out;
}

/** The entries of one run's pending gates that `values` may decide. */
export function entriesOf(
  run: Pick<RunSummary, 'workflowId' | 'startTime'>,
  state: Pick<RunState, 'definition' | 'version' | 'pending_gates'>,
  values: readonly string[],
  me?: string,
): InboxEntry[] {
  return state.pending_gates.flatMap((g: GateView) => {
    const through = g.status === 'pending' ? matchingAcceptor(g.acceptors, values) : undefined;
    if (through === undefined) return [];
    const by = through === ANYONE ? me : through;
    return [
      {
        workflowId: run.workflowId,
        definition: state.definition,
        version: state.version,
        gate: g.gate,
        task: g.task,
        acceptors: [...g.acceptors],
        since: g.since ?? run.startTime.toISOString(),
        revision: g.revision,
        review: trimForDisplay(g.output),
        command: decideCommand(run.workflowId, g.gate, by),
      },
    ];
  });
}

/**
 * Each gate once: a subflow child's gate is both the child's `legal` (run `p/review`) and the
 * parent's `review/legal` (run `p`): `<run>/<gate>` names it either way, and the child's entry (the
 * run that owns the gate) is kept. Oldest first.
 */
export function distinctGates(entries: readonly InboxEntry[]): InboxEntry[] {
  const byGate = new Map<string, InboxEntry>();
  const owners = [...entries].sort((a, b) => b.workflowId.length - a.workflowId.length);
  for (const e of owners) {
    const key = `${e.workflowId}/${e.gate}`;
    if (!byGate.has(key)) byGate.set(key, e);
  }
  return [...byGate.values()].sort(
    (a, b) => a.since.localeCompare(b.since) || a.workflowId.localeCompare(b.workflowId),
  );
}

/** What else the inbox takes: where to hear of runs whose state could not be read. */
export interface InboxOptions {
  /**
   * A run found whose `state` query failed or took over 10 s (e.g. no worker polls its task queue):
   * its gates are left out, and this hears why. Default: ignored.
   */
  onUnreadable?: (workflowId: string, reason: string) => void;
}

/** The pending gates `who` may decide, across the runs Temporal has running, oldest first. */
export async function inbox(
  client: Client,
  who: InboxWho,
  options: InboxOptions = {},
): Promise<InboxEntry[]> {
  const values = acceptorValues(who);
  const me = who.me?.trim() || undefined;
  const runs = await listRuns(client, inboxQuery(values), MAX_RUNS);
  const entries: InboxEntry[] = [];
  const read = async (run: RunSummary): Promise<void> => {
    try {
      const state = await client.withDeadline(Date.now() + QUERY_DEADLINE_MS, () =>
        client.workflow.getHandle(run.workflowId).query(stateQuery),
      );
      entries.push(...entriesOf(run, state, values, me));
    } catch (e) {
      options.onUnreadable?.(run.workflowId, (e as Error).message);
    }
  };
  for (let i = 0; i < runs.length; i += QUERIES_AT_ONCE) {
    await Promise.all(runs.slice(i, i + QUERIES_AT_ONCE).map(read));
  }
  return distinctGates(entries);
}
