import { durationMs } from '../../contract/fields';
import type { Directive } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { done, fail } from '../shared';
import { waitFields, type WaitSpec } from './schema';

/**
 * wait: waits for signal `wait_for`. Each payload received is matched against `condition` (with the
 * payload as `signal`); a payload that does not match is ignored and the wait goes on.
 */
export const wait: Orchestrator<WaitSpec> = {
  type: 'wait',
  summary: 'Waits for a signal whose payload matches `condition`; output: the payload.',
  fields: waitFields,
  expressionFields: ['condition'],
  local: true,
  start: async (ctx) => waitFor(ctx.spec),
  async respond(ctx, response) {
    if (response.kind !== 'signal') return fail('UnexpectedResponse', 'wait expected a signal');
    if (ctx.spec.condition === undefined) return done(response.payload);
    const matches = await ctx.evaluate(ctx.spec.condition, { signal: response.payload });
    return matches ? done(response.payload) : waitFor(ctx.spec);
  },
};

function waitFor(spec: WaitSpec): Directive {
  return {
    kind: 'await_signal',
    signal: spec.wait_for,
    ...(spec.timeout ? { timeoutMs: durationMs(spec.timeout) } : {}),
    ...(spec.on_timeout && spec.on_timeout !== 'fail' ? { onTimeout: spec.on_timeout } : {}),
  };
}
