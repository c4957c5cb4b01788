/**
 * A worker's agents: `agentsFromEnv()` reads `FLOWSTATE_AGENTS`. Light on purpose: the worker imports
 * this module at start, and the agents file's parser (yaml) and the HTTP caller load only when an
 * agents file is set.
 */
import fs from 'node:fs';
import type { AgentCaller } from '../contract/orchestrator';
import { envError } from '../env';
import type { HttpAgentCaller, HttpAgentCallerOptions } from './http-agent-caller';
import type { AgentRegistryOptions } from './registry';

/** Environment variable naming the agents file. */
export const AGENTS_ENV = 'FLOWSTATE_AGENTS';

/** An `AgentCaller` over the agents in `file` (throws `AgentRegistryError` when the file is invalid). */
export function createAgentCaller(
  file: string,
  options: AgentRegistryOptions & HttpAgentCallerOptions = {},
): HttpAgentCaller {
  const { HttpAgentCaller } = require('./http-agent-caller') as typeof import('./http-agent-caller');
  const { AgentRegistry } = require('./registry') as typeof import('./registry');
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
