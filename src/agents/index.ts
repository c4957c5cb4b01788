/**
 * Agents: HTTP services found by skill in an agents file (docs/agents.md).
 *
 * A worker gets its `AgentCaller` from `agentsFromEnv()` (reads `FLOWSTATE_AGENTS`) or builds one
 * with `createAgentCaller(file)`, and passes it as `createWorker({ agents })`.
 */
import fs from 'node:fs';
import type { AgentCaller } from '../contract/orchestrator';
import { envError } from '../env';
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';
import { HttpAgentCaller, type HttpAgentCallerOptions } from './http-agent-caller';
import { AgentRegistry, type AgentRegistryOptions } from './registry';

/** Environment variable naming the agents file. */
export const AGENTS_ENV = 'FLOWSTATE_AGENTS';

/** An `AgentCaller` over the agents in `file` (throws `AgentRegistryError` when the file is invalid). */
export function createAgentCaller(
  file: string,
  options: AgentRegistryOptions & HttpAgentCallerOptions = {},
): HttpAgentCaller {
  return new HttpAgentCaller(AgentRegistry.fromFile(file, options), options);
}

/**
 * The `AgentCaller` for the agents file named by `FLOWSTATE_AGENTS`, or undefined when it is not set
 * (agent tasks then fail with `AgentNotFound`). An invalid file throws at once, so a worker does not
 * start with a broken registry.
 */
export function agentsFromEnv(env: NodeJS.ProcessEnv = process.env): AgentCaller | undefined {
  const file = env[AGENTS_ENV]?.trim();
  if (file && !fs.existsSync(file))
    throw envError(AGENTS_ENV, file, 'the path of an agents file (docs/agents.md)');
  return file ? createAgentCaller(file) : undefined;
}

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
