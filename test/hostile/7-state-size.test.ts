/**
 * Row 7 of issue 18: `status` of a run with large outputs (a 1 MB signal taken by a wait, a 1.5 MB
 * tool output) or with thousands of tasks used to fail ("Failed to query Workflow", "Blob data size
 * exceeds limit"). The `state` query summarises outputs past 16 KiB (and past 512 KiB in all);
 * `flowstate status <id> --task <path>` (the `task-output` query) prints one output in full.
 */
import { randomUUID } from 'node:crypto';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';
import { flowstateCli } from './cli';
import { blob } from './tools';

const env = useTestEnv({ tools: [blob] });

test('a 1 MB signal and a 1.5 MB output: state stays small, --task prints the output in full', async () => {
  const definition = compileYaml(`id: heavy
version: 1.0.0
tasks:
  - { id: hold, type: wait, wait_for: go }
  - { id: dump, tool: blob, with: { bytes: 1500000 } }
  - { id: small, tool: echo, with: tiny }
  - { id: held, type: wait, wait_for: done }
`);
  const id = `hostile-state-${randomUUID().slice(0, 8)}`;
  await env.start(definition, {}, id);
  await eventually(
    () => env.flowstate.state(id),
    (s) => s.waiting.length === 1,
  );
  await env.flowstate.signal(id, 'go', { blob: 'y'.repeat(1_000_000) });
  const state = await eventually(
    () => env.flowstate.state(id),
    (s) => s.completed.includes('small'),
  );
  expect(state.truncated_outputs).toEqual(['hold', 'dump']);
  expect(state.outputs.small).toBe('tiny');
  expect(state.outputs.dump).toMatchObject({ truncated: true, bytes: 1_500_002 });
  expect(JSON.stringify(state).length).toBeLessThan(20_000);

  const cli = (args: string[]) => flowstateCli(args, env.processEnv());
  const status = await cli(['status', id]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('held  waiting for signal');
  const json = await cli(['status', id, '--json']);
  expect(JSON.parse(json.stdout).truncated_outputs).toEqual(['hold', 'dump']);
  const full = await cli(['status', id, '--task', 'dump']);
  expect(full.code).toBe(0);
  expect(JSON.parse(full.stdout)).toBe('x'.repeat(1_500_000));
  const unknown = await cli(['status', id, '--task', 'nope']);
  expect(unknown.code).toBe(1);
  expect(unknown.stderr).toContain("no task 'nope' has completed in this run; completed: hold, dump, small");

  await env.flowstate.signal(id, 'done');
  await env.flowstate.result(id);
});
