/**
 * Hostile endpoint (issue 18, row 2): an `http` task against an endpoint that streams for ever fails
 * within seconds with a non-retryable `HttpResponseTooLarge` naming the limit and the setting, the
 * worker process (a real `flowstate worker`, not the test's) stays the same process with its memory
 * bounded, and a normal run on that worker completes right after.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { FlowstateClient } from '../../src/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';

const env = useTestEnv();
let server: http.Server;
let endless = '';
let worker: WorkerProcess;
let flowstate: FlowstateClient;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(64 * 1024, 120);
    const pump = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', pump);
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  endless = `http://127.0.0.1:${(server.address() as AddressInfo).port}/endless`;
  const taskQueue = `hostile-http-${randomUUID().slice(0, 8)}`;
  worker = await spawnWorker({ address: env.address, taskQueue });
  flowstate = new FlowstateClient(env.client, { address: env.address, namespace: 'default', taskQueue });
});

afterAll(async () => {
  await worker?.stop();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/)!;
  return Number(line[1]) / 1024;
}

test('an endless response fails the task at the limit within seconds; the same worker then runs a normal run', async () => {
  const pid = worker.child.pid!;
  const before = rssMb(pid);
  const hostile = compileYaml(`
id: endless-get
version: 1.0.0
tasks:
  - { id: get, http: { url: "${endless}" } }
`);
  const t = Date.now();
  const { workflowId } = await flowstate.start(hostile, {});
  const error = await flowstate.result(workflowId).then(
    () => undefined,
    (e: unknown) => e,
  );
  const seconds = (Date.now() - t) / 1000;
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
  expect(cause.type).toBe('HttpResponseTooLarge');
  expect(cause.message).toContain('over the limit of 1 MiB (1048576 bytes)');
  expect(cause.message).toContain('FLOWSTATE_HTTP_MAX_RESPONSE_BYTES');
  expect(seconds).toBeLessThan(15);
  // Not retried: one attempt, failed as non-retryable.
  const events = (await env.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const failed = events.filter((e) => e.activityTaskFailedEventAttributes);
  expect(failed).toHaveLength(1);
  expect(failed[0].activityTaskFailedEventAttributes!.failure?.applicationFailureInfo?.nonRetryable).toBe(
    true,
  );

  const normal = compileYaml(`
id: after-endless
version: 1.0.0
tasks:
  - { id: one, tool: echo, with: { ok: true } }
`);
  const ref = await flowstate.start(normal, {});
  expect((await flowstate.result(ref.workflowId)).output).toEqual({ ok: true });
  expect(worker.child.pid).toBe(pid);
  expect(worker.child.exitCode).toBeNull();
  expect(rssMb(pid) - before).toBeLessThan(200);
});
