/**
 * Stub tools and agents. The kit's worker registers one dispatcher per tool name; each call finds the
 * case its run belongs to (by workflow id, so cases and their peers can share one worker) and answers
 * with that case's stub, or with the real tool when the case stubs nothing of that name. Every call is
 * logged per case, so expectations can count calls and name the task path that made each one.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { builtinTools } from '../activities/builtin-tools';
import { ToolRegistry, type Tool, type ToolCall } from '../activities/tools';
import { durationMs } from '../contract/fields';
import { evaluate, render } from '../expressions';
import type { FlowEvent } from '../events/types';
import type { AgentCaller, RunInfo } from '../contract/orchestrator';
import { EXAMPLE_TOOLS, type StubResultSpec, type StubSpec } from './cases';
import { loadToolModules } from '../worker-main';
import { scaledDelay } from './time';
import { NO_SECRETS, Secrets } from '../secrets';

export interface CallRecord {
  kind: 'tool' | 'agent';
  /** Tool name or agent skill. */
  name: string;
  /** Task path of the calling task. */
  path: string;
  attempt: number;
  input: unknown;
  stubbed: boolean;
}

/** What one case's runs get from the dispatchers. */
export interface CaseBinding {
  /** Case name, for messages. */
  label: string;
  tools: Record<string, StubSpec>;
  agents: Record<string, StubSpec>;
  /** What `secrets.NAME` reads in the case's runs, by name. */
  secrets?: Record<string, string>;
  /** time_scale factor, applied to stub delays. */
  delayFactor?: number;
  calls: CallRecord[];
  /** Lifecycle events of the case's run, as the worker emitted them. */
  events: FlowEvent[];
}

/** `calls` key of an agent skill. */
export const agentKey = (skill: string) => `agent:${skill}`;

/** Routes each tool and agent call of a run to the stubs of the case that started it, and records the calls. */
export class StubRouter {
  private readonly bindings = new Map<string, CaseBinding>();
  private readonly real: ToolRegistry;

  /** `tools`: the real tools a case may fall back to (built-ins are always there). */
  constructor(tools: Tool<any, any>[] = []) {
    this.real = new ToolRegistry([...builtinTools, ...tools]);
  }

  realToolNames(): string[] {
    return this.real.names();
  }

  /** Route calls of runs whose workflow id is `workflowId` (or starts with `workflowId/`) to `binding`. */
  bind(workflowId: string, binding: CaseBinding): void {
    this.bindings.set(workflowId, binding);
  }

  unbind(workflowId: string): void {
    this.bindings.delete(workflowId);
  }

  /** The binding of a run; batch child workflows (`<id>/<path>#n`) belong to their parent's case. */
  bindingOf(workflowId: string): CaseBinding | undefined {
    return this.bindings.get(workflowId) ?? this.bindings.get(workflowId.split('/')[0]);
  }

  /** The worker's tools, agents and secrets, all dispatched to the stubs of each run's case. */
  workerOptions(names: Iterable<string>) {
    return { tools: this.tools(names), agents: this.agents(), secrets: this.secrets() };
  }

  /** The worker's secrets: each run reads its case's stubs (a run of no case reads none). */
  secrets(): (workflowId: string) => Secrets {
    const of = new WeakMap<Record<string, string>, Secrets>();
    return (workflowId) => {
      const stubs = this.bindingOf(workflowId)?.secrets;
      if (!stubs) return NO_SECRETS;
      if (!of.has(stubs)) of.set(stubs, Secrets.of(stubs));
      return of.get(stubs)!;
    };
  }

  /** One dispatcher per tool name (the built-ins' and the real tools' names included). */
  tools(names: Iterable<string>): Tool<any, any>[] {
    const all = new Set([...this.real.names(), ...names]);
    return [...all].map((name) => ({
      name,
      description: `test kit dispatcher for '${name}'`,
      input: z.unknown(),
      run: (input: unknown, call: ToolCall) => this.callTool(name, input, call),
    }));
  }

