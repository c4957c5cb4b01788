/**
 * Temporal's size limits, checked before a directive or an error leaves the worker. Past them the
 * server refuses the payload, and a workflow task that carries it (a local activity's result is
 * recorded by the workflow task) fails and is retried for ever: the run stays `running`. Here the task
 * fails at once instead, with a non-retryable `PayloadTooLarge` naming the size and the limit.
 */
import { ApplicationFailure } from '@temporalio/common';
import type { Directive } from '../contract/directive';
import { taskLogger } from '../logging';

/** Temporal's limits (the server's defaults), and where Flowstate starts warning. */
export const PAYLOAD_LIMITS = {
  /** One payload (an activity result, a workflow input, a signal): `BlobSizeLimitError`, 2 MiB. */
  payload: 2 * 1024 * 1024,
  /** One gRPC message (a workflow task's completion, a query's answer): 4 MiB. */
  message: 4 * 1024 * 1024,
  /** Past this, a log line warns: the data is on its way to the limit and slows every replay. */
  warn: 256 * 1024,
} as const;

/** Room left under the payload limit for the data converter's envelope (encoding, encryption). */
const ENVELOPE = 64 * 1024;

/** The most a directive may weigh, as JSON, to leave the worker. */
export const DIRECTIVE_LIMIT = PAYLOAD_LIMITS.payload - ENVELOPE;

/** An error's message is cut past this many bytes (the rest is rarely read and weighs on history). */
export const ERROR_MESSAGE_LIMIT = 16 * 1024;

/** Bytes of `value` as JSON (how the default data converter encodes it). */
export function jsonBytes(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

/** `1,234,567 bytes (1.2 MB)`. */
export function sizeText(bytes: number): string {
  return `${bytes.toLocaleString('en-US')} bytes (${(bytes / 1_000_000).toFixed(1)} MB)`;
}

/**
 * The message of every refusal over a limit: what, where, how big, the limit, and what to do.
 * `what` is e.g. `the output of task 'report'` or `the input of hello@1.0.0`.
 */
export function tooLargeMessage(what: string, bytes: number, limit: number): string {
  return (
    `${what} is ${sizeText(bytes)}, over the limit of ${sizeText(limit)} (Temporal refuses a payload over 2 MiB): ` +
    'keep large data elsewhere (a file, a bucket, a database) and pass a reference to it (a URL, a key)'
  );
}

/**
 * The directive, when it fits; otherwise throws a non-retryable `PayloadTooLarge` naming the task,
 * the size and the limit. Past `PAYLOAD_LIMITS.warn` it logs a warning.
 */
export function guardDirective(directive: Directive, path: string, workflowId?: string): Directive {
  const bytes = jsonBytes(directive);
  const what = directive.kind === 'done' ? 'output' : `'${directive.kind}' directive`;
  if (bytes > DIRECTIVE_LIMIT) {
    throw ApplicationFailure.create({
      type: 'PayloadTooLarge',
      message: tooLargeMessage(`the ${what} of task '${path}'`, bytes, DIRECTIVE_LIMIT),
      nonRetryable: true,
      details: [{ task: path, bytes, limit: DIRECTIVE_LIMIT }],
    });
  }
  if (bytes > PAYLOAD_LIMITS.warn) {
    taskLogger(workflowId ?? 'standalone', path).warn(
      { bytes, limit: DIRECTIVE_LIMIT },
      `the ${what} of task '${path}' is ${sizeText(bytes)}, over the warning size of ${sizeText(PAYLOAD_LIMITS.warn)} (the task fails past ${sizeText(DIRECTIVE_LIMIT)}): keep large data elsewhere and pass a reference`,
    );
  }
  return directive;
}

/**
 * An error as it may leave the worker: a message past `ERROR_MESSAGE_LIMIT` bytes is cut (saying how
 * much), and its details and cause are dropped when they would weigh past the limit too.
 */
export function boundError(e: unknown): unknown {
  if (!(e instanceof ApplicationFailure)) return e;
  const bytes = Buffer.byteLength(e.message, 'utf8');
  const heavyDetails = jsonBytes(e.details ?? null) > ERROR_MESSAGE_LIMIT;
  const heavyCause =
    e.cause !== undefined && Buffer.byteLength(e.cause.message ?? '', 'utf8') > ERROR_MESSAGE_LIMIT;
  if (bytes <= ERROR_MESSAGE_LIMIT && !heavyDetails && !heavyCause) return e;
  const message =
    bytes <= ERROR_MESSAGE_LIMIT
      ? e.message
      : `${Buffer.from(e.message, 'utf8').subarray(0, ERROR_MESSAGE_LIMIT).toString('utf8')}… (${sizeText(bytes)} message cut at ${ERROR_MESSAGE_LIMIT.toLocaleString('en-US')} bytes)`;
  return ApplicationFailure.create({
    type: e.type ?? 'Error',
    message,
    nonRetryable: e.nonRetryable ?? undefined,
    ...(heavyDetails ? {} : { details: e.details ?? undefined }),
  });
}
