/**
 * Verified deciders (DESIGN.md section 5): who takes a decision, asked of the worker. A decision (the
 * `decide` update, the `approve`/`reject` signals) calls the `verifyDecider` local activity with its
 * token; the answer is recorded in history, so replay is deterministic and no key enters it. With a
 * verifier, only a valid token counts and the decider is its subject (and groups); without one, `by`
 * is taken as said (`verified: false`). The run's starter, when a token at start named them, may
 * not decide a gate with `allow_self_review: false`. Deterministic code only.
 */
import { ApplicationFailure, log, proxyLocalActivities } from '@temporalio/workflow';
import type { DeciderActivities, DeciderIdentity } from '../contract/activities';
import type { DecisionInput, GateSignal, GateView, StartedBy } from './api';
import type { EventStream } from './events';
import { refusal, type Decider, type Gate, type Gates } from './gates';

/** The patch that moved decisions behind the verifier (a local activity per decision). */
export const VERIFIED_DECIDERS_PATCH = 'verified-deciders';

// Short and never retried: a refusal is an answer, not a failure, and approve→next stays fast.
const { verifyDecider } = proxyLocalActivities<DeciderActivities>({
  startToCloseTimeout: '10s',
  retry: { maximumAttempts: 1 },
});

/** The run's deciders: verification of decisions and of the starter. */
export class Deciders {
  /** Who started the run, when the start carried a token the worker verified. */
  startedBy?: StartedBy;

  constructor(
    private readonly gates: Gates,
    private readonly events: EventStream,
  ) {}

  /** The `decide` update: verify, then re-check the gate (a concurrent decision may have won) and decide. */
  async decide(d: DecisionInput): Promise<GateView> {
    const identity = await verifyDecider(d.token ? { token: d.token } : {});
    const gate = this.gates.check(d, false);
    return this.gates.decide(d, deciderOf(d, identity, gate, this.startedBy));
  }

  /** An `approve`/`reject` signal: like `decide`, but a refusal changes nothing and is a `gate.refused` event. */
  async signal(decision: 'approve' | 'reject', s: GateSignal): Promise<void> {
    const d = { ...(s ?? {}), decision } as DecisionInput;
    try {
      // What can be refused without asking the worker is (no local activity for it).
      this.gates.check(d, !d.token);
      await this.decide(d);
    } catch (e) {
      const type = e instanceof ApplicationFailure ? (e.type ?? 'Error') : 'Error';
      const reason = (e as Error)?.message ?? String(e);
      const gate = typeof d.gate === 'string' ? d.gate : undefined;
      const by = typeof d.by === 'string' ? d.by : undefined;
      this.events.emit('gate.refused', gate, { decision, type, reason, ...(by ? { by } : {}) });
      log.warn(`refused ${decision} signal: [${type}] ${reason}`);
    }
  }

  /**
   * The starter's token, verified at start (only runs started with one call this): a refused token
   * fails the run with `Unauthenticated`; without a verifier the starter stays unknown.
   */
  async verifyStarter(token: string): Promise<void> {
    const identity = await verifyDecider({ token });
    if (identity.refused) {
      throw refusal(identity.refused.type, `the starter's token was refused: ${identity.refused.message}`);
    }
    if (identity.verified && identity.subject) {
      this.startedBy = {
        subject: identity.subject,
        verified: true,
        ...(identity.issuer ? { issuer: identity.issuer } : {}),
      };
    }
  }
}

/**
 * Who decides `d` on `gate`, given what the worker said of the token; throws `Unauthenticated`,
 * `NotAnAcceptor` or `SelfReview` when the decision may not count.
 */
export function deciderOf(
  d: DecisionInput,
  identity: DeciderIdentity,
  gate: Pick<Gate, 'gate' | 'acceptors' | 'allow_self_review'>,
  startedBy?: StartedBy,
): Decider {
  if (identity.refused) throw refusal(identity.refused.type, identity.refused.message);
  const verified = identity.verified && identity.subject !== undefined;
  const name = verified ? identity.subject! : d.by;
  const groups = verified ? (identity.groups ?? []) : [];
  if (!mayDecide(gate.acceptors, name, groups)) {
    const as = verified
      ? `the token's subject '${name}'${groups.length ? ` (groups: ${groups.join(', ')})` : ''}`
      : `'${name}'`;
    throw refusal(
      'NotAnAcceptor',
      `${as} may not decide gate '${gate.gate}': acceptors are ${gate.acceptors.join(', ')}`,
    );
  }
  if (gate.allow_self_review === false && startedBy && startedBy.subject === name) {
    throw refusal(
      'SelfReview',
      `'${name}' started this run and may not decide gate '${gate.gate}' (allow_self_review: false): another acceptor must`,
    );
  }
  return { name, verified, ...(verified && identity.issuer ? { issuer: identity.issuer } : {}) };
}

/** True when `name` (with `groups`) is among `acceptors` (`group:<name>` for a group); none: anyone. */
export function mayDecide(acceptors: readonly string[], name: string, groups: readonly string[]): boolean {
  if (acceptors.length === 0) return true;
  return acceptors.some((a) => a === name || (a.startsWith('group:') && groups.includes(a.slice(6))));
}
