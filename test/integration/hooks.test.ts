/**
 * Hooks on the real server: workflow- and task-level hooks fire in order with the event in scope, a
 * before_task hook vetoes a task, a failing hook is ignored or fails the run per its on_error, and
 * on_error / on_complete hooks see the error / the run's output.
 */
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';

const calls: Array<{ hook: string; event: Record<string, unknown> }> = [];
const record = defineTool({
  name: 'record',
  input: z.object({ hook: z.string(), event: z.record(z.string(), z.unknown()) }),
  run: (input) => {
    calls.push(input);
    return { recorded: true };
  },
});
/** A policy check: vetoes tasks whose id starts with `risky`. */
const policy = defineTool({
  name: 'policy',
  input: z.object({ event: z.object({ task: z.string() }).passthrough() }),
  run: ({ event }) =>
    event.task.startsWith('risky') ? { skip: true, reason: 'not allowed' } : { skip: false },
});
const broken = defineTool({
  name: 'broken-hook',
  input: z.unknown(),
  run: () => {
    throw ApplicationFailure.nonRetryable('hook is broken', 'Broken');
  },
});
const env = useTestEnv({ tools: [record, policy, broken] });
beforeEach(() => (calls.length = 0));

const hook = (name: string) => `{ tool: record, with: { hook: ${name}, event: "{{ event }}" } }`;

test('workflow hooks then task hooks, in order, around every task; on_complete sees the output', async () => {
  const def = compileYaml(`
id: hooked
version: 1.0.0
hooks:
  before_task: ${hook('wf-before')}
  after_task: ${hook('wf-after')}
  on_complete: ${hook('wf-complete')}
tasks:
  - { id: one, tool: echo, with: 1, hooks: { before_task: ${hook('one-before')}, after_task: ${hook('one-after')} } }
  - { id: two, tool: echo, with: 2 }
`);
  const { output } = await env.run(def);
  expect(output).toBe(2);
  expect(calls.map((c) => `${c.hook}:${c.event.type}:${c.event.path ?? '-'}`)).toEqual([
    'wf-before:task.started:one',
    'one-before:task.started:one',
    'wf-after:task.completed:one',
    'one-after:task.completed:one',
    'wf-before:task.started:two',
    'wf-after:task.completed:two',
    'wf-complete:run.completed:-',
  ]);
  expect(calls[2].event).toMatchObject({ task: 'one', task_type: 'basic', output: 1 });
  expect(calls[6].event).toMatchObject({ type: 'run.completed', definition: 'hooked', output: 2 });
});

test('a before_task hook vetoes a task: it is skipped, the others run', async () => {
  const def = compileYaml(`
id: vetoed
version: 1.0.0
hooks:
  before_task: { tool: policy }
tasks:
  - { id: safe, tool: echo, with: ok }
  - { id: risky-delete, tool: echo, with: gone }
  - { id: report, type: aggregate, outputs: { safe: "{{ tasks.safe.output }}", risky: "{{ tasks.\`risky-delete\`.output }}" } }
`);
  const ref = await env.start(def);
  expect((await env.flowstate.result(ref.workflowId)).output).toEqual({ safe: 'ok', risky: null });
  const state = await env.flowstate.state(ref.workflowId);
  expect(state.meta['risky-delete']).toEqual({ vetoed_by: 'policy' });
});

test('a failing hook is ignored by default, fails the run with on_error: fail', async () => {
  const ignored = compileYaml(`
id: hook-ignored
version: 1.0.0
tasks:
  - { id: one, tool: echo, with: 1, hooks: { after_task: { tool: broken-hook } } }
`);
  expect((await env.run(ignored)).output).toBe(1);
  const fatal = compileYaml(`
id: hook-fatal
version: 1.0.0
tasks:
  - { id: one, tool: echo, with: 1, hooks: { before_task: { tool: broken-hook, on_error: fail } } }
`);
  const err = await env.run(fatal).catch((e) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(err.cause).toMatchObject({
    type: 'HookFailed',
    message: "one: before_task hook 'broken-hook' failed: hook is broken",
  });
});

test('on_error hooks see the error of a failing task', async () => {
  const def = compileYaml(`
id: hook-on-error
version: 1.0.0
hooks:
  on_error: ${hook('wf-error')}
tasks:
  - { id: boom, tool: does-not-exist }
`);
  await expect(env.run(def)).rejects.toBeInstanceOf(WorkflowFailedError);
  const errors = calls.filter((c) => c.hook === 'wf-error');
  expect(errors.length).toBeGreaterThanOrEqual(1);
  expect(errors[0].event).toMatchObject({
    type: 'task.failed',
    path: 'boom',
    error: { type: 'ToolNotFound' },
  });
});
