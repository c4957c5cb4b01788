/**
 * Hostile expressions (issue 18, rows 1 and 3) against a worker run as a child process on the real
 * server: each bomb fails its task at once with a non-retried `ExpressionError` naming the limit, and
 * the same worker process (same pid, never restarted) completes a normal run right after.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { FlowstateClient } from '../../src/client';
import type { CompiledDefinition } from '../../src/contract/compiled';
import { compileYaml } from '../harness/definitions';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';

const address = () => process.env.FLOWSTATE_TEST_ADDRESS!;
const taskQueue = `hostile-expr-${randomUUID().slice(0, 8)}`;
let worker: WorkerProcess;
let flowstate: FlowstateClient;
let connection: Connection;
let client: Client;
let pid: number | undefined;

beforeAll(async () => {
  worker = await spawnWorker({ address: address(), taskQueue });
  pid = worker.child.pid;
  connection = await Connection.connect({ address: address() });
  client = new Client({ connection });
  flowstate = new FlowstateClient(client, { address: address(), namespace: 'default', taskQueue });
});
afterAll(async () => {
  await worker?.stop();
  await connection?.close();
});

const normal = compileYaml(`
id: hostile-normal
version: 1.0.0
tasks:
  - { id: greet, tool: echo, with: { text: "{{ 'hello ' & input.name }}" } }
  - { id: sum, type: aggregate, outputs: { n: "{{ $count([1..10]) }}", m: "{{ $match('abc', /b/).match }}" } }
`);

/** Run `def`, expect it to fail; the failure's type and message, and how long the run took. */
async function failure(def: CompiledDefinition, input: unknown = {}) {
  const started = Date.now();
  const { workflowId } = await flowstate.start(def, input);
  const error = await flowstate.result(workflowId).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowFailedError);
  const cause = (error as WorkflowFailedError).cause as { type?: string; message: string };
  return { type: cause.type, message: cause.message, ms: Date.now() - started, workflowId };
}

/** Every activity attempt (normal or local) that failed in a run: attempt number and retryable or not. */
async function failedAttempts(workflowId: string) {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const byId = new Map(events.map((e) => [String(e.eventId), e]));
  const remote = events
    .filter((e) => e.activityTaskFailedEventAttributes)
    .map((e) => {
      const a = e.activityTaskFailedEventAttributes!;
      const started = byId.get(String(a.startedEventId))?.activityTaskStartedEventAttributes;
      return {
        attempt: started?.attempt ?? 0,
        nonRetryable: !!a.failure?.applicationFailureInfo?.nonRetryable,
      };
    });
  const local = events
    .filter((e) => e.markerRecordedEventAttributes?.failure)
    .map((e) => {
      const data = e.markerRecordedEventAttributes!.details?.data?.payloads?.[0]?.data;
      const attempt = data ? (JSON.parse(Buffer.from(data).toString()) as { attempt?: number }).attempt : 1;
      const info = e.markerRecordedEventAttributes!.failure!;
      const app = info.applicationFailureInfo ?? info.cause?.applicationFailureInfo;
      return { attempt: attempt ?? 1, nonRetryable: !!app?.nonRetryable };
    });
  return [...remote, ...local];
}

/** The bomb failed once, at once, typed, naming the limit; the same worker process then serves a normal run. */
async function expectContained(
  def: CompiledDefinition,
  expression: string,
  limit: RegExp,
  input: unknown = {},
) {
  const f = await failure(def, input);
  expect(f.type).toBe('ExpressionError');
  // The message names the limit and the expression (an echo's also the task path, `bomb: `).
  expect(f.message).toMatch(limit);
  expect(f.message).toContain(expression);
  expect(f.ms).toBeLessThan(15_000);
  const attempts = await failedAttempts(f.workflowId);
  expect(attempts).toEqual([{ attempt: 1, nonRetryable: true }]);
  const ok = await flowstate.result((await flowstate.start(normal, { name: 'there' })).workflowId);
  expect(ok.output).toEqual({ n: 10, m: 'b' });
  expect(worker.child.pid).toBe(pid);
  expect(worker.child.exitCode).toBeNull();
  expect(worker.child.signalCode).toBeNull();
}

const PAD = "$length($pad('', 400000000, 'x'))";
const PAD_BOMB = `{{ ${PAD} }}`;
const PAD_LIMIT =
  /\$pad: width 400000000 is over the limit of \d+ characters.*FLOWSTATE_EXPR_MAX_RESULT_BYTES/;

describe('row 1: a $pad bomb', () => {
  test('in an aggregate: fails with the $pad limit, the worker goes on', async () => {
    const def = compileYaml(`
id: hostile-pad-aggregate
version: 1.0.0
tasks:
  - { id: bomb, type: aggregate, outputs: { n: "${PAD_BOMB}" } }
`);
    await expectContained(def, PAD, PAD_LIMIT);
  });

  test("in an echo task's with: fails with the $pad limit, the worker goes on", async () => {
    const def = compileYaml(`
id: hostile-pad-echo
version: 1.0.0
tasks:
  - { id: bomb, tool: echo, with: { n: "${PAD_BOMB}" } }
`);
    await expectContained(def, PAD, PAD_LIMIT);
  });
});

describe('row 3: a catastrophic regular expression', () => {
  test('$match(s, /^(a+)+$/) on 34 a and !: stopped at the time limit, the worker goes on', async () => {
    const def = compileYaml(`
id: hostile-regex
version: 1.0.0
tasks:
  - { id: bomb, tool: echo, with: { m: "{{ $match(input.s, /^(a+)+$/) }}" } }
`);
    const limit = /time limit of 1000 ms \(FLOWSTATE_EXPR_TIMEOUT_MS; regular expressions included\)/;
    await expectContained(def, '$match(input.s, /^(a+)+$/)', limit, { s: `${'a'.repeat(34)}!` });
  });
});
