/**
 * The secret values this process knows, for the redaction of what leaves it without a run to ask:
 * log lines (`src/logging.ts`) and lifecycle events (`src/events/bus.ts`). A worker registers the
 * values it resolved from its environment when it is created.
 */
import { Redactor } from './redact';

let known = new Set<string>();
let redactor = new Redactor([]);

/** Add values to redact from every log line and event of this process. */
export function registerSecretValues(values: Iterable<string>): void {
  const next = new Set([...known, ...values]);
  if (next.size === known.size) return;
  known = next;
  redactor = new Redactor(known);
}

/** The redactor of every value registered so far. */
export function processRedactor(): Redactor {
  return redactor;
}
