/**
 * The run's signal, update and query handlers (DESIGN.md section 5), wired to its `RunBook`:
 * `state`, `flowstate.settled`, `decide`, `approve`/`reject`, `pause`/`resume`, and any other name for the updates, views
 * and signals tasks wait for. Deterministic code only.
 */
import {
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
} from './api';
import type { RunBook } from './run-book';

/** Register the run's handlers; call it before the run's first `await`. */
export function installHandlers(book: RunBook): void {
  const { gates, mailbox, updates, status } = book;
  setHandler(stateQuery, () => status.state());
  setHandler(taskOutputQuery, (path) => status.output(path));
  setHandler(settledQuery, () => book.reuse.all());
  // The validator has checked the decision's shape (gateToDecide): the handler takes it as it is.
  setHandler(decideUpdate, (d) => gates.decide(d), {
    validator: (d) => void gates.check(d),
  });
  setHandler(approveSignal, (s) => (mailbox.count(), gates.decideQuietly('approve', s)));
  setHandler(rejectSignal, (s) => (mailbox.count(), gates.decideQuietly('reject', s)));
  setHandler(pauseSignal, () => (mailbox.count(), mailbox.setPaused(true)));
  setHandler(resumeSignal, () => (mailbox.count(), mailbox.setPaused(false)));
  setDefaultUpdateHandler((name, payload) => updates.receive(name, (payload ?? null) as Json));
  setDefaultQueryHandler((name, ...args) => updates.view(name, args));
  setDefaultSignalHandler((name, payload) => mailbox.receive(name, (payload ?? null) as Json));
}
