/**
 * The typed failures an agent call ends with. They leave the activity as `ApplicationFailure`s, so
 * the run's error (and an `on_error` target's `error.type`) names them:
 *
 * - `AgentNotFound` (non-retryable): no agent in the registry has the skill.
 * - `AgentUnavailable` (retryable): agents have the skill, but none could be reached.
 * - `AgentError`: an agent answered, with an error (retryable only when the agent says so, or 5xx).
 * - `AgentRegistryInvalid` (non-retryable): the agents file cannot be read or is invalid.
 */
import { ApplicationFailure } from '@temporalio/common';

export const AGENT_NOT_FOUND = 'AgentNotFound';
export const AGENT_UNAVAILABLE = 'AgentUnavailable';
export const AGENT_ERROR = 'AgentError';
export const AGENT_REGISTRY_INVALID = 'AgentRegistryInvalid';

/** Why one agent could not be used for a call (connection refused, timeout, 503...). */
export interface Unreachable {
  agent: string;
  url: string;
  reason: string;
}

/** `AgentNotFound`: names the skill, the registry file and the skills it does have. */
export function agentNotFound(
  skill: string,
  registry: string,
  skills: readonly string[],
): ApplicationFailure {
  const there = skills.length > 0 ? skills.join(', ') : 'none';
  return ApplicationFailure.create({
    type: AGENT_NOT_FOUND,
    message: `no agent has skill '${skill}' in ${registry} (skills there: ${there}); add an agent with that skill or fix the task's \`agent:\``,
    nonRetryable: true,
    details: [{ skill, registry, skills: [...skills] }],
  });
}

/** `AgentUnavailable`: every agent with the skill was tried; lists each and why it failed. */
export function agentUnavailable(
  skill: string,
  registry: string,
  tried: readonly Unreachable[],
): ApplicationFailure {
  const list = tried.map((t) => `${t.agent} (${t.url}): ${t.reason}`).join('; ');
  return ApplicationFailure.create({
    type: AGENT_UNAVAILABLE,
    message: `no agent with skill '${skill}' in ${registry} could be reached: ${list}`,
    nonRetryable: false,
    details: [{ skill, registry, tried: tried.map((t) => ({ ...t })) }],
  });
}

/** What an agent said when it answered with an error. */
export interface AgentErrorInfo {
  agent: string;
  skill: string;
  /** HTTP status, or 200 for an A2A task that ended `failed`. */
  status: number;
  /** The agent's own error type, when it sent one. */
  type?: string;
  message: string;
  retryable: boolean;
}

/** `AgentError`: the agent answered, with an error; the agent's own type is kept in the message and details. */
export function agentError(info: AgentErrorInfo): ApplicationFailure {
  const what = info.type ? `${info.type}: ${info.message}` : info.message;
  return ApplicationFailure.create({
    type: AGENT_ERROR,
    message: `agent '${info.agent}' (skill '${info.skill}') answered ${info.status} with an error: ${what}`,
    nonRetryable: !info.retryable,
    details: [{ ...info }],
  });
}

/** `AgentRegistryInvalid`: the agents file is missing or invalid (every problem, with file:line:col). */
export class AgentRegistryError extends Error {
  override readonly name = AGENT_REGISTRY_INVALID;
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`invalid agents file ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
}
