/**
 * Metrics, logs and tracing on the real dev server, wired the way a worker process wires them: the Runtime
 * installed from the environment (`FLOWSTATE_METRICS_PORT` on a free port), the worker created by
 * `createWorker` with `workerObservabilityFromEnv()` (so it bundles the workflow code with
 * Flowstate's workflow interceptors). After runs with successes, a retried attempt, a failed task
 * and two gates (one decided by update, one by signal), the Prometheus endpoint serves Temporal's
 * own metrics and Flowstate's counters and gate wait histogram, and the pino log lines about tasks
 * carry the workflow id and the task path. With `FLOWSTATE_TRACING=otlp`, a run's spans reach an
 * OTLP/HTTP receiver as one trace, from the client's start to each activity.
 *
 * This file builds its own worker instead of `useTestEnv`: the Runtime (where the Prometheus
 * exporter lives) can be installed once per process, before any connection, and `useTestEnv`
 * installs its own.
 */
import http from 'node:http';
import net from 'node:net';
import { Writable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { z } from 'zod';
import { ApplicationFailure } from '@temporalio/common';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { createWorker } from '../../src/worker';
import { defineTool } from '../../src/activities';
import { FlowstateClient } from '../../src/client';
import {
  clientObservabilityFromEnv,
  installRuntime,
  runtimeOptionsFromEnv,
  workerObservabilityFromEnv,
} from '../../src/observability';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';

const logLines: Array<Record<string, unknown>> = [];
const logStream = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logLines.push(JSON.parse(line));
    done();
  },
});

let port = 0;
let nativeConnection: NativeConnection;
let connection: Connection;
let worker: Worker;
let running: Promise<void>;
let flowstate: FlowstateClient;
const taskQueue = `test-metrics-${randomUUID().slice(0, 8)}`;

/** Fails its first attempt (retryable), succeeds on the second. */
const attempts = new Map<string, number>();
const flaky = defineTool({
  name: 'flaky',
  input: z.object({ key: z.string() }),
  run: ({ key }) => {
    const n = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, n);
    if (n === 1) throw ApplicationFailure.retryable('first attempt fails', 'Flaky');
    return { attempts: n };
  },
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as net.AddressInfo;
      server.close(() => resolve(p));
    });
  });
}

beforeAll(async () => {
  const address = process.env.FLOWSTATE_TEST_ADDRESS;
  if (!address) throw new Error('integration tests run through jest with the harness (npm test)');
  port = await freePort();
  const env = { FLOWSTATE_METRICS_PORT: String(port), FLOWSTATE_METRICS_HOST: '127.0.0.1' };
  installRuntime(runtimeOptionsFromEnv(env, pino({ level: 'debug' }, logStream)));
  nativeConnection = await NativeConnection.connect({ address });
  worker = await createWorker({
    connection: nativeConnection,
    taskQueue,
    tools: [flaky],
    worker: workerObservabilityFromEnv(env).workerOptions,
  });
  running = worker.run();
  connection = await Connection.connect({ address });
  flowstate = new FlowstateClient(new Client({ connection }), { address, namespace: 'default', taskQueue });
}, 120_000);

afterAll(async () => {
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await nativeConnection?.close();
  await connection?.close();
});

