import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool } from '../tools';
import {
  MAX_RESPONSE_BYTES_ENV,
  ResponseTooLarge,
  formatBytes,
  maxResponseBytesFromEnv,
  readBodyBounded,
} from './bounded-body';

export const HttpInput = z.object({
  url: z.string().url(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  /** Most bytes of response body read; past it the task fails with `HttpResponseTooLarge`. */
  max_response_bytes: z.number().int().positive().optional(),
});

/**
 * Response headers left out of the output (docs/tools.md, "http"): hop-by-hop headers (RFC 9110
 * 7.6.1), which describe one connection; `content-length` and `content-encoding`, which describe the
 * bytes on the wire before fetch decoded them (kept for HEAD, whose content-length is the answer);
 * `date`, the server's clock when it sent, which differs on every call and is in history already as
 * the event's time; `alt-svc`, where to connect next time.
 */
export const DROPPED_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'content-length',
  'content-encoding',
  'date',
  'alt-svc',
]);

/** The response headers an `http` task returns: all but DROPPED_RESPONSE_HEADERS. */
export function keptHeaders(headers: Headers, method: string): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of headers.entries()) {
    if (!DROPPED_RESPONSE_HEADERS.has(name) || (method === 'HEAD' && name === 'content-length'))
      kept[name] = value;
  }
  return kept;
}

/** The worker's limit, read once (an invalid FLOWSTATE_HTTP_MAX_RESPONSE_BYTES fails each http task). */
let workerLimit: number | undefined;
function defaultLimit(): number {
  try {
    return (workerLimit ??= maxResponseBytesFromEnv());
  } catch (e) {
    throw ApplicationFailure.create({
      type: 'WorkerConfigInvalid',
      message: `${(e as Error).message}; fix the worker's environment and restart it`,
      nonRetryable: true,
    });
  }
}

/**
 * `http`: one request with fetch. Returns `{ status, headers, body }` (body parsed as JSON when the
 * response says so; headers without the transport ones of DROPPED_RESPONSE_HEADERS). A non-2xx
 * status is an `HttpError` (5xx and 429 retryable, other 4xx not); a body over the limit
 * (`max_response_bytes`, else FLOWSTATE_HTTP_MAX_RESPONSE_BYTES, else 1 MiB) an `HttpResponseTooLarge`
 * (not retryable).
 */
export const httpTool = defineTool({
  name: 'http',
  description: 'One HTTP request; returns { status, headers, body }. Non-2xx is an HttpError.',
  input: HttpInput,
  async run(input, call) {
    const headers: Record<string, string> = { 'idempotency-key': call.run.idempotencyKey, ...input.headers };
    let body: string | undefined;
    if (input.body !== undefined && input.method !== 'GET' && input.method !== 'HEAD') {
      body = typeof input.body === 'string' ? input.body : JSON.stringify(input.body);
      if (typeof input.body !== 'string') headers['content-type'] ??= 'application/json';
    }
    let res: Response;
    try {
      res = await fetch(input.url, { method: input.method, headers, body, signal: call.run.cancelled });
    } catch (e) {
      // A cancelled task (e.g. a fail_fast sibling failed) is a cancellation, not a connection error.
      if (call.run.cancelled.aborted) throw call.run.cancelled.reason ?? e;
      throw ApplicationFailure.create({
        type: 'HttpConnectionError',
        message: `${input.method} ${input.url} failed: ${(e as Error).cause ?? (e as Error).message}`,
      });
    }
    const limit = input.max_response_bytes ?? defaultLimit();
    let text: string;
    try {
      text = await readBodyBounded(res, limit);
    } catch (e) {
      if (call.run.cancelled.aborted) throw call.run.cancelled.reason ?? e;
      if (!(e instanceof ResponseTooLarge)) throw e;
      throw ApplicationFailure.create({
        type: 'HttpResponseTooLarge',
        message: `${input.method} ${input.url} answered ${res.status}: ${e.message}; raise the limit with the task's \`max_response_bytes\` (in \`http:\` or \`with\` of \`tool: http\`) or the worker's ${MAX_RESPONSE_BYTES_ENV}, or have the endpoint return less (a page, or a reference to the data)`,
        nonRetryable: true,
        details: [{ status: res.status, limit, received: e.received, limitText: formatBytes(limit) }],
      });
    }
    const type = res.headers.get('content-type') ?? '';
    let parsed: unknown = text;
    if (type.includes('json') && text !== '') {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    if (!res.ok) {
      throw ApplicationFailure.create({
        type: 'HttpError',
        message: `${input.method} ${input.url} answered ${res.status} ${res.statusText}: ${text.slice(0, 500)}`,
        nonRetryable: res.status < 500 && res.status !== 429,
        details: [{ status: res.status, body: parsed }],
      });
    }
    return { status: res.status, headers: keptHeaders(res.headers, input.method), body: parsed };
  },
});
