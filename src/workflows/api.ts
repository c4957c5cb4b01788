/**
 * The run's public surface (DESIGN.md section 5): signals, updates and queries, shared by the
 * interpreter and the client. Deterministic code only.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import { z } from 'zod';
import type { CompiledDefinition } from '../contract/compiled';
import type { Json } from '../contract/directive';

/** Name of the one workflow type; the task queue default. */
export const WORKFLOW_TYPE = 'interpret';
export const DEFAULT_TASK_QUEUE = 'flowstate';

export interface InterpretInput {
  definition: CompiledDefinition;
  input: Json;
}

/** A decision on a gate, as sent by the `decide` update or the `approve`/`reject` signals. */
export const DecisionInput = z
  .object({
    /** Task path of the gate; may be left out when exactly one gate is pending. */
    gate: z.string().min(1).optional(),
    decision: z.enum(['approve', 'reject']),
    by: z.string().min(1, 'by: name who decides'),
    comment: z.string().optional(),
  })
  .strict();
export type DecisionInput = z.infer<typeof DecisionInput>;

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

/**
 * A run's status. The run sets the first six; the client sets the last three from Temporal's own
 * status when Temporal closed the run without the run's code (`temporal workflow terminate`, a run
 * timeout, continue-as-new), since the run then could not say so itself.
 */
export type RunStatus =
  | 'running'
  | 'waiting_acceptance'
  | 'paused'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'terminated'
  | 'timed_out'
  | 'continued_as_new';

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

/** Search attributes shown in the Web UI (registered by `flowstate server`). */
export const SEARCH_ATTRIBUTES = {
  FlowstateDefinition: 'Keyword',
  FlowstateVersion: 'Keyword',
  FlowstateHash: 'Keyword',
  FlowstateStatus: 'Keyword',
  FlowstatePendingGate: 'KeywordList',
} as const;
