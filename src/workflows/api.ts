/**
 * The run's public surface (DESIGN.md section 5): signals, updates and queries, shared by the
 * interpreter and the client. Deterministic code only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CompiledDefinition } from '../contract/compiled';
import type { Json, WaitDirective } from '../contract/directive';
import type { RunStatus } from '../contract/run-status';
import type { FrameSnapshot } from './scope';

/** Name of the one workflow type; the task queue default. */
export const WORKFLOW_TYPE = 'interpret';
/** The workflow type of a fan-out's batch children (`interpretRuns`). */
export const BATCH_WORKFLOW_TYPE = 'interpretRuns';
export const DEFAULT_TASK_QUEUE = 'flowstate';

export interface InterpretInput {
  definition: CompiledDefinition;
  input: Json;
  /** Set by the run itself when it continued as new under Temporal's signal limit. */
  resume?: Resume;
  /** Present when this run redrives a failed one (`flowstate redrive`). */
  redrive?: RedriveInput;
  /** Set when a `subflow` task started this run: report pending gates to that parent task. */
  subflow?: { parent: string; path: string };
  /** The starter's token (`run --token`): verified at start, recorded as `started_by`. */
  starterToken?: string;
}

/** Who started the run, when a token said so (the `state` query's `started_by`). */
export interface StartedBy {
  subject: string;
  verified: boolean;
  issuer?: string;
}

/** A task a run settled: its output (approved, when it had a gate) and the sibling it jumped to. */
export interface SettledTask {
  output: Json;
  next?: string;
}

/** What a redrive run carries: the run it redrives and the settled tasks it reuses, by task path. */
export interface RedriveInput {
  /** Workflow id of the redriven run. */
  from: string;
  /** Its run id. */
  runId: string;
  reuse: Record<string, SettledTask[]>;
}

/** A decision on a gate, as sent by the `decide` update or the `approve`/`reject` signals. */
export interface DecisionInput {
  /** Task path of the gate; may be left out when exactly one gate is pending. */
  gate?: string;
  decision: 'approve' | 'reject';
  by: string;
  comment?: string;
  /**
   * A JWT saying who decides, checked by the worker when it verifies deciders (the decider is then
   * its subject, not `by`). It is in the run's history with the rest of the input: use short-lived
   * tokens and the payload codec.
   */
  token?: string;
}

const DECISION_KEYS = new Set(['gate', 'decision', 'by', 'comment', 'token']);

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
  if (d.token !== undefined && !text(d.token)) issues.push('token: a non-empty string when given');
  const extra = Object.keys(d).filter((k) => !DECISION_KEYS.has(k));
  if (extra.length) issues.push(`decision: unknown keys ${extra.map((k) => `'${k}'`).join(', ')}`);
  return issues;
}

/** The fire-and-forget form: `approve` and `reject` signals carry everything but the decision. */
export type GateSignal = Omit<DecisionInput, 'decision'>;

export interface DecisionRecord {
  gate: string;
  decision: 'approve' | 'reject';
  /** The verified token's subject; the `by` text when the worker does not verify deciders. */
  decided_by: string;
  /** True when a token verified by the worker named the decider (absent in records of older runs). */
  verified?: boolean;
  /** The verified token's issuer. */
  issuer?: string;
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
  /** ISO time (workflow clock) this revision of the gate opened; absent in runs from before it. */
  since?: string;
  /** Present (false) when the run's starter may not decide this gate. */
  allow_self_review?: false;
}

export type { RunStatus } from '../contract/run-status';

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
  /**
   * Outputs of completed tasks, by task path. An output over 16 KiB is an `OutputSummary` instead,
   * and past 512 KiB in all the rest are left out; the `task-output` query has each in full.
   */
  outputs: Record<string, Json>;
  /** Paths whose output `outputs` summarises or leaves out. */
  truncated_outputs?: string[];
  /** `meta` of tasks that reported some (e.g. `{ agent: 'reviewer-1' }`), by task path. */
  meta: Record<string, Record<string, Json>>;
  decisions: DecisionRecord[];
  /** Signals received (by every run of this id), dropped by name, and continue-as-new count. */
  signals?: SignalReport;
  /** Paths whose outputs this run reused from the run it redrives, instead of running them. */
  reused?: string[];
  /** The workflow id of the run this one redrives. */
  redrives?: string;
  /** Who started the run, when the start carried a token. */
  started_by?: StartedBy;
}

/** What `state` shows of an output too large to show in full. */
export type OutputSummary = { truncated: true; bytes: number; preview: string; get: string };

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
/** One completed task's output in full, by task path (what `state` summarises). */
export const taskOutputQuery = defineQuery<Json, [string]>('task-output');
/** Every task path the run settled, with its outcomes in order: what a redrive reuses. */
export const settledQuery = defineQuery<Record<string, SettledTask[]>>('flowstate.settled');

/** Search attributes shown in the Web UI (registered by `flowstate server`). */
export const SEARCH_ATTRIBUTES = {
  FlowstateDefinition: 'Keyword',
  FlowstateVersion: 'Keyword',
  FlowstateHash: 'Keyword',
  FlowstateStatus: 'Keyword',
  FlowstatePendingGate: 'KeywordList',
  /** Who may decide the run's pending gates (`alice`, `group:legal`; `*`: anyone): the inbox. */
  FlowstateAcceptors: 'KeywordList',
} as const;

/** What a run reports about the signals it received (the `state` query's `signals`). */
export interface SignalReport {
  /** Signals received, by every run of this workflow id. */
  received: number;
  /**
   * Signals dropped, by name: of a name no task of the run has waited for, past the signal budget
   * with `MAX_QUEUED_PER_NAME` already waiting (and what a continue-as-new leaves behind of them).
   */
  dropped: Record<string, number>;
  /** Signals kept and not taken by a task yet, by name. */
  queued?: Record<string, number>;
  /** How many times the run continued as new to stay under Temporal's signal limit. */
  continued_as_new: number;
}

/** What a continue-as-new carries of the mailbox. */
export interface MailboxCarry extends Omit<SignalReport, 'queued'> {
  queued: Record<string, Json[]>;
  paused: boolean;
  /** Names a task of the run has waited for: their signals are never dropped. */
  wanted?: string[];
}

/** What a continue-as-new carries of the status (`rotation.ts`). */
export interface StatusSnapshot {
  completed: string[];
  outputs: Record<string, Json>;
  meta: Record<string, Record<string, Json>>;
}

/** Where a continued run picks up: a top-level task, in the middle of its signal wait. */
export interface ResumeAt {
  index: number;
  directive: WaitDirective;
  /** Workflow-clock time the wait times out at, if it does. */
  deadline?: number;
}

/** What a run carries over a continue-as-new (`InterpretInput.resume`). */
export interface Resume {
  at: ResumeAt;
  frame: FrameSnapshot;
  status: StatusSnapshot;
  decisions: DecisionRecord[];
  mailbox: MailboxCarry;
  /** What the runs before it settled (the `flowstate.settled` query) and, in a redrive, reused. */
  settled?: Record<string, SettledTask[]>;
  reused?: string[];
  started_by?: StartedBy;
}
