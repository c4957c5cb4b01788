/**
 * Rows 4 and 6 of issue 18, worker side: an output (or an error) over Temporal's 2 MB payload limit.
 * A 3 MB `aggregate` output (a local activity: its result rides in the workflow task's completion)
 * made every workflow task fail, and the run stayed `running` for ever; a 5 MB `echo` output timed
 * out after 90 s. The task now fails at once with a non-retryable `PayloadTooLarge` naming the size
 * and the limit, and the same worker completes a normal run right after.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { blob, loudFailure, pid } from './tools';

const env = useTestEnv({ tools: [blob, loudFailure, pid] });

const normal = compileYaml('id: normal\nversion: 1.0.0\ntasks:\n  - { id: who, tool: pid, with: {} }\n');

async function failure(definition: ReturnType<typeof compileYaml>) {
  const started = Date.now();
  const e = await env.run(definition).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowFailedError);
  const cause = (e as WorkflowFailedError).cause as Error & { type?: string };
  return { cause, ms: Date.now() - started };
}

test('a 3 MB aggregate output fails its task with PayloadTooLarge, not a run stuck for ever', async () => {
  const big = compileYaml(`id: big-aggregate
version: 1.0.0
tasks:
  - { id: a, tool: blob, with: { bytes: 1500000 } }
  - { id: b, tool: blob, with: { bytes: 1500000 } }
  - id: report
    type: aggregate
    outputs: "{{ [tasks.a.output, tasks.b.output] }}"
`);
  const { cause, ms } = await failure(big);
  expect(cause.type).toBe('PayloadTooLarge');
  expect(cause.message).toMatch(
    /the output of task 'report' is 3,000,0\d\d bytes \(3\.0 MB\), over the limit of 2,031,616 bytes \(2\.0 MB\) \(Temporal refuses a payload over 2 MiB\): keep large data elsewhere .* and pass a reference/,
  );
  expect(ms).toBeLessThan(30_000);
  expect((await env.run(normal)).output).toBe(process.pid);
});

test('a 5 MB tool output fails at once (no retries, no heartbeat timeout); the worker goes on', async () => {
  const big = compileYaml(
    'id: big-echo\nversion: 1.0.0\ntasks:\n  - { id: dump, tool: blob, with: { bytes: 5000000 } }\n',
  );
  const { cause, ms } = await failure(big);
  expect(cause.type).toBe('PayloadTooLarge');
  expect(cause.message).toMatch(
    /the output of task 'dump' is 5,000,0\d\d bytes \(5\.0 MB\), over the limit of 2,031,616/,
  );
  expect(ms).toBeLessThan(15_000);
  expect((await env.run(normal)).output).toBe(process.pid);
});

test('a 3 MB error message is cut to a size Temporal takes, keeping its type', async () => {
  const loud = compileYaml(
    'id: loud\nversion: 1.0.0\ntasks:\n  - { id: shout, tool: loud-failure, with: { bytes: 3000000 } }\n',
  );
  const { cause, ms } = await failure(loud);
  expect(cause.type).toBe('Loud');
  expect(cause.message).toMatch(/yyyy… \(3,000,000 bytes \(3\.0 MB\) message cut at 16,384 bytes\)$/);
  expect(ms).toBeLessThan(15_000);
  expect((await env.run(normal)).output).toBe(process.pid);
});
