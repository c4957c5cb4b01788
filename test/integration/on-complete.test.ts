/**
 * The `on_complete` hook with no `with` gets `{ event }`, as every other hook does and as
 * docs/definition-language.md says (it used to get the bare event).
 */
import { z } from 'zod';
import { defineTool } from '../../src/activities/tools';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';

const inputs: unknown[] = [];
const notify = defineTool({
  name: 'notify',
  input: z.unknown(),
  run: (input) => {
    inputs.push(input);
    return { sent: true };
  },
});
const env = useTestEnv({ tools: [notify] });

test('on_complete without `with` gets { event } with the run.completed event', async () => {
  const def = compileYaml(`
id: completed-hook
version: 1.0.0
hooks:
  on_complete: { tool: notify }
  after_task: { tool: notify }
tasks:
  - { id: one, tool: echo, with: 1 }
`);
  expect((await env.run(def)).output).toBe(1);
  expect(inputs).toHaveLength(2);
  const [afterTask, onComplete] = inputs as Array<{ event: Record<string, unknown> }>;
  expect(Object.keys(afterTask!)).toEqual(['event']);
  expect(afterTask!.event).toMatchObject({ type: 'task.completed', path: 'one' });
  expect(Object.keys(onComplete!)).toEqual(['event']);
  expect(onComplete!.event).toMatchObject({
    type: 'run.completed',
    definition: 'completed-hook',
    version: '1.0.0',
    output: 1,
  });
});
