/**
 * Lifecycle events on the real server: the exact sequence of a run with a parallel, a router, a retry
 * and a gate; the same events rebuilt from history (times within a workflow task); no duplicates when another worker takes over a
 * run; a webhook receiver gets every event, and one that is down does not slow the run.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { onEvent, startWebhook, type FlowEvent } from '../../src/events';
import { eventsFromHistory } from '../../src/replay/events-from-history';
import { createWorker } from '../../src/worker';
import { FlowstateClient } from '../../src/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';
import { Probe } from '../harness/probe-tools';

const probe = new Probe();
const env = useTestEnv({ tools: probe.tools() });

/** Events of one run, as the worker's bus delivered them live. */
function collect(): { of(workflowId: string): FlowEvent[]; stop(): void } {
  const seen: FlowEvent[] = [];
  const stop = onEvent('*', (e) => void seen.push(e));
  return { of: (id) => seen.filter((e) => e.workflowId === id), stop };
}

const def = compileYaml(`
id: events-demo
version: 1.0.0
tasks:
  - id: fan
    type: parallel
    tasks:
      - { id: a, tool: echo, with: 1 }
      - id: b
        tool: flaky
        with: { label: ev, succeed_on: 2 }
        retry: { max_attempts: 3, initial_interval: 200ms }
  - id: pick
    type: router
    condition: "'x'"
    routes: { x: { id: on-x, tool: echo, with: x } }
  - { id: review, tool: echo, with: doc, acceptance: { acceptors: [ed] } }
`);

const brief = (events: FlowEvent[]) => events.map((e) => `${e.type}${e.path ? ` ${e.path}` : ''}`);

/**
 * Rebuilt events equal live ones, but for `at`: a step finished inside a chain of local activities is
 * timed by the worker's clock live and by the recorded workflow task on replay, a few ms apart.
 */
function expectSameEvents(rebuilt: FlowEvent[], live: FlowEvent[]): void {
  const without = (es: FlowEvent[]) => es.map(({ at: _at, ...rest }) => rest);
  expect(without(rebuilt)).toEqual(without(live));
  rebuilt.forEach((e, i) => expect(Math.abs(Date.parse(e.at) - Date.parse(live[i].at))).toBeLessThan(1_000));
}

test('the exact event sequence, numbered per run, and the same rebuilt from history', async () => {
  const live = collect();
  try {
    const { workflowId } = await env.start(def);
    await eventually(
      () => env.flowstate.state(workflowId),
      (s) => s.pending_gates.length === 1,
    );
    await env.flowstate.decide(workflowId, { gate: 'review', decision: 'approve', by: 'ed' });
    await env.flowstate.result(workflowId);
    const events = await eventually(
      () => live.of(workflowId),
      (es) => es.some((e) => e.type === 'run.completed'),
    );

    expect(brief(events)).toEqual([
      'run.started',
      'task.started fan',
      'child.started fan',
      'child.started fan',
      'task.started fan/a',
      'task.started fan/b',
      'task.completed fan/a',
      'child.finished fan',
      'task.retried fan/b',
      'task.completed fan/b',
      'child.finished fan',
      'task.completed fan',
      'task.started pick',
      'branch.chosen pick',
      'child.started pick',
      'task.started pick/on-x',
      'task.completed pick/on-x',
      'child.finished pick',
      'task.completed pick',
      'task.started review',
      'task.completed review',
      'gate.waiting review',
      'gate.decided review',
      'run.completed',
    ]);
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events.find((e) => e.type === 'task.retried')?.data).toEqual({ attempts: 2 });
    expect(events.find((e) => e.type === 'branch.chosen')?.data).toEqual({ route: 'x', value: 'x' });
    expect(events.find((e) => e.type === 'gate.decided')?.data).toEqual({
      decision: 'approve',
      by: 'ed',
      revision: 0,
    });
    for (const e of events) expect(Date.parse(e.at)).not.toBeNaN();

    expectSameEvents(
      await eventsFromHistory(workflowId, await env.client.workflow.getHandle(workflowId).fetchHistory()),
      events,
    );
  } finally {
    live.stop();
  }
});

test('another worker taking over a run mid-way emits nothing twice', async () => {
  const live = collect();
  const taskQueue = `${env.taskQueue}-takeover`;
  const client = new FlowstateClient(env.client, { address: env.address, namespace: 'default', taskQueue });
  const codePath = process.env.FLOWSTATE_TEST_BUNDLE!;
  const start = async () => {
    const worker = await createWorker({
      connection: env.nativeConnection,
      taskQueue,
      tools: probe.tools(),
      workflowBundle: { codePath },
    });
    return { worker, running: worker.run() };
  };
  try {
    const first = await start();
    const { workflowId } = await client.start(def);
    await eventually(
      () => client.state(workflowId),
      (s) => s.pending_gates.length === 1,
    );
    first.worker.shutdown();
    await first.running;
    const second = await start();
    try {
      await client.decide(workflowId, { gate: 'review', decision: 'approve', by: 'ed' });
      await client.result(workflowId);
      const events = await eventually(
        () => live.of(workflowId),
        (es) => es.some((e) => e.type === 'run.completed'),
      );
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expectSameEvents(
        await eventsFromHistory(workflowId, await env.client.workflow.getHandle(workflowId).fetchHistory()),
        events,
      );
    } finally {
      second.worker.shutdown();
      await second.running;
    }
  } finally {
    live.stop();
  }
});

describe('webhook', () => {
  const simple = compileYaml(`
id: events-webhook
version: 1.0.0
tasks:
  - { id: one, tool: echo, with: 1 }
  - { id: two, tool: echo, with: 2 }
`);

  test('a receiver on loopback gets every event of the run', async () => {
    const received: FlowEvent[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.end('ok');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const webhook = startWebhook({
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`,
    });
    try {
      const { workflowId } = await env.start(simple);
      await env.flowstate.result(workflowId);
      const mine = await eventually(
        () => received.filter((e) => e.workflowId === workflowId),
        (es) => es.some((e) => e.type === 'run.completed'),
      );
      expect(brief(mine)).toEqual([
        'run.started',
        'task.started one',
        'task.completed one',
        'task.started two',
        'task.completed two',
        'run.completed',
      ]);
    } finally {
      await webhook.stop();
      server.close();
    }
  });

  test('a receiver that is down does not slow the run; its events wait in the queue', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    const webhook = startWebhook({ url: `http://127.0.0.1:${port}/events`, initialDelayMs: 1_000 });
    try {
      const started = Date.now();
      const { workflowId } = await env.start(simple);
      await env.flowstate.result(workflowId);
      expect(Date.now() - started).toBeLessThan(3_000);
      expect(webhook.pending()).toBeGreaterThan(0);
    } finally {
      await webhook.stop(0);
    }
  });
});
