import type { Json } from '../../contract/directive';
import type { Orchestrator } from '../../contract/orchestrator';
import { done } from '../shared';
import { basicFields, checkBasic, type BasicSpec } from './schema';

/** basic: call a tool, an agent (by skill) or an HTTP endpoint with the rendered `with`. */
export const basic: Orchestrator<BasicSpec> = {
  type: 'basic',
  summary: 'Calls one tool, agent or HTTP endpoint with its rendered `with`.',
  fields: basicFields,
  check: checkBasic,
  local: false,
  async start(ctx) {
    const call = { taskPath: ctx.task.path, run: ctx.run };
    const { spec } = ctx;
    if (spec.http) return done(await ctx.tools.call('http', await ctx.render(spec.http), call));
    const input = await ctx.render(spec.with ?? null);
    if (spec.tool) return done(await ctx.tools.call(spec.tool, input, call));
    if (!ctx.agents) {
      // Loaded when thrown: `validate` loads the task types but never runs them (start-up budget).
      const { ApplicationFailure } = require('@temporalio/common') as typeof import('@temporalio/common');
      throw ApplicationFailure.create({
        type: 'AgentNotFound',
        message: `no agent registry is configured, so no agent has skill '${spec.agent}'; set FLOWSTATE_AGENTS to an agents file`,
        nonRetryable: true,
      });
    }
    const answer = await ctx.agents.call(spec.agent as string, input, call);
    return { kind: 'done', output: (answer.output ?? null) as Json, meta: { agent: answer.agent } };
  },
};
