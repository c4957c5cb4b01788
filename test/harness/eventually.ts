import { pollUntil } from '../../src/testkit/poll';

/**
 * Poll `read` until `ok` holds (a run reached a state, a file got a line...); fails naming the last
 * value. The tests' short form of the kit's `pollUntil`.
 */
export function eventually<T>(
  read: () => Promise<T> | T,
  ok: (value: T) => boolean,
  timeoutMs = 30_000,
): Promise<T> {
  return pollUntil(read, { until: ok, timeoutMs });
}
