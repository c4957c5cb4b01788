/**
 * `HttpAgentCaller`: the worker's `AgentCaller`. For a `basic` task with `agent: <skill>` it asks the
 * registry for the agents with the skill, calls them in order over HTTP (docs/agents.md), fails
 * over to the next when one cannot be reached, and returns the first answer with the name of the
 * agent that gave it (the interpreter records it as the task's `meta.agent`).
 *
 * While it waits it heartbeats every second, so a dead worker is noticed and a cancelled task
 * (e.g. a `fail_fast` sibling failed) aborts the request at once.
 */
import type { AgentCaller, RunInfo } from '../contract/orchestrator';
import { taskLogger } from '../logging';
import { agentError, agentNotFound, agentUnavailable, type Unreachable } from './errors';
import type { AgentRegistry } from './registry';
import { exchange } from './wire';

export interface HttpAgentCallerOptions {
  /** Heartbeat period while waiting for an agent (default 1000 ms). */
  heartbeatMs?: number;
  /** Told about each agent that could not be reached before the next is tried (default: a warn log line). */
  onFailover?(event: {
    skill: string;
    taskPath: string;
    workflowId: string;
    failed: Unreachable;
    next?: string;
  }): void;
}

/** Calls agents found by skill over HTTP, with a timeout, heartbeats while waiting, and typed errors. */
export class HttpAgentCaller implements AgentCaller {
  private readonly heartbeatMs: number;
  private readonly onFailover: NonNullable<HttpAgentCallerOptions['onFailover']>;

  constructor(
    readonly registry: AgentRegistry,
    options: HttpAgentCallerOptions = {},
  ) {
    this.heartbeatMs = options.heartbeatMs ?? 1_000;
    this.onFailover =
      options.onFailover ??
      ((e) =>
        taskLogger(e.workflowId, e.taskPath).warn(
          { skill: e.skill, agent: e.failed.agent, reason: e.failed.reason, next: e.next },
          e.next ? 'agent unreachable, failing over' : 'agent unreachable, none left',
        ));
  }

  async call(
    skill: string,
    input: unknown,
    call: { taskPath: string; run: RunInfo },
  ): Promise<{ output: unknown; agent: string }> {
    const { run, taskPath } = call;
    const { agents, unreadable } = await this.registry.candidates(skill, run.cancelled);
    if (agents.length === 0 && unreadable.length === 0)
      throw agentNotFound(skill, this.registry.file, this.registry.knownSkills());
    const tried: Unreachable[] = [...unreadable];
    const request = {
      skill,
      input,
      task: taskPath,
      idempotencyKey: run.idempotencyKey,
      workflowId: run.workflowId,
    };
    let current = agents[0]?.name;
    const beat = setInterval(() => run.heartbeat({ skill, agent: current }), this.heartbeatMs);
    try {
      for (const [i, agent] of agents.entries()) {
        current = agent.name;
        run.heartbeat({ skill, agent: agent.name });
        const result = await exchange(agent, request, run.cancelled);
        if (result.kind === 'output') return { output: result.output, agent: agent.name };
        if (result.kind === 'error') {
          throw agentError({
            agent: agent.name,
            skill,
            status: result.status,
            message: result.message,
            retryable: result.retryable,
            ...(result.type ? { type: result.type } : {}),
          });
        }
        const failed = { agent: agent.name, url: agent.url, reason: result.reason };
        tried.push(failed);
        this.onFailover({
          skill,
          taskPath,
          workflowId: run.workflowId,
          failed,
          ...(agents[i + 1] ? { next: agents[i + 1].name } : {}),
        });
      }
      throw agentUnavailable(skill, this.registry.file, tried);
    } finally {
      clearInterval(beat);
    }
  }
}