  /** The agent caller: stubs by skill; an unstubbed skill fails the task, naming it. */
  agents(): AgentCaller {
    return {
      call: async (skill, input, call) => {
        const binding = this.bindingOf(call.run.workflowId);
        const stub = binding?.agents[skill];
        const n = binding ? count(binding, 'agent', skill) : 0;
        binding?.calls.push(record('agent', skill, input, call, stub !== undefined));
        if (!binding || !stub) {
          throw ApplicationFailure.create({
            type: 'AgentNotStubbed',
            message: `agent skill '${skill}' (task ${call.taskPath}) has no stub${binding ? ` in case '${binding.label}'` : ''}: add agents: { ${skill}: { output: ... } } to the case or the file`,
            nonRetryable: true,
          });
        }
        return { output: await answer(stub, n, input, call, binding.delayFactor), agent: `stub:${skill}` };
      },
    };
  }

  private async callTool(name: string, input: unknown, call: ToolCall): Promise<unknown> {
    const binding = this.bindingOf(call.run.workflowId);
    const stub = binding?.tools[name];
    const n = binding ? count(binding, 'tool', name) : 0;
    binding?.calls.push(record('tool', name, input, call, stub !== undefined));
    if (binding && stub) return answer(stub, n, input, call, binding.delayFactor);
    if (!this.real.names().includes(name)) {
      throw ApplicationFailure.create({
        type: 'ToolNotStubbed',
        message: `tool '${name}' (task ${call.taskPath}) has no stub${binding ? ` in case '${binding.label}'` : ''} and is not a real tool of this kit: add tools: { ${name}: { output: ... } } to the case, or name its module in tool_modules`,
        nonRetryable: true,
      });
    }
    return this.real.call(name, input, call);
  }
}

function count(binding: CaseBinding, kind: CallRecord['kind'], name: string): number {
  return binding.calls.filter((c) => c.kind === kind && c.name === name).length;
}

function record(
  kind: CallRecord['kind'],
  name: string,
  input: unknown,
  call: { taskPath: string; run: RunInfo },
  stubbed: boolean,
): CallRecord {
  return { kind, name, path: call.taskPath, attempt: call.run.attempt, input, stubbed };
}

/**
 * The result a stub gives to its `n`-th call (0-based): the first `match` entry whose `when` holds,
 * else the sequence's entry (its last one repeating), else the stub's own output or error.
 */
export async function resultFor(
  stub: StubSpec,
  n: number,
  input: unknown = null,
  call: Record<string, unknown> = {},
): Promise<StubResultSpec> {
  for (const m of stub.match ?? []) {
    if ((await evaluate(m.when, { input, call })) === true) {
      const { when: _when, ...result } = m;
      return {
        ...result,
        ...(result.delay === undefined && stub.delay !== undefined ? { delay: stub.delay } : {}),
      };
    }
  }
  if (stub.sequence) {
    const entry = stub.sequence[Math.min(n, stub.sequence.length - 1)];
    return {
      ...entry,
      ...(entry.delay === undefined && stub.delay !== undefined ? { delay: stub.delay } : {}),
    };
  }
  return stub;
}

/** Answer one call: wait the delay (cancellable), then fail with the error or give the rendered output. */
export async function answer(
  stub: StubSpec,
  n: number,
  input: unknown,
  call: { taskPath: string; run: RunInfo },
  delayFactor?: number,
): Promise<unknown> {
  const about = { n: n + 1, path: call.taskPath, attempt: call.run.attempt };
  const result = await resultFor(stub, n, input, about);
  if (result.delay !== undefined)
    await sleep(scaledDelay(durationMs(result.delay), delayFactor), call.run.cancelled);
  if (result.error) {
    throw ApplicationFailure.create({
      type: result.error.type,
      message: result.error.message ?? `stubbed ${result.error.type}`,
      nonRetryable: result.error.non_retryable,
    });
  }
  return render(result.output ?? null, { input, call: about });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** The real tools of a cases file's `tool_modules` (`examples`, or modules exporting `tools`). */
export async function toolsOf(modules: string[]): Promise<Tool<any, any>[]> {
  const tools: Tool<any, any>[] = [];
  for (const m of modules) {
    if (m === EXAMPLE_TOOLS)
      tools.push(...(require('../../examples/tools') as typeof import('../../examples/tools')).exampleTools);
    else tools.push(...(await loadToolModules([m])));
  }
  return tools;
}
