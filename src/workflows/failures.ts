/**
 * How a task fails: `TaskFailed` travels up the walk until an `on_error` handles it, and leaves the
 * run as a typed failure. Deterministic code only.
 */
import { ApplicationFailure } from '@temporalio/workflow';
import type { TaskError } from '../contract/directive';

/** A task failed: carried up the walk until an `on_error` handles it or the run fails. */
export class TaskFailed extends Error {
  constructor(
    readonly error: TaskError,
    /** Where the failure is handled instead of the task's `on_error` (a `fail` directive's `next`). */
    readonly next?: string,
  ) {
    super(`${error.task}: ${error.message}`);
  }
}

/** A task failure leaves the run as a typed, non-retryable failure naming the task path. */
export function asFailure(e: unknown): unknown {
  if (!(e instanceof TaskFailed)) return e;
  return ApplicationFailure.create({
    type: e.error.type,
    message: e.message,
    nonRetryable: true,
    details: [e.error],
  });
}

/**
 * The `default` of a switch that handles every case: a compile error when a case is missing (the
 * value is not `never`); at run time, when one came anyway (e.g. from a newer worker), throws
 * `failure(value)`.
 */
export function assertNever(value: never, failure: (value: unknown) => Error): never {
  throw failure(value);
}
