/**
 * A task type lands in one folder and one registration line. This file is that folder: it defines a
 * toy type, adds it to a registry next to the built-in types (one line), and takes it the whole way a
 * real type goes without a server: the DSL validates its fields (with "did you mean") and compiles
 * it, the JSON Schema shows it, and `createTaskState`, built by `createActivities` as the worker
 * builds it, runs its `start()`. Nothing in src/ names it: not the DSL, not the interpreter.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { z } from 'zod';
import {
  builtinTools,
  createActivities,
  ToolRegistry,
  type CreateTaskStateInput,
} from '../../../src/activities';
import type { CompiledDefinition, CompiledTask } from '../../../src/contract/compiled';
import type { Orchestrator } from '../../../src/contract/orchestrator';
import type { TaskTypeRegistry } from '../../../src/contract/registry';
import { formatDiagnostic } from '../../../src/dsl/diagnostics';
import { definitionJsonSchema } from '../../../src/dsl/json-schema';
import { loadDefinitionText } from '../../../src/dsl/loader';
import { builtinTaskTypes } from '../../../src/orchestrators/registry';

interface GreetSpec {
  greeting: string;
  to: string;
  times: number;
}

/** `greet`: says `greeting, <to>` `times` times; `to` may hold templates. */
const greet: Orchestrator<GreetSpec> = {
  type: 'greet',
  summary: 'Says a greeting to someone, a few times (a toy type for tests).',
  fields: () => ({
    greeting: z.string().min(1).describe('what to say'),
    to: z.string().min(1).describe('whom to greet (templates allowed)'),
    times: z.number().int().min(1).max(5).default(1).describe('how many times'),
  }),
  local: true,
  async start(ctx) {
    const to = await ctx.render(ctx.spec.to);
    return {
      kind: 'done',
      output: Array.from({ length: ctx.spec.times }, () => `${ctx.spec.greeting}, ${to}`),
    };
  },
};

// The registration: one line.
const types = builtinTaskTypes().with(greet);

const DEFINITION = `id: greetings
version: 1.0.0
tasks:
  - { id: hello, type: greet, greeting: Hello, to: "{{ input.name }}", times: 2, outputs: "{{ $join(output, '; ') }}" }
  - { id: after, tool: echo, with: "{{ tasks.hello.output }}" }
`;

function compile(text: string, registry: TaskTypeRegistry = types): CompiledDefinition {
  const result = loadDefinitionText(text, { file: 'greetings.yaml' }, registry);
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return result.definition;
}

function errorsOf(text: string, registry: TaskTypeRegistry = types): string[] {
  const result = loadDefinitionText(text, { file: 'greetings.yaml' }, registry);
  if (result.ok) throw new Error('expected errors, but the definition compiled');
  return result.errors.map(formatDiagnostic);
}

/** The activity's own failure log, left out of the test output. */
const QUIET = new DefaultLogger('ERROR');

/** Run `createTaskState` for a compiled task, in an activity context, as the worker would. */
function createTaskState(
  task: CompiledTask,
  scope: Record<string, unknown>,
  registry: TaskTypeRegistry = types,
) {
  const { createTaskState } = createActivities({ types: registry, tools: new ToolRegistry(builtinTools) });
  const input: CreateTaskStateInput = {
    task: { id: task.id, type: task.type, spec: task.spec, children: [] },
    path: task.id,
    scope,
  };
  return new MockActivityEnvironment({ isLocal: task.execution.local }, { logger: QUIET }).run(
    createTaskState,
    input,
  );
}

describe('a toy task type, registered next to the built-in ones', () => {
  it('compiles: its own fields become the spec, with defaults; reads and scheduling as for any type', () => {
    const def = compile(DEFINITION);
    expect(def.tasks[0]).toMatchObject({
      id: 'hello',
      type: 'greet',
      spec: { greeting: 'Hello', to: '{{ input.name }}', times: 2 },
      reads: ['input'],
      execution: { local: true },
    });
    const defaulted = compile(DEFINITION.replace(', times: 2', ''));
    expect(defaulted.tasks[0].spec.times).toBe(1);
  });

  it('validates its fields, with did-you-mean for a misspelt one', () => {
    expect(errorsOf(DEFINITION.replace('times: 2', 'tims: 2'))).toEqual([
      "greetings.yaml:4:72: unknown field 'tims': did you mean 'times'? (at tasks[0].tims)",
    ]);
    expect(errorsOf(DEFINITION.replace('times: 2', 'times: 9'))).toEqual([
      'greetings.yaml:4:79: times must be ≤ 5, not 9 (at tasks[0].times)',
    ]);
    expect(errorsOf(DEFINITION.replace('type: greet', 'type: gret'))[0]).toContain(
      "unknown task type 'gret': did you mean 'greet'?",
    );
  });

  it('exists only in the registry that has it', () => {
    expect(errorsOf(DEFINITION, builtinTaskTypes())[0]).toContain("unknown task type 'greet'");
    expect(builtinTaskTypes().find('greet')).toBeUndefined();
  });

  it('appears in the JSON Schema of its registry', () => {
    const json = JSON.stringify(definitionJsonSchema(types));
    expect(json).toContain('"const":"greet"');
    expect(json).toContain('Says a greeting to someone');
  });

  it('runs its start() through createTaskState, with the common concerns (here `outputs`) applied', async () => {
    const [hello] = compile(DEFINITION).tasks;
    expect(await createTaskState(hello, { input: { name: 'Ada' } })).toEqual({
      kind: 'done',
      output: 'Hello, Ada; Hello, Ada',
    });
  });

  it('a worker without it fails the task with a non-retryable UnknownTaskType', async () => {
    const [hello] = compile(DEFINITION).tasks;
    const failure = await createTaskState(hello, { input: { name: 'Ada' } }, builtinTaskTypes()).catch(
      (e) => e,
    );
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({ type: 'UnknownTaskType', nonRetryable: true });
  });
});
