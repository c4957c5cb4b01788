/** An agent's answer over the response limit is a non-retryable error naming the limit, not read whole. */
import { exchange } from '../../../src/agents/wire';
import { closeAll, loopback } from './loopback';

afterEach(closeAll);

const request = { skill: 'review', input: {}, task: 'review', idempotencyKey: 'k', workflowId: 'w' };

test('an answer over maxResponseBytes is an HttpResponseTooLarge error, not retried, not failed over', async () => {
  const agent = await loopback(() => ({ body: { output: 'x'.repeat(5_000) } }));
  const target = {
    name: 'big',
    url: agent.url,
    protocol: 'flowstate' as const,
    headers: {},
    timeoutMs: 5_000,
  };
  const result = await exchange(
    { ...target, maxResponseBytes: 1_000 },
    request,
    new AbortController().signal,
  );
  expect(result).toMatchObject({
    kind: 'error',
    type: 'HttpResponseTooLarge',
    retryable: false,
    status: 200,
  });
  expect((result as { message: string }).message).toContain('over the limit of 1000 bytes');
  expect((result as { message: string }).message).toContain('FLOWSTATE_HTTP_MAX_RESPONSE_BYTES');
  // Under the limit, the same answer is the output.
  expect(await exchange(target, request, new AbortController().signal)).toEqual({
    kind: 'output',
    output: 'x'.repeat(5_000),
  });
});
