/** pollUntil: the one polling helper (the kit's driver, the tests' `eventually`, the scripts). */
import { pollUntil, PollTimeoutError } from '../../../src/testkit/poll';

/** A read that answers `values` in turn (the last one repeats), counting its calls. */
function reads<T>(...values: T[]) {
  let n = 0;
  const read = () => values[Math.min(n++, values.length - 1)];
  return Object.assign(read, { calls: () => n });
}

test('returns the first value that is not undefined, reading again every interval', async () => {
  const read = reads<string | undefined>(undefined, undefined, 'there');
  const started = Date.now();
  await expect(pollUntil(read, { intervalMs: 20 })).resolves.toBe('there');
  expect(read.calls()).toBe(3);
  expect(Date.now() - started).toBeGreaterThanOrEqual(35);
});

test('with until: the first value it holds for, async reads included', async () => {
  const read = reads(1, 2, 3, 4);
  await expect(pollUntil(async () => read(), { until: (n) => n >= 3, intervalMs: 1 })).resolves.toBe(3);
});

test('gives up after timeoutMs with an error naming what was awaited and the last value', async () => {
  const read = reads({ status: 'running', gates: [] });
  const error = await pollUntil(read, {
    until: (s) => s.gates.length > 0,
    timeoutMs: 60,
    intervalMs: 10,
    what: "gate 'draft' pending",
  }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(PollTimeoutError);
  expect((error as PollTimeoutError).message).toBe(
    `gate 'draft' pending: not reached within 60 ms; last value: {"status":"running","gates":[]}`,
  );
  expect((error as PollTimeoutError).last).toEqual({ status: 'running', gates: [] });
  expect(read.calls()).toBeGreaterThanOrEqual(3);
});

test('reads once even with no time at all; the last read is at the deadline', async () => {
  const read = reads<number | undefined>(undefined);
  await expect(pollUntil(read, { timeoutMs: 0 })).rejects.toThrow(
    'the awaited condition: not reached within 0 ms; last value: undefined',
  );
  expect(read.calls()).toBe(1);
});

test('an error thrown by the read is not retried', async () => {
  let n = 0;
  const read = () => {
    n++;
    throw new Error('no such run');
  };
  await expect(pollUntil(read, { intervalMs: 1 })).rejects.toThrow('no such run');
  expect(n).toBe(1);
});

test('wake: reads again at once when it settles, then waits the interval again', async () => {
  let wake!: () => void;
  const woken = new Promise<void>((r) => (wake = r));
  const read = reads<string | undefined>(undefined, undefined, undefined, 'done');
  const started = Date.now();
  const polled = pollUntil(read, { intervalMs: 300, wake: woken });
  setTimeout(wake, 20);
  // Woken at 20 ms: the second read; the third waits a whole interval.
  await new Promise((r) => setTimeout(r, 100));
  expect(read.calls()).toBe(2);
  await expect(polled).resolves.toBe('done');
  expect(Date.now() - started).toBeGreaterThanOrEqual(600);
});
