/** Stubs: fixed outputs (templates over the call's input), errors, sequences, matches by input, delays. */
import { ApplicationFailure } from '@temporalio/common';
import { answer, resultFor, StubRouter } from '../../../src/testkit/stubs';
import type { StubSpec } from '../../../src/testkit/cases';

const call = (attempt = 1, cancelled = new AbortController().signal) => ({
  taskPath: 'probe[0]/check',
  run: { workflowId: 'w', runId: 'r', attempt, idempotencyKey: 'k', heartbeat: () => undefined, cancelled },
});

test('an output renders {{ }} over the input and the call', async () => {
  const stub: StubSpec = {
    output: { words: "{{ $count($split(input.text, ' ')) }}", path: '{{ call.path }}', n: '{{ call.n }}' },
  };
  expect(await answer(stub, 0, { text: 'a b c' }, call())).toEqual({
    words: 3,
    path: 'probe[0]/check',
    n: 1,
  });
});

test('an error is a typed ApplicationFailure, retryable unless said', async () => {
  const e = await answer(
    { error: { type: 'Down', message: 'db down', non_retryable: false } },
    0,
    {},
    call(),
  ).catch((x) => x);
  expect(e).toBeInstanceOf(ApplicationFailure);
  expect(e).toMatchObject({ type: 'Down', message: 'db down', nonRetryable: false });
  const f = await answer({ error: { type: 'Declined', non_retryable: true } }, 0, {}, call()).catch((x) => x);
  expect(f).toMatchObject({ type: 'Declined', message: 'stubbed Declined', nonRetryable: true });
});

test('a sequence gives one result per call, its last one repeating', async () => {
  const stub: StubSpec = {
    sequence: [{ output: 1 }, { error: { type: 'X', non_retryable: false } }, { output: 3 }],
  };
  expect(await Promise.all([0, 1, 2, 5].map((n) => resultFor(stub, n)))).toEqual([
    { output: 1 },
    { error: { type: 'X', non_retryable: false } },
    { output: 3 },
    { output: 3 },
  ]);
});

test("match answers by input (first match wins), else the stub's own result", async () => {
  const stub: StubSpec = {
    match: [
      { when: "input.kind = 'style'", output: 'style!' },
      { when: 'input.n > 1', output: 'big' },
    ],
    output: 'default',
  };
  expect(await answer(stub, 0, { kind: 'style', n: 5 }, call())).toBe('style!');
  expect(await answer(stub, 0, { kind: 'deps', n: 5 }, call())).toBe('big');
  expect(await answer(stub, 0, { kind: 'deps', n: 0 }, call())).toBe('default');
});

test('a delay is scaled by time_scale, and cancellation cuts it short', async () => {
  const t = Date.now();
  await answer({ output: 1, delay: '10s' }, 0, {}, call(), 0.001);
  expect(Date.now() - t).toBeLessThan(1_000);
  const controller = new AbortController();
  const pending = answer({ output: 1, delay: '1h' }, 0, {}, call(1, controller.signal));
  controller.abort(new Error('cancelled'));
  await expect(pending).rejects.toThrow('cancelled');
});

test("the router sends each run's calls to its case, logs them, and falls back to real tools", async () => {
  const router = new StubRouter();
  const binding = { label: 'c', tools: { scan: { output: 'stubbed' } }, agents: {}, calls: [], events: [] };
  router.bind('case-1', binding);
  const tools = new Map(router.tools(['scan', 'never-registered']).map((t) => [t.name, t]));
  const inRun = (workflowId: string) => ({ taskPath: 'a', run: { ...call().run, workflowId } });
  expect(await tools.get('scan')!.run({}, inRun('case-1'))).toBe('stubbed');
  // A batch child workflow of the run belongs to the same case; built-in echo is real.
  expect(await tools.get('echo')!.run({ v: 1 }, inRun('case-1/each#0'))).toEqual({ v: 1 });
  await expect(tools.get('never-registered')!.run({}, inRun('case-1'))).rejects.toMatchObject({
    type: 'ToolNotStubbed',
  });
  expect(binding.calls.map((c: { name: string; stubbed: boolean }) => [c.name, c.stubbed])).toEqual([
    ['scan', true],
    ['echo', false],
    ['never-registered', false],
  ]);
  await expect(router.agents().call('plan', {}, inRun('case-1'))).rejects.toMatchObject({
    type: 'AgentNotStubbed',
    message: expect.stringContaining("agent skill 'plan' (task a) has no stub in case 'c'"),
  });
});
