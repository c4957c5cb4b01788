/**
 * The run's signal, update and query handlers (DESIGN.md section 5), wired to its `RunBook`:
 * `state`, `flowstate.settled`, `decide`, `approve`/`reject`, `pause`/`resume`, and any other name for the updates, views
 * and signals tasks wait for. Deterministic code only.
 */
import {
  log,
  patched,
  setDefaultQueryHandler,
  setDefaultSignalHandler,
  setDefaultUpdateHandler,
  setHandler,
} from '@temporalio/workflow';
import type { Json } from '../contract/directive';
import {
  approveSignal,
  decideUpdate,
  pauseSignal,
  rejectSignal,
  resumeSignal,
  settledQuery,
  stateQuery,
  taskOutputQuery,
  type DecisionInput,
  type GateSignal,
} from './api';
import { childGatesSignal } from './child-gates';
import { VERIFIED_DECIDERS_PATCH } from './deciders';
import type { RunBook } from './run-book';

/** Register the run's handlers; call it before the run's first `await`. */
export function installHandlers(book: RunBook): void {
  const { gates, mailbox, updates, status, children, deciders } = book;
  setHandler(stateQuery, () => {
    const state = status.state();
    return deciders.startedBy ? { ...state, started_by: { ...deciders.startedBy } } : state;
  });
  setHandler(taskOutputQuery, (path) => status.output(path));
  setHandler(settledQuery, () => book.reuse.all());
  // The validator has checked the decision's shape (gateToDecide): the handler takes it as it is.
  // A subflow child's gate (`review/legal`) is checked here and forwarded to the child. With a
  // token, who decides is known only once the worker verified it (deciders.ts): `by` is not checked.
  const decide = (d: DecisionInput) =>
    patched(VERIFIED_DECIDERS_PATCH) ? deciders.decide(d) : gates.decide(d);
  setHandler(decideUpdate, (d) => (children.find(d) ? children.forward(d) : decide(d)), {
    validator: (d) => {
      const unverified = !(d as Partial<DecisionInput> | undefined)?.token;
      void (children.find(d) ? children.check(d, unverified) : gates.check(d, unverified));
    },
  });
  const quietly = (decision: 'approve' | 'reject', s: GateSignal) => {
    const d = { ...(s ?? {}), decision } as DecisionInput;
    if (!children.find(d)) {
      if (patched(VERIFIED_DECIDERS_PATCH)) return void deciders.signal(decision, s);
      return gates.decideQuietly(decision, s);
    }
    try {
      children.check(d);
      void children.forward(d).catch(() => undefined);
    } catch (e) {
      log.warn(`ignored ${decision} signal: ${(e as Error).message}`);
    }
  };
  setHandler(childGatesSignal, (r) => {
    children.report(r);
    status.refresh();
  });
  setHandler(approveSignal, (s) => (mailbox.count(), quietly('approve', s)));
  setHandler(rejectSignal, (s) => (mailbox.count(), quietly('reject', s)));
  setHandler(pauseSignal, () => (mailbox.count(), mailbox.setPaused(true)));
  setHandler(resumeSignal, () => (mailbox.count(), mailbox.setPaused(false)));
  setDefaultUpdateHandler((name, payload) => updates.receive(name, (payload ?? null) as Json));
  setDefaultQueryHandler((name, ...args) => updates.view(name, args));
  setDefaultSignalHandler((name, payload) => mailbox.receive(name, (payload ?? null) as Json));
}
