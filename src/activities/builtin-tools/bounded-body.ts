/**
 * Reading an HTTP response body with a byte limit, for the `http` tool and agent calls (DESIGN.md
 * section 4: no endpoint can exhaust a worker). A body past the limit is never held: the read stops
 * at the first chunk over it and the connection is cancelled, so an endpoint that streams for ever
 * fails in the time it takes to send the limit, with memory bounded by it. Imports nothing of the project
 * but src/env.ts (itself a leaf).
 */
import { envWholeNumber } from '../../env';

/** The default limit: 1 MiB, well under Temporal's 2 MB payload limit (an output also carries headers). */
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

/** The worker's environment variable that changes the default limit (a positive number of bytes). */
export const MAX_RESPONSE_BYTES_ENV = 'FLOWSTATE_HTTP_MAX_RESPONSE_BYTES';

/** Why a body was not read: it is (or announced it would be) longer than the limit. */
export class ResponseTooLarge extends Error {
  override readonly name = 'ResponseTooLarge';
  constructor(
    /** The limit in bytes. */
    readonly limit: number,
    /** Bytes received (or announced by content-length) when the read stopped: more than the limit. */
    readonly received: number,
    /** True when the server's content-length said so before any byte was read. */
    readonly announced: boolean,
  ) {
    super(
      `the response body is ${announced ? '' : 'at least '}${received} bytes, over the limit of ${formatBytes(limit)}`,
    );
  }
}

/** `1048576` → `1 MiB (1048576 bytes)`; other sizes in bytes. */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / 1024 / 1024} MiB (${n} bytes)`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB (${n} bytes)`;
  return `${n} bytes`;
}

/**
 * The limit from the environment: `FLOWSTATE_HTTP_MAX_RESPONSE_BYTES` when set (a positive integer,
 * or an error naming the variable), else 1 MiB.
 */
export function maxResponseBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const range = { min: 1, max: Number.MAX_SAFE_INTEGER, takes: 'a positive number of bytes' };
  return envWholeNumber(env, MAX_RESPONSE_BYTES_ENV, range) ?? DEFAULT_MAX_RESPONSE_BYTES;
}

/**
 * The body of `res` as UTF-8 text, read up to `limit` bytes. Throws `ResponseTooLarge` (after
 * cancelling the body, which closes the connection) when content-length says more than the limit or
 * when more than the limit arrives.
 */
export async function readBodyBounded(res: Response, limit: number): Promise<string> {
  const announced = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(announced) && announced > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw new ResponseTooLarge(limit, announced, true);
  }
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    received += value.byteLength;
    if (received > limit) {
      await reader.cancel().catch(() => undefined);
      throw new ResponseTooLarge(limit, received, false);
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
}
