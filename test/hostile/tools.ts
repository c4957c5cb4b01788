/** Tools for the hostile suite: outputs and errors as large as a test asks. */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';

/** `blob`: a string of `bytes` `x`s. */
export const blob = defineTool({
  name: 'blob',
  input: z.object({ bytes: z.number().int().nonnegative() }),
  run: ({ bytes }) => 'x'.repeat(bytes),
});

/** `loud-failure`: fails (non-retryable) with a message of `bytes` bytes. */
export const loudFailure = defineTool({
  name: 'loud-failure',
  input: z.object({ bytes: z.number().int().nonnegative() }),
  run: ({ bytes }) => {
    throw ApplicationFailure.create({ type: 'Loud', message: 'y'.repeat(bytes), nonRetryable: true });
  },
});

/** The pid of the worker process (the tests' worker runs in the Jest process). */
export const pid = defineTool({
  name: 'pid',
  input: z.unknown(),
  run: () => process.pid,
});
