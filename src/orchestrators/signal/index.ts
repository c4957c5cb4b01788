import type { Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { signalFields, type SignalSpec } from './schema';

/** signal: sends a signal to another run (default: the parent run). Output: `{ sent: true }`. */
export const signal: Orchestrator<SignalSpec> = {
  type: 'signal',
  summary: 'Sends a signal to another run (default: the parent run).',
  fields: signalFields,
  local: true,
  async start(ctx) {
    const s = (await ctx.render(ctx.spec.signal)) as SignalSpec['signal'];
    return {
      kind: 'emit',
      signal: {
        name: s.name,
        ...(s.workflow_id ? { workflowId: s.workflow_id } : {}),
        payload: (s.payload ?? null) as Json,
      },
      output: { sent: true },
    };
  },
};
