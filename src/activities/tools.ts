/**
 * Tools: TypeScript functions registered with the worker and called by `basic` tasks (`tool: name`).
 * Each has zod schemas for its input and output; a call gets an idempotency key so a retried side
 * effect can be de-duplicated.
 */
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import type { ToolCall, ToolCaller } from '../contract/orchestrator';

export type { ToolCall };

export interface Tool<I = unknown, O = unknown> {
  name: string;
  description?: string;
  input: z.ZodType<I>;
  output?: z.ZodType<O>;
  run(input: I, call: ToolCall): Promise<O> | O;
}

/** Define a tool with types inferred from its schemas. */
export function defineTool<IS extends z.ZodType, OS extends z.ZodType = z.ZodType<unknown>>(tool: {
  name: string;
  description?: string;
  input: IS;
  output?: OS;
  run(input: z.infer<IS>, call: ToolCall): Promise<z.infer<OS>> | z.infer<OS>;
}): Tool<z.infer<IS>, z.infer<OS>> {
  return tool as Tool<z.infer<IS>, z.infer<OS>>;
}

/** The worker's tools, by name. */
export class ToolRegistry implements ToolCaller {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: Tool<any, any>[] = []) {
    for (const t of tools) this.register(t);
  }

  register(tool: Tool<any, any>): this {
    this.tools.set(tool.name, tool as Tool);
    return this;
  }

  names(): string[] {
    return [...this.tools.keys()].sort();
  }

  /** Validate the input, call the tool, validate its output. Errors are typed `ApplicationFailure`s. */
  async call(name: string, input: unknown, call: ToolCall): Promise<unknown> {
    const tool = this.tools.get(name);
    if (!tool) {
      throw ApplicationFailure.create({
        type: 'ToolNotFound',
        message: `no tool '${name}' is registered with this worker (registered: ${this.names().join(', ')}); register it in the worker's tools or fix the name`,
        nonRetryable: true,
      });
    }
    const parsed = tool.input.safeParse(input);
    if (!parsed.success) {
      throw ApplicationFailure.create({
        type: 'ToolInputInvalid',
        message: `input of tool '${name}' is invalid: ${z.prettifyError(parsed.error)}`,
        nonRetryable: true,
      });
    }
    const result = await tool.run(parsed.data, call);
    if (tool.output) {
      const out = tool.output.safeParse(result);
      if (!out.success) {
        throw ApplicationFailure.create({
          type: 'ToolOutputInvalid',
          message: `tool '${name}' returned an invalid output: ${z.prettifyError(out.error)}`,
          nonRetryable: true,
        });
      }
      return out.data;
    }
    return result;
  }
}
