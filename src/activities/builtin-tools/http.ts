import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool } from '../tools';

export const HttpInput = z.object({
  url: z.string().url(),
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD']).default('GET'),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});

/**
 * `http`: one request with fetch. Returns `{ status, headers, body }` (body parsed as JSON when the
 * response says so). A non-2xx status is an `HttpError` (5xx and 429 retryable, other 4xx not).
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
    const text = await res.text();
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
    return { status: res.status, headers: Object.fromEntries(res.headers.entries()), body: parsed };
  },
});
