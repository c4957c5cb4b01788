/**
 * The run's public surface (DESIGN.md section 5): signals, updates and queries, shared by the
 * interpreter and the client. Deterministic code only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CompiledDefinition } from '../contract/compiled';
import type { Json } from '../contract/directive';

/** Name of the one workflow type; the task queue default. */
export const WORKFLOW_TYPE = 'interpret';
export const DEFAULT_TASK_QUEUE = 'flowstate';

export interface InterpretInput {
  definition: CompiledDefinition;
  input: Json;
  /** Set when a `subflow` task started this run: report pending gates to that parent task. */
  subflow?: { parent: string; path: string };
}

/** A decision on a gate, as sent by the `decide` update or the `approve`/`reject` signals. */
export interface DecisionInput {
  /** Task path of the gate; may be left out when exactly one gate is pending. */
  gate?: string;
  decision: 'approve' | 'reject';
  by: string;
  comment?: string;
}

const DECISION_KEYS = new Set(['gate', 'decision', 'by', 'comment']);

/**
 * What is wrong with a decision as received (`field: message` each; none when it is well formed). A
 * hand-written check of this one shape, so the workflow bundle carries no schema library.
 */
export function decisionIssues(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return ['decision: expected an object { gate, decision, by, comment }'];
  }
  const d = raw as Record<string, unknown>;
  const issues: string[] = [];
  const text = (v: unknown) => typeof v === 'string' && v.length > 0;
  if (d.gate !== undefined && !text(d.gate)) issues.push('gate: a non-empty string when given');
  if (d.decision !== 'approve' && d.decision !== 'reject') {
    issues.push(`decision: expected "approve" or "reject", got ${JSON.stringify(d.decision) ?? 'nothing'}`);
  }
  if (!text(d.by)) issues.push('by: by: name who decides');
  if (d.comment !== undefined && typeof d.comment !== 'string') issues.push('comment: a string when given');
  const extra = Object.keys(d).filter((k) => !DECISION_KEYS.has(k));
  if (extra.length) issues.push(`decision: unknown keys ${extra.map((k) => `'${k}'`).join(', ')}`);
  return issues;
}

/** The fire-and-forget form: `approve` and `reject` signals carry everything but the decision. */
export type GateSignal = Omit<DecisionInput, 'decision'>;

export interface DecisionRecord {
  gate: string;
  decision: 'approve' | 'reject';
  decided_by: string;
  comment?: string;
  /** ISO time from the workflow clock. */
  at: string;
  /** Revision of the output the decision was about (0: the first). */
  revision: number;
}

export interface GateView {
  gate: string;
  task: string;
  status: 'pending' | 'approved' | 'rejected' | 'timed_out';
  /** The output under review. */
  output: Json;
  acceptors: string[];
  revision: number;
  max_revisions: number;
}

export type RunStatus = 'running' | 'waiting_acceptance' | 'paused' | 'completed' | 'failed' | 'cancelled';

export interface RunState {
  status: RunStatus;
  definition: string;
  version: string;
  hash: string;
  paused: boolean;
  running: string[];
  completed: string[];
  /** Signals and updates the run is waiting for, by task path (with the views its queries answer). */
  waiting: Array<{ task: string; signal: string } | { task: string; update: string; views: string[] }>;
  pending_gates: GateView[];
  outputs: Record<string, Json>;
  /** `meta` of tasks that reported some (e.g. `{ agent: 'reviewer-1' }`), by task path. */
  meta: Record<string, Record<string, Json>>;
  decisions: DecisionRecord[];
}

export interface RunResult {
  output: Json;
  decisions: DecisionRecord[];
}

export const decideUpdate = defineUpdate<GateView, [DecisionInput]>('decide');
export const approveSignal = defineSignal<[GateSignal]>('approve');
export const rejectSignal = defineSignal<[GateSignal]>('reject');
export const pauseSignal = defineSignal('pause');
export const resumeSignal = defineSignal('resume');
export const stateQuery = defineQuery<RunState>('state');

/** Search attributes shown in the Web UI (registered by `flowstate server`). */
export const SEARCH_ATTRIBUTES = {
  FlowstateDefinition: 'Keyword',
  FlowstateVersion: 'Keyword',
  FlowstateHash: 'Keyword',
  FlowstateStatus: 'Keyword',
  FlowstatePendingGate: 'KeywordList',
} as const;
