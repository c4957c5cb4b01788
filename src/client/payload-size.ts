/**
 * A run's start refused before it reaches the server when its workflow input (the compiled
 * definition and the run's input, one payload) is over Temporal's payload limit: the server would
 * only say "Failed to start Workflow".
 */
import type { CompiledDefinition } from '../contract/compiled';
import { DIRECTIVE_LIMIT, jsonBytes, sizeText, tooLargeMessage } from '../activities/payload-guard';

/** A start, signal or update whose payload is over Temporal's limit; the message names size and limit. */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
  readonly type = 'PayloadTooLarge';
}

/** Throws `PayloadTooLargeError` naming the larger part when definition and input weigh too much. */
export function checkStartSize(definition: CompiledDefinition, input: unknown): void {
  const definitionBytes = jsonBytes(definition);
  const inputBytes = jsonBytes(input);
  const total = definitionBytes + inputBytes;
  if (total <= DIRECTIVE_LIMIT) return;
  const name = `${definition.id}@${definition.version}`;
  const part =
    inputBytes >= definitionBytes
      ? `input: ${sizeText(inputBytes)}`
      : `compiled definition${definition.source ? ` from ${definition.source}` : ''}: ${sizeText(definitionBytes)}`;
  throw new PayloadTooLargeError(
    `${tooLargeMessage(`the start of a run of ${name} (its ${part})`, total, DIRECTIVE_LIMIT)}; not started`,
  );
}

/** Throws `PayloadTooLargeError` when a signal's or an update's payload is over the limit. */
export function checkMessageSize(kind: 'signal' | 'update', name: string, payload: unknown): void {
  const bytes = jsonBytes(payload ?? null);
  if (bytes <= DIRECTIVE_LIMIT) return;
  throw new PayloadTooLargeError(
    `${tooLargeMessage(`the payload of ${kind} '${name}'`, bytes, DIRECTIVE_LIMIT)}; not sent`,
  );
}
