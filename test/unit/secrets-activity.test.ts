/**
 * Secrets through the definition language and the one activity, without a server: `validate`
 * accepts `secrets.NAME`, the interpreter's slice of scope never holds secrets, and `createTaskState`
 * (built as the worker builds it) hands the real value to the tool but returns, throws and emits only
 * `***`; a name the worker does not allow fails the task with `SecretNotAllowed`.
 */
import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { z } from 'zod';
import { builtinTools, createActivities, defineTool, ToolRegistry } from '../../src/activities';
import type { CompiledDefinition, CompiledTask } from '../../src/contract/compiled';
import type { Directive } from '../../src/contract/directive';
import { formatDiagnostic } from '../../src/dsl/diagnostics';
import { loadDefinitionText } from '../../src/dsl/loader';
import { builtinTaskTypes } from '../../src/orchestrators/registry';
import { Secrets } from '../../src/secrets';
import { Frame, sliceScope } from '../../src/workflows/scope';

const VALUE = 's3cr3t-Ab9';
const DEFINITION = `id: secrets-demo
version: 1.0.0
tasks:
  - id: call
    tool: send
    with:
      authorization: "Bearer {{ secrets.TOKEN }}"
      name: "{{ input.name }}"
  - id: other
    tool: send
    with: { authorization: "{{ secrets.OTHER }}" }
  - id: leaky
    tool: leak
    with: { token: "{{ secrets.TOKEN }}" }
`;

function compile(text: string): CompiledDefinition {
  const result = loadDefinitionText(text, { file: 'secrets-demo.yaml' }, builtinTaskTypes());
  if (!result.ok) throw new Error(result.errors.map(formatDiagnostic).join('\n'));
  return result.definition;
}

const received: unknown[] = [];
const send = defineTool({
  name: 'send',
  input: z.record(z.string(), z.string()),
  run: (input) => {
    received.push(input);
    return { echoed: input.authorization };
  },
});
const leak = defineTool({
  name: 'leak',
  input: z.object({ token: z.string() }),
  run: (input) => {
    throw ApplicationFailure.create({ type: 'Leaky', message: `refused token ${input.token}` });
  },
});

function run(task: CompiledTask, scope: Record<string, unknown>): Promise<Directive> {
  const { createTaskState } = createActivities({
    types: builtinTaskTypes(),
    tools: new ToolRegistry([...builtinTools, send, leak]),
    secrets: Secrets.fromEnv({ FLOWSTATE_SECRETS: 'TOKEN', TOKEN: VALUE }),
  });
  return new MockActivityEnvironment({}, { logger: new DefaultLogger('ERROR') }).run(createTaskState, {
    task: { id: task.id, type: task.type, spec: task.spec, children: [] },
    path: task.id,
    scope,
  });
}

describe('secrets in a definition', () => {
  const definition = compile(DEFINITION);
  const task = (id: string) => definition.tasks.find((t) => t.id === id)!;

  it('validates: secrets is a root expressions may read', () => {
    expect(task('call').reads).toEqual(['input', 'secrets']);
  });

  it('the workflow never sends secrets: its slice of scope has no such root', () => {
    const frame = new Frame();
    expect(sliceScope(task('call').reads, frame, { input: { name: 'Ada' }, workflow: {} })).toEqual({
      input: { name: 'Ada' },
    });
    expect(Object.keys(sliceScope(['*'], frame, { input: {}, workflow: {} }))).not.toContain('secrets');
  });

  it('the tool gets the real value; the directive that goes to history shows ***', async () => {
    received.length = 0;
    const directive = await run(task('call'), { input: { name: 'Ada' }, secrets: { TOKEN: 'forged' } });
    expect(received).toEqual([{ authorization: `Bearer ${VALUE}`, name: 'Ada' }]);
    expect(directive).toEqual({ kind: 'done', output: { echoed: 'Bearer ***' } });
  });

  it('an error that holds the value leaves the activity redacted, its type kept', async () => {
    const error = await run(task('leaky'), {}).then(
      () => undefined,
      (e: unknown) => e as ApplicationFailure,
    );
    expect(error).toMatchObject({ type: 'Leaky', message: 'refused token ***' });
    expect(error?.stack).not.toContain(VALUE);
  });

  it('a name the worker does not allow fails the task with SecretNotAllowed', async () => {
    received.length = 0;
    await expect(run(task('other'), {})).rejects.toMatchObject({
      type: 'SecretNotAllowed',
      nonRetryable: true,
      message: expect.stringContaining(
        "task 'other' reads secrets.OTHER, which is not allowed on this worker",
      ),
    });
    expect(received).toEqual([]);
  });
});
