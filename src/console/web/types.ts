/**
 * What the console's API answers, as the page reads it (the server's types, restated: the page
 * imports nothing but its own files and the contract's types).
 */
export type { GraphModel, GraphNode, GraphEdge, GroupKind } from '../../contract/graph';

/** A pending gate (the `state` query's `pending_gates`). */
export interface GateView {
  gate: string;
  task: string;
  status: string;
  output: unknown;
  acceptors: string[];
  revision: number;
  max_revisions: number;
}

/** A decision record. */
export interface DecisionRecord {
  gate: string;
  decision: 'approve' | 'reject';
  decided_by: string;
  comment?: string;
  at: string;
  revision: number;
  verified?: boolean;
}

/** The `state` query, as far as the page reads it. */
export interface RunStateView {
  status: string;
  definition: string;
  version: string;
  paused: boolean;
  running: string[];
  completed: string[];
  waiting: Array<{ task: string; signal?: string; update?: string }>;
  pending_gates: GateView[];
  outputs: Record<string, unknown>;
  decisions: DecisionRecord[];
  reused?: string[];
}

/** Why a run failed. */
export interface RunFailure {
  type?: string;
  message: string;
  task?: string;
}

/** A run in the list. */
export interface RunSummary {
  workflowId: string;
  runId: string;
  definition?: string;
  version?: string;
  status: string;
  startTime: string;
  closeTime?: string;
}

/** `/api/runs/:id` and each server-sent `run` event. */
export interface RunView {
  run: RunSummary;
  state: RunStateView;
  failure?: RunFailure;
}
