/** wait: waits for a signal whose payload matches `condition`; output: the payload. */
import { wait } from '../../../src/orchestrators/wait';
import { expectKind, taskContext } from './context';

const waitTask = (extra = '') => `
- id: approval
  type: wait
  wait_for: approved
  ${extra}
- { id: escalate, tool: echo }
`;

const ctxFor = (extra = '', scope = {}) => taskContext(waitTask(extra), 'approval', scope);

describe('wait: start', () => {
  it('await_signal for wait_for, forever when there is no timeout', async () => {
    expect(await wait.start(ctxFor())).toEqual({ kind: 'await_signal', signal: 'approved' });
  });

  it.each([
    ['250ms', 250],
    ['30s', 30_000],
    ['5m', 300_000],
    ['2h', 7_200_000],
    ['7d', 604_800_000],
    ['1.5s', 1_500],
  ])('timeout %s → timeoutMs %i; on_timeout omitted: fail (no onTimeout)', async (timeout, ms) => {
    const d = expectKind(await wait.start(ctxFor(`timeout: ${timeout}`)), 'await_signal');
    expect(d.timeoutMs).toBe(ms);
    expect(d.onTimeout).toBeUndefined();
  });

  it('on_timeout: a task id → onTimeout', async () => {
    const d = await wait.start(ctxFor('timeout: 1h\n  on_timeout: escalate'));
    expect(d).toEqual({
      kind: 'await_signal',
      signal: 'approved',
      timeoutMs: 3_600_000,
      onTimeout: 'escalate',
    });
  });

  it("on_timeout: 'fail' → no onTimeout (the interpreter fails the task)", async () => {
    const d = await wait.start(ctxFor('timeout: 1h\n  on_timeout: fail'));
    expect(d).toEqual({ kind: 'await_signal', signal: 'approved', timeoutMs: 3_600_000 });
  });
});

describe('wait: respond', () => {
  it('no condition: the first payload is the output', async () => {
    const d = await wait.respond!(ctxFor(), { kind: 'signal', payload: { by: 'ada' } });
    expect(d).toEqual({ kind: 'done', output: { by: 'ada' } });
  });

  it('a payload matching the condition (as `signal`, with the scope): done(payload)', async () => {
    const ctx = ctxFor('condition: signal.order_id = input.order_id and signal.ok', {
      input: { order_id: 'o-7' },
    });
    const d = await wait.respond!(ctx, { kind: 'signal', payload: { order_id: 'o-7', ok: true } });
    expect(d).toEqual({ kind: 'done', output: { order_id: 'o-7', ok: true } });
  });

  it('a payload not matching: await_signal again, with the same signal, timeout and onTimeout', async () => {
    const ctx = ctxFor(
      'condition: signal.order_id = input.order_id\n  timeout: 10m\n  on_timeout: escalate',
      {
        input: { order_id: 'o-7' },
      },
    );
    const d = await wait.respond!(ctx, { kind: 'signal', payload: { order_id: 'o-8' } });
    expect(d).toEqual({
      kind: 'await_signal',
      signal: 'approved',
      timeoutMs: 600_000,
      onTimeout: 'escalate',
    });
  });

  it('a condition written as {{ }} works the same', async () => {
    const ctx = ctxFor('condition: "{{ signal.n > 2 }}"');
    expect(
      expectKind(await wait.respond!(ctx, { kind: 'signal', payload: { n: 1 } }), 'await_signal').signal,
    ).toBe('approved');
    expect(await wait.respond!(ctx, { kind: 'signal', payload: { n: 3 } })).toEqual({
      kind: 'done',
      output: { n: 3 },
    });
  });

  it('a null payload is output null', async () => {
    expect(await wait.respond!(ctxFor(), { kind: 'signal', payload: null })).toEqual({
      kind: 'done',
      output: null,
    });
  });

  it('anything but a signal: fail UnexpectedResponse', async () => {
    const d = expectKind(await wait.respond!(ctxFor(), { kind: 'children', results: [] }), 'fail');
    expect(d.error.type).toBe('UnexpectedResponse');
  });
});
