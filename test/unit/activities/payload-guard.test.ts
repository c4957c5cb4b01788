/** The worker's size guard: directives and errors checked against Temporal's limits before they leave. */
import { ApplicationFailure } from '@temporalio/common';
import { ServiceError } from '@temporalio/client';
import {
  boundError,
  DIRECTIVE_LIMIT,
  ERROR_MESSAGE_LIMIT,
  guardDirective,
  PAYLOAD_LIMITS,
} from '../../../src/activities/payload-guard';
import { serverReason } from '../../../src/cli/exit-codes';
import { checkMessageSize, checkStartSize, PayloadTooLargeError } from '../../../src/client/payload-size';
import type { CompiledDefinition } from '../../../src/contract/compiled';

test('a directive within the limit leaves as it is; one over it is a non-retryable PayloadTooLarge', () => {
  const fits = { kind: 'done' as const, output: 'x'.repeat(DIRECTIVE_LIMIT - 100) };
  expect(guardDirective(fits, 'a')).toBe(fits);
  const over = { kind: 'done' as const, output: 'x'.repeat(PAYLOAD_LIMITS.payload) };
  expect(() => guardDirective(over, 'collect[3]/b')).toThrow(
    expect.objectContaining({
      type: 'PayloadTooLarge',
      nonRetryable: true,
      message: expect.stringMatching(
        /^the output of task 'collect\[3\]\/b' is 2,097,1\d\d bytes \(2\.1 MB\), over the limit of 2,031,616 bytes/,
      ),
    }),
  );
});

test('an error message past the cap is cut, keeping its type and retryability', () => {
  const small = ApplicationFailure.create({ type: 'T', message: 'short' });
  expect(boundError(small)).toBe(small);
  const big = boundError(
    ApplicationFailure.create({ type: 'T', message: 'é'.repeat(ERROR_MESSAGE_LIMIT), nonRetryable: true }),
  ) as ApplicationFailure;
  expect(big.type).toBe('T');
  expect(big.nonRetryable).toBe(true);
  expect(big.message).toMatch(/… \(32,768 bytes \(0\.0 MB\) message cut at 16,384 bytes\)$/);
  expect(Buffer.byteLength(big.message)).toBeLessThan(ERROR_MESSAGE_LIMIT + 100);
});

test('the client refuses a start or a signal over the limit, naming the larger part', () => {
  const definition = {
    id: 'd',
    version: '1.0.0',
    source: 'd.yaml',
    tasks: [],
  } as unknown as CompiledDefinition;
  expect(() => checkStartSize(definition, { a: 1 })).not.toThrow();
  expect(() => checkStartSize(definition, 'x'.repeat(3_000_000))).toThrow(PayloadTooLargeError);
  expect(() => checkStartSize(definition, 'x'.repeat(3_000_000))).toThrow(/its input: 3,000,002 bytes/);
  expect(() => checkMessageSize('signal', 'go', 'x'.repeat(2_100_000))).toThrow(
    /^the payload of signal 'go' is 2,100,002 bytes .*; not sent$/,
  );
});

test("the CLI's line for a server error carries the server's reason", () => {
  const cause = Object.assign(new Error('3 INVALID_ARGUMENT: Blob data size exceeds limit.'), {
    details: 'Blob data size exceeds limit.',
  });
  expect(serverReason(new ServiceError('Failed to start Workflow', { cause }))).toBe(
    'Failed to start Workflow: Blob data size exceeds limit.',
  );
  expect(serverReason(new ServiceError('Failed to query Workflow'))).toBe('Failed to query Workflow');
});
