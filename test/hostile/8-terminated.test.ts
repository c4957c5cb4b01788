/**
 * Row 8 of issue 18: a run terminated by Temporal (`temporal workflow terminate`) never updates its
 * FlowstateStatus search attribute. `list` and `status` take the status from Temporal for a closed
 * run, and `list --status running` does not list it.
 */
import { randomUUID } from 'node:crypto';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';
import { flowstateCli } from './cli';

const env = useTestEnv();

const waiting = compileYaml(
  'id: held\nversion: 1.0.0\ntasks:\n  - { id: hold, type: wait, wait_for: go }\n  - { id: after, tool: echo, with: done }\n',
);

test('a terminated run reads as terminated in list and status, and is not listed as running', async () => {
  const id = `hostile-terminated-${randomUUID().slice(0, 8)}`;
  await env.start(waiting, {}, id);
  await eventually(
    () => env.flowstate.state(id),
    (s) => s.waiting.length === 1,
  );
  await env.client.workflow.getHandle(id).terminate('stuck: operator gave up');
  const cli = (args: string[]) => flowstateCli(args, env.processEnv());

  // Visibility is eventually consistent: wait until the server's list knows the run is closed.
  const listed = await eventually(
    () => cli(['list', '--definition', 'held', '--limit', '1000']),
    (r) => r.stdout.includes(`${id}\theld@1.0.0\tterminated\t`),
  );
  expect(listed.code).toBe(0);
  const running = await cli(['list', '--status', 'running', '--limit', '1000']);
  expect(running.stdout).not.toContain(id);
  const terminated = await cli(['list', '--status', 'terminated', '--limit', '1000']);
  expect(terminated.stdout).toContain(`${id}\theld@1.0.0\tterminated\t`);

  const status = await cli(['status', id]);
  expect(status.code).toBe(0);
  expect(status.stdout).toContain(`${id}  held@1.0.0  terminated`);
  expect(status.stdout).toContain('terminated: stuck: operator gave up');
  expect(status.stdout).not.toContain('waiting for a decision');
  const json = await cli(['status', id, '--json']);
  expect(JSON.parse(json.stdout).status).toBe('terminated');

  // The client API says the same.
  expect((await env.flowstate.currentState(id)).status).toBe('terminated');
});