/** Sum of a metric's samples whose labels include `labels`. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? ([-+\d.eE]+|NaN|\+Inf)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries(
      [...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]),
    );
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) total += Number(m[3]);
  }
  return total;
}

async function scrape(): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

const work = compileYaml(`
id: metrics-work
version: 1.0.0
tasks:
  - id: both
    type: parallel
    tasks:
      - { id: left, tool: echo, with: { side: left } }
      - { id: right, tool: echo, with: { side: right } }
  - id: retried
    tool: flaky
    with: { key: "{{ workflow.id }}" }
    retry: { max_attempts: 3, initial_interval: 100ms }
  - id: broken
    tool: no-such-tool
    on_error: { next: recover }
  - id: recover
    type: aggregate
    outputs: { recovered: "{{ error.type }}" }
`);

const gated = compileYaml(`
id: metrics-gates
version: 1.0.0
tasks:
  - id: draft
    tool: echo
    with: { text: draft }
    acceptance: { acceptors: [editor] }
  - id: review
    tool: echo
    with: { text: review }
    acceptance: { acceptors: [editor] }
`);

test('the Prometheus endpoint serves Temporal metrics and Flowstate task counters and gate wait times', async () => {
  const before = await scrape();
  const q = { taskQueue };

  const { workflowId: workId } = await flowstate.start(work, {});
  expect((await flowstate.result(workId)).output).toEqual({ recovered: 'ToolNotFound' });

  const { workflowId: gateId } = await flowstate.start(gated, {});
  const pending = (gate: string) =>
    eventually(
      () => flowstate.state(gateId),
      (s) => s.pending_gates.some((g) => g.gate === gate),
    );
  await pending('draft');
  await new Promise((r) => setTimeout(r, 300));
  await flowstate.decide(gateId, { gate: 'draft', decision: 'approve', by: 'editor' });
  await pending('review');
  await flowstate.signal(gateId, 'approve', { by: 'intruder' }); // not an acceptor: ignored by the run and the clock
  await new Promise((r) => setTimeout(r, 300));
  await flowstate.signal(gateId, 'approve', { by: 'editor' });
  await flowstate.result(gateId);

  const text = await eventually(
    scrape,
    (t) =>
      sample(t, 'flowstate_gate_wait_seconds_count', { definition: 'metrics-gates' }) >= 2 &&
      sample(t, 'temporal_workflow_completed', { workflow_type: 'interpret', task_queue: taskQueue }) >= 2,
  );
  expect(sample(before, 'flowstate_tasks_started')).toBe(0);

  // Temporal's own worker metrics are there.
  expect(
    sample(text, 'temporal_workflow_completed', { workflow_type: 'interpret', task_queue: taskQueue }),
  ).toBe(2);
  expect(
    sample(text, 'temporal_activity_execution_latency_count', { activity_type: 'createTaskState' }),
  ).toBeGreaterThan(0);

  // Flowstate's counters, by task type. metrics-work: parallel + 2 echo + flaky + broken + aggregate;
  // metrics-gates: 2 echo.
  expect(sample(text, 'flowstate_tasks_started', { ...q, task_type: 'basic' })).toBe(6);
  expect(sample(text, 'flowstate_tasks_started', { ...q, task_type: 'parallel' })).toBe(1);
  expect(sample(text, 'flowstate_tasks_started', { ...q, task_type: 'aggregate' })).toBe(1);
  expect(sample(text, 'flowstate_tasks_completed', { ...q, task_type: 'basic' })).toBe(5);
  expect(sample(text, 'flowstate_tasks_completed', { ...q, task_type: 'parallel' })).toBe(1);
  expect(sample(text, 'flowstate_tasks_failed', { ...q, task_type: 'basic' })).toBe(1);
  expect(sample(text, 'flowstate_task_attempt_failures', { ...q, task_type: 'basic' })).toBe(1);

  // Gate waits: one decided by the update, one by the signal; each waited at least ~300 ms.
  const gate = { definition: 'metrics-gates', decision: 'approve' };
  expect(sample(text, 'flowstate_gate_wait_seconds_count', gate)).toBe(2);
  expect(sample(text, 'flowstate_gate_wait_seconds_sum', gate)).toBeGreaterThanOrEqual(0.5);
  expect(sample(text, 'flowstate_gate_wait_seconds_bucket', { ...gate, le: '60' })).toBe(2);

  // Logs: the SDK's and the interceptor's lines about a task carry the workflow id and task path.
  const taskLines = logLines.filter((l) => l.workflowId === workId && l.taskPath === 'retried');
  expect(taskLines.map((l) => l.msg)).toEqual(expect.arrayContaining(['Activity failed', 'task completed']));
  expect(taskLines.find((l) => l.msg === 'Activity failed')).toMatchObject({
    level: 40,
    taskType: 'basic',
    err: { message: 'first attempt fails' },
  });
});

const waiter = compileYaml(`
id: metrics-waiter
version: 1.0.0
tasks:
  - { id: listen, type: wait, wait_for: ping, timeout: 1m }
`);

const everyKind = compileYaml(`
id: metrics-every-kind
version: 1.0.0
tasks:
  - id: pick
    type: router
    condition: "{{ 'a' }}"
    routes:
      a: { id: routed, tool: echo, with: { x: 1 } }
  - id: fan
    type: parallel
    tasks:
      - { id: one, tool: echo }
      - { id: two, tool: echo }
  - { id: skipped, tool: echo, if: "{{ false }}" }
  - id: notify
    type: signal
    signal: { name: ping, workflow_id: "{{ input.waiter }}", payload: { ok: true } }
  - id: lost
    type: signal
    signal: { name: ping, workflow_id: "{{ input.waiter & '-no-such-run' }}" }
    on_error: { next: deaf }
  - id: deaf
    type: wait
    wait_for: never-sent
    timeout: 200ms
    on_error: { next: end }
  - { id: end, type: aggregate, outputs: { done: true } }
`);

test('every task that ends counts once, by type and outcome: signals, waits that time out, routes, branches', async () => {
  const q = { taskQueue };
  const counts = (text: string) => {
    const out: Record<string, number> = {};
    for (const type of ['basic', 'router', 'parallel', 'signal', 'wait', 'aggregate'])
      for (const what of ['started', 'completed', 'failed'])
        out[`${type} ${what}`] = sample(text, `flowstate_tasks_${what}`, { ...q, task_type: type });
    return out;
  };
  const before = counts(await scrape());
  const { workflowId: waiterId } = await flowstate.start(waiter, {});
  await eventually(
    () => flowstate.state(waiterId),
    (s) => s.running.includes('listen'),
  );
  const { workflowId } = await flowstate.start(everyKind, { waiter: waiterId });
  expect((await flowstate.result(workflowId)).output).toEqual({ done: true });
  expect((await flowstate.result(waiterId)).output).toEqual({ ok: true });

  const expected: Record<string, number> = {
    // routed, one, two, skipped (a skipped task completes with null)
    'basic started': 4,
    'basic completed': 4,
    'basic failed': 0,
    'router started': 1,
    'router completed': 1,
    'router failed': 0,
    'parallel started': 1,
    'parallel completed': 1,
    'parallel failed': 0,
    // notify reached the waiter; lost had no run to reach
    'signal started': 2,
    'signal completed': 1,
    'signal failed': 1,
    // the waiter's listen got its signal; deaf timed out
    'wait started': 2,
    'wait completed': 1,
    'wait failed': 1,
    'aggregate started': 1,
    'aggregate completed': 1,
    'aggregate failed': 0,
  };
  const delta = (after: Record<string, number>) =>
    Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - before[k]]));
  const after = await eventually(
    async () => delta(counts(await scrape())),
    (d) => d['aggregate completed'] >= 1 && d['wait completed'] >= 1,
  );
  expect(after).toEqual(expected);
});

describe('tracing (FLOWSTATE_TRACING=otlp)', () => {
  interface Span {
    name: string;
    traceId: string;
  }
  const received: Span[] = [];
  let receiver: http.Server;
  let tracedWorker: Worker;
  let tracedRunning: Promise<void>;
  let observability: ReturnType<typeof workerObservabilityFromEnv>;
  const tracedQueue = `test-tracing-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    // An OTLP/HTTP receiver: the exporter posts JSON to /v1/traces.
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        const data = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Span[] }> }> };
        for (const r of data.resourceSpans) for (const s of r.scopeSpans) received.push(...s.spans);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const env = {
      FLOWSTATE_TRACING: 'otlp',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}`,
    };
    observability = workerObservabilityFromEnv(env);
    tracedWorker = await createWorker({
      connection: nativeConnection,
      taskQueue: tracedQueue,
      worker: observability.workerOptions,
    });
    tracedRunning = tracedWorker.run();
  }, 120_000);

  afterAll(async () => {
    if (tracedWorker?.getState() === 'RUNNING') tracedWorker.shutdown();
    await tracedRunning;
    await observability?.shutdown();
    await new Promise((r) => receiver?.close(r));
  });

  test("a run is one trace: the client's start, the workflow, each activity", async () => {
    const { interceptors } = clientObservabilityFromEnv({ FLOWSTATE_TRACING: 'otlp' });
    expect(interceptors).toBeDefined();
    const traced = new FlowstateClient(new Client({ connection, interceptors }), {
      address: '',
      namespace: 'default',
      taskQueue: tracedQueue,
    });
    const def = compileYaml(`
id: traced
version: 1.0.0
tasks:
  - { id: hello, tool: echo, with: { hi: there } }
`);
    const { workflowId } = await traced.start(def, {});
    expect((await traced.result(workflowId)).output).toEqual({ hi: 'there' });
    const spans = await eventually(
      async () => {
        await observability.tracing!.flush();
        return received;
      },
      (all) =>
        ['StartWorkflow:interpret', 'RunWorkflow:interpret', 'RunActivity:createTaskState'].every((n) =>
          all.some((s) => s.name === n),
        ),
    );
    const start = spans.find((s) => s.name === 'StartWorkflow:interpret')!;
    const trace = spans.filter((s) => s.traceId === start.traceId).map((s) => s.name);
    expect(trace).toEqual(
      expect.arrayContaining([
        'StartWorkflow:interpret',
        'RunWorkflow:interpret',
        'StartActivity:createTaskState',
        'RunActivity:createTaskState',
      ]),
    );
  });
});
