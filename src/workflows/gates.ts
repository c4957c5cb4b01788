/**
 * Acceptance gates: a task's output waits for a person's decision (the `decide` update, or the
 * `approve`/`reject` signals), which approves it, rejects it (fail, or revise it and ask again) or
 * never comes (the gate times out). Deterministic code only.
 */
import { ApplicationFailure, condition, log } from '@temporalio/workflow';
import type { CompiledAcceptance } from '../contract/compiled';
import type { Json, TaskError } from '../contract/directive';
import {
  decisionIssues,
  type DecisionInput,
  type DecisionRecord,
  type GateSignal,
  type GateView,
} from './api';
import type { EventStream } from './events';

/** An open gate: what the `state` query shows, plus the decision once one is taken. */
export interface Gate extends GateView {
  decision?: DecisionRecord;
}

/** What a gate's outcome means for its task. */
export type GateVerdict =
  /** Approved: the task's output stands. */
  | { kind: 'approved' }
  /** Timed out with `on_timeout`: jump to that task. */
  | { kind: 'jump'; next: string }
  /** The task fails with this error. */
  | { kind: 'failed'; error: TaskError }
  /** Rejected with revisions left: run the task again with `revision` in scope. */
  | { kind: 'revise'; revision: { number: number; comment: string; by: string } };

/** Who takes a decision, as the run knows them: a verified token's subject, or the `by` text. */
export interface Decider {
  name: string;
  verified: boolean;
  issuer?: string;
}

/** The gates of one run: those open now, and every decision taken. */
export class Gates {
  /** Every decision taken in this run, in order. */
  readonly decisions: DecisionRecord[] = [];
  private readonly open = new Map<string, Gate>();

  /** `changed` runs whenever a gate opens or closes. */
  constructor(
    private readonly events: EventStream,
    private readonly changed: () => void,
  ) {}

  /** The open gates, in the order they opened. */
  all(): Gate[] {
    return [...this.open.values()];
  }

  /** Task paths of the open gates, in the order they opened. */
  paths(): string[] {
    return [...this.open.keys()];
  }

  /** Open a gate on a task's output and wait for its decision; undefined on timeout. */
  async awaitDecision(
    path: string,
    task: string,
    output: Json,
    acceptance: CompiledAcceptance,
    revision: number,
  ): Promise<DecisionRecord | undefined> {
    const gate = openGate(path, task, output, acceptance, revision);
    this.open.set(path, gate);
    this.events.emit('gate.waiting', path, { revision, acceptors: acceptance.acceptors });
    this.changed();
    const decided = () => gate.status !== 'pending';
    const ok =
      acceptance.timeoutMs === undefined
        ? (await condition(decided), true)
        : await condition(decided, acceptance.timeoutMs);
    if (!ok) {
      gate.status = 'timed_out';
      this.events.emit('gate.decided', path, { decision: 'timed_out', revision });
    }
    this.open.delete(path);
    this.changed();
    return gate.decision;
  }

  /**
   * Throws a typed, readable error when the decision cannot be taken; returns the gate it is about.
   * `checkBy: false` leaves out the check of `by` against the acceptors (the verified decider's is
   * made after verification, `deciders.ts`).
   */
  check(raw: unknown, checkBy = true): Gate {
    return gateToDecide(raw, this.open, checkBy);
  }

  /** Take a decision (the `decide` update) by `who` (default: `by`, unverified); returns the gate as decided. */
  decide(d: DecisionInput, who?: Decider): GateView {
    const gate = this.check(d, who === undefined);
    const decider = who ?? { name: d.by, verified: false };
    gate.decision = decisionRecord(gate, d, new Date().toISOString(), decider);
    gate.status = d.decision === 'approve' ? 'approved' : 'rejected';
    this.decisions.push(gate.decision);
    this.events.emit('gate.decided', gate.gate, {
      decision: d.decision,
      by: decider.name,
      ...(who?.verified ? { verified: true } : {}),
      revision: gate.revision,
    });
    return viewOf(gate);
  }

  /** Signals cannot answer: an invalid decision is logged and changes nothing. */
  decideQuietly(decision: 'approve' | 'reject', s: GateSignal): void {
    try {
      this.decide({ ...(s ?? {}), decision } as DecisionInput);
    } catch (e) {
      log.warn(`ignored ${decision} signal: ${(e as Error).message}`);
    }
  }
}

