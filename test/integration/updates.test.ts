/**
 * The generic `await_update` directive on the real server: a task waits for a named update, its
 * views answer queries, a refused update changes nothing, a taken one moves the task on. A test-only
 * task type (in a registry next to the built-in ones, like any other type) drives it; the interpreter
 * names none.
 */
import { ApplicationFailure } from '@temporalio/common';
import { builtinTaskTypes } from '../../src/orchestrators/registry';
import type { Orchestrator } from '../../src/contract/orchestrator';
import type { AwaitUpdateDirective, Directive, Json } from '../../src/contract/directive';
import { z } from 'zod';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';

/** `checklist`: waits for a `tick` update until every item is ticked; unknown items are refused. */
const checklist: Orchestrator<{ items: string[] }> = {
  type: 'checklist',
  summary: 'test only',
  fields: () => ({ items: z.array(z.string()).min(1) }),
  local: true,
  start: async (ctx) => waiting(ctx.spec.items, []),
  async respond(ctx, response): Promise<Directive> {
    if (response.kind !== 'update') throw ApplicationFailure.nonRetryable('expected an update');
    const done = (response.state as { done: string[] }).done;
    const item = (response.payload as { item?: string } | null)?.item;
    if (!item || !ctx.spec.items.includes(item)) {
      return {
        kind: 'reject',
        message: `'${item}' is not on the list; open: ${ctx.spec.items.filter((i) => !done.includes(i)).join(', ')}`,
      };
    }
    const now = [...new Set([...done, item])];
    if (now.length === ctx.spec.items.length) return { kind: 'done', output: now, reply: { complete: true } };
    return {
      ...waiting(ctx.spec.items, now),
      reply: { open: ctx.spec.items.filter((i) => !now.includes(i)) },
    };
  },
};

function waiting(items: string[], done: string[]): AwaitUpdateDirective {
  return {
    kind: 'await_update',
    update: 'tick',
    views: {
      open: items.filter((i) => !done.includes(i)),
      item: Object.fromEntries(items.map((i) => [i, { ticked: done.includes(i) }])) as Json,
    },
    state: { done },
  };
}

const types = builtinTaskTypes().with(checklist);
const env = useTestEnv({ types });

test('queries read the views, a refused update changes nothing, taken updates move the task on', async () => {
  const def = compileYaml(
    `
id: checklist-run
version: 1.0.0
tasks:
  - { id: list, type: checklist, items: [a, b] }
  - { id: after, tool: echo, with: "{{ tasks.list.output }}" }
`,
    'inline.yaml',
    types,
  );
  const { workflowId } = await env.start(def);
  const fs = env.flowstate;
  for (let i = 0; i < 100 && (await fs.state(workflowId)).waiting.length === 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(await fs.query(workflowId, 'open')).toEqual(['a', 'b']);
  expect(await fs.query(workflowId, 'item', 'b')).toEqual({ ticked: false });
  await expect(fs.query(workflowId, 'item', 'zzz')).rejects.toThrow(/item: no 'zzz' here \(known: a, b\)/);
  await expect(fs.query(workflowId, 'nope')).rejects.toThrow(
    /unknown query 'nope'; this run answers state, open, item/,
  );

  const before = await fs.state(workflowId);
  await expect(fs.update(workflowId, 'tick', { item: 'x' })).rejects.toMatchObject({
    cause: { message: "'x' is not on the list; open: a, b" },
  });
  expect(await fs.state(workflowId)).toEqual(before);
  await expect(fs.update(workflowId, 'untick', {})).rejects.toMatchObject({
    cause: {
      message: expect.stringMatching(
        /no task is waiting for update 'untick'; waiting now: 'tick' \(task list\)/,
      ),
    },
  });

  expect(await fs.update(workflowId, 'tick', { item: 'b' })).toEqual({ open: ['a'] });
  expect(await fs.query(workflowId, 'open')).toEqual(['a']);
  expect(await fs.update(workflowId, 'tick', { item: 'a' })).toEqual({ complete: true });
  expect((await fs.result(workflowId)).output).toEqual(['b', 'a']);
});
