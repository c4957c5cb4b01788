/**
 * The one polling helper of the repository: the kit's interaction driver, the test harness's
 * `eventually` and the scripts wait for a run (or a file, a server...) to reach a state with it.
 */

export interface PollOptions<T> {
  /** Done when this holds for the value read; default: the value is not `undefined`. */
  until?: (value: T) => boolean;
  /** Give up after this long (ms; at least one read is made); default 30 s. */
  timeoutMs?: number;
  /** Time between two reads (ms); default 100. */
  intervalMs?: number;
  /** What is awaited, for the timeout's message: `gate 'draft' pending`. */
  what?: string;
  /** Read again at once when this settles (e.g. the run ended), instead of at the next interval. */
  wake?: Promise<unknown>;
}

/** `pollUntil` gave up: the message names what was awaited and the last value read. */
export class PollTimeoutError<T = unknown> extends Error {
  override readonly name = 'PollTimeoutError';
  constructor(
    readonly what: string,
    readonly timeoutMs: number,
    readonly last: T,
  ) {
    super(`${what}: not reached within ${timeoutMs} ms; last value: ${preview(last)}`);
  }
}

/**
 * Read `read()` until `until` holds for its value (by default: until it is not `undefined`), and
 * return that value; throws a `PollTimeoutError` after `timeoutMs`. An error thrown by `read` is not
 * retried: catch it in `read` when it may pass.
 */
/** Read until `until` holds (or a defined value comes), every `intervalMs`, failing after `timeoutMs` naming `what`. */
export function pollUntil<T>(
  read: () => T | Promise<T>,
  options: PollOptions<T> & Required<Pick<PollOptions<T>, 'until'>>,
): Promise<T>;
export function pollUntil<T>(
  read: () => T | undefined | Promise<T | undefined>,
  options?: Omit<PollOptions<T>, 'until'>,
): Promise<T>;
export async function pollUntil<T>(read: () => T | Promise<T>, options: PollOptions<T> = {}): Promise<T> {
  const { until = (value: T) => value !== undefined, timeoutMs = 30_000, intervalMs = 100 } = options;
  const deadline = Date.now() + timeoutMs;
  let woken = false;
  const wake = options.wake?.then(
    () => (woken = true),
    () => (woken = true),
  );
  for (;;) {
    const value = await read();
    if (until(value)) return value;
    if (Date.now() >= deadline)
      throw new PollTimeoutError(options.what ?? 'the awaited condition', timeoutMs, value);
    // Once `wake` has settled it no longer shortens the wait: a read that is still not done waits.
    await pause(Math.min(intervalMs, Math.max(0, deadline - Date.now())), woken ? undefined : wake);
  }
}

function pause(ms: number, wake: Promise<unknown> | undefined): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const slept = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)));
  if (!wake) return slept;
  return Promise.race([slept, wake.then(() => undefined)]).finally(() => clearTimeout(timer));
}

function preview(value: unknown): string {
  if (value instanceof Error) return `${value.name}: ${value.message}`;
  return (JSON.stringify(value) ?? String(value)).slice(0, 500);
}