/** A pending gate on `output`, at revision `revision` of the task. */
export function openGate(
  path: string,
  task: string,
  output: Json,
  acceptance: CompiledAcceptance,
  revision: number,
): Gate {
  return {
    gate: path,
    task,
    status: 'pending',
    output,
    acceptors: acceptance.acceptors,
    revision,
    max_revisions: acceptance.maxRevisions,
    ...(acceptance.allowSelfReview === false ? { allow_self_review: false as const } : {}),
    since: new Date().toISOString(),
  };
}

/** A gate as the `state` query and the `decide` update show it (without its decision). */
export function viewOf(gate: Gate): GateView {
  const { decision: _d, ...view } = gate;
  return view;
}

/**
 * The open gate a decision is about (its `gate`, or the only open one); throws a readable error when
 * the decision is malformed, names no open gate, or comes from someone not among the acceptors.
 */
export function gateToDecide(raw: unknown, open: ReadonlyMap<string, Gate>, checkBy = true): Gate {
  const issues = decisionIssues(raw);
  if (issues.length) {
    throw refusal(
      'MalformedDecision',
      `malformed decision: ${issues.join('; ')}; expected { gate, decision: approve|reject, by, comment, token }`,
    );
  }
  const d = raw as DecisionInput;
  // A gate decided in this activation stays open until its task wakes up: not pending any more.
  const pending = [...open.values()].filter((g) => g.status === 'pending').map((g) => g.gate);
  const decided = [...open.values()].filter((g) => g.decision !== undefined);
  const only = pending.length === 1 ? pending[0] : pending.length === 0 ? decided[0]?.gate : undefined;
  const path = d.gate ?? only;
  if (path === undefined) {
    throw refusal(
      'GateNotPending',
      pending.length === 0
        ? 'no gate is pending in this run'
        : `several gates are pending (${pending.join(', ')}): name one with gate`,
    );
  }
  const gate = open.get(path);
  if (gate?.decision) {
    const { decision, decided_by, revision } = gate.decision;
    throw refusal(
      'GateNotPending',
      `gate '${path}' was just ${decision === 'approve' ? 'approved' : 'rejected'} by ${decided_by} (revision ${revision}): the first decision counts`,
    );
  }
  if (!gate || gate.status !== 'pending') {
    throw refusal(
      'GateNotPending',
      `gate '${path}' is not pending; pending gates: ${pending.join(', ') || 'none'}`,
    );
  }
  if (checkBy && gate.acceptors.length > 0 && !gate.acceptors.includes(d.by)) {
    throw refusal(
      'NotAnAcceptor',
      `'${d.by}' may not decide gate '${path}': acceptors are ${gate.acceptors.join(', ')}`,
    );
  }
  return gate;
}

/** A refused decision: a typed failure the `decide` update's caller receives (never retried). */
export function refusal(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** The record of decision `d` on `gate` by `who` (default: `by`, unverified), taken at `at` (ISO time). */
export function decisionRecord(gate: Gate, d: DecisionInput, at: string, who?: Decider): DecisionRecord {
  return {
    gate: gate.gate,
    decision: d.decision,
    decided_by: who?.name ?? d.by,
    verified: who?.verified ?? false,
    ...(who?.issuer !== undefined ? { issuer: who.issuer } : {}),
    ...(d.comment !== undefined ? { comment: d.comment } : {}),
    at,
    revision: gate.revision,
  };
}

/** What a gate's decision (undefined: it timed out) means for a task at revision `revision`. */
export function gateVerdict(
  decision: DecisionRecord | undefined,
  acceptance: CompiledAcceptance,
  revision: number,
  path: string,
): GateVerdict {
  if (!decision) {
    if (acceptance.onTimeout) return { kind: 'jump', next: acceptance.onTimeout };
    return {
      kind: 'failed',
      error: { type: 'GateTimeout', message: 'no decision before the gate timed out', task: path },
    };
  }
  if (decision.decision === 'approve') return { kind: 'approved' };
  const why = decision.comment ? `: ${decision.comment}` : '';
  if (acceptance.onReject === 'fail') {
    return {
      kind: 'failed',
      error: { type: 'GateRejected', message: `rejected by ${decision.decided_by}${why}`, task: path },
    };
  }
  if (revision >= acceptance.maxRevisions) {
    const message = `rejected by ${decision.decided_by}${why}; no revisions left (max_revisions: ${acceptance.maxRevisions})`;
    return { kind: 'failed', error: { type: 'RevisionsExhausted', message, task: path } };
  }
  return {
    kind: 'revise',
    revision: { number: revision + 1, comment: decision.comment ?? '', by: decision.decided_by },
  };
}
