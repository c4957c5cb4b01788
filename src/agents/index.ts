/**
 * Agents: HTTP services found by skill in an agents file (docs/agents.md).
 *
 * A worker gets its `AgentCaller` from `agentsFromEnv()` (reads `FLOWSTATE_AGENTS`) or builds one
 * with `createAgentCaller(file)`, and passes it as `createWorker({ agents })`.
 */
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';

export { AGENTS_ENV, agentsFromEnv, createAgentCaller } from './from-env';

/** True when a task of the definition (at any depth, `output` included) calls an agent. */
export function usesAgents(definition: CompiledDefinition): boolean {
  const any = (tasks: CompiledTask[]): boolean =>
    tasks.some((t) => typeof t.spec.agent === 'string' || any(t.children));
  return any(definition.tasks) || (definition.outputTask ? any([definition.outputTask]) : false);
}

export { HttpAgentCaller, type HttpAgentCallerOptions } from './http-agent-caller';
export {
  AgentRegistry,
  bySelectionRule,
  type AgentRegistryOptions,
  type Candidates,
  type ResolvedAgent,
} from './registry';
export {
  parseAgentsFile,
  readAgentsFile,
  cardUrl,
  AGENT_CARD_PATH,
  DEFAULT_AGENT_TIMEOUT_MS,
  type AgentEntry,
  type AgentsFile,
} from './registry-file';
export { readAgentCard, type AgentCardInfo } from './agent-card';
export {
  AGENT_ERROR,
  AGENT_NOT_FOUND,
  AGENT_REGISTRY_INVALID,
  AGENT_UNAVAILABLE,
  AgentRegistryError,
  agentError,
  agentNotFound,
  agentUnavailable,
  type AgentErrorInfo,
  type Unreachable,
} from './errors';
export { FAILOVER_STATUSES, type Exchange, type WireRequest, type WireTarget } from './wire';
