/**
 * Durability on the real server: a worker killed with SIGKILL mid-task or mid-gate, the dev server
 * stopped and started again on its SQLite file, and 100 runs waiting at gates at once. Each test
 * checks that nothing is lost and nothing is done twice beyond at-least-once activity semantics.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { NativeConnection } from '@temporalio/worker';
import { FlowstateClient } from '../../src/client';
import { startDevServer } from '../../src/server/dev-server';
import { freePort } from '../../src/server/free-port';
import { createWorker } from '../../src/worker';
import { exampleTools } from '../../examples/tools';
import { compileYaml, loadExample } from '../harness/definitions';
import { spawnWorker } from '../harness/worker-process';
import { readProbe } from '../harness/file-probe-tools';
import { eventually } from '../harness/eventually';

const TOOLS = path.resolve(__dirname, '../harness/file-probe-tools.ts');

describe('a worker killed with SIGKILL', () => {
  let client: FlowstateClient;
  let probe: string;
  const taskQueue = `durability-${randomUUID().slice(0, 8)}`;
  const address = () => process.env.FLOWSTATE_TEST_ADDRESS!;

  beforeAll(async () => {
    client = await FlowstateClient.connect({ address: address(), namespace: 'default', taskQueue });
    probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-probe-')), 'probe.log');
  });
  afterAll(() => client.close());

  const def = compileYaml(`
id: crash-mid-task
version: 1.0.0
tasks:
  - { id: first, tool: slow-step, with: { label: first, ms: 0 } }
  - id: slow
    tool: slow-step
    with: { label: slow, ms: 4000 }
    heartbeat: 2s
    retry: { max_attempts: 5, initial_interval: 200ms }
  - { id: last, type: aggregate, outputs: { first: "{{ tasks.first.output }}", slow: "{{ tasks.slow.output }}" } }
`);

  test('mid-task: a new worker finishes the run with the same result; done steps are not redone', async () => {
    const env = { FLOWSTATE_PROBE_FILE: probe };
    const w1 = await spawnWorker({ address: address(), taskQueue, toolModules: [TOOLS], env });
    const { workflowId } = await client.start(def, {});
    await eventually(
      () => readProbe(probe),
      (lines) => lines.includes('slow started 1'),
    );
    await w1.kill9();
    const w2 = await spawnWorker({ address: address(), taskQueue, toolModules: [TOOLS], env });
    try {
      const crashed = await client.result(workflowId);
      const undisturbed = await client.result((await client.start(def, {})).workflowId);
      expect(crashed.output).toEqual(undisturbed.output);
      expect(crashed.output).toEqual({
        first: { label: 'first', done: true },
        slow: { label: 'slow', done: true },
      });
      const lines = readProbe(probe);
      // Two runs: `first` ran once per run; `slow` of the crashed run was retried (at-least-once).
      expect(lines.filter((l) => l.startsWith('first started'))).toHaveLength(2);
      expect(lines).toContain('slow started 2');
      expect(lines.filter((l) => l === 'slow finished 1')).toHaveLength(1); // only the undisturbed run's
    } finally {
      await w2.stop();
    }
  });

  test('at a gate: a new worker picks the run up and the approval completes it', async () => {
    const gated = await loadExample('document-approval');
    const w1 = await spawnWorker({ address: address(), taskQueue });
    const { workflowId } = await client.start(gated, { title: 'Crash' });
    await eventually(
      () => client.state(workflowId),
      (s) => s.pending_gates.length === 1,
    );
    await w1.kill9();
    const w2 = await spawnWorker({ address: address(), taskQueue });
    try {
      await client.decide(workflowId, { gate: 'draft', decision: 'approve', by: 'editor' });
      expect((await client.result(workflowId)).output).toEqual({ published: 'Crash', revision: 0 });
    } finally {
      await w2.stop();
    }
  });
});

test('the dev server stopped and started again on its SQLite file: runs at gates complete', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-restart-'));
  const dbFile = path.join(dir, 'temporal.db');
  const port = await freePort();
  const taskQueue = 'restart';
  const gated = await loadExample('document-approval');

  async function up() {
    const server = await startDevServer({ dbFile, port, ui: false });
    const connection = await NativeConnection.connect({ address: server.address });
    const worker = await createWorker({ connection, taskQueue, tools: exampleTools });
    const running = worker.run();
    const client = await FlowstateClient.connect({
      address: server.address,
      namespace: 'default',
      taskQueue,
    });
    return {
      client,
      down: async () => {
        worker.shutdown();
        await running;
        await connection.close();
        await client.close();
        await server.stop();
      },
    };
  }

  let node = await up();
  const ids: string[] = [];
  for (const title of ['A', 'B', 'C']) ids.push((await node.client.start(gated, { title })).workflowId);
  for (const id of ids)
    await eventually(
      () => node.client.state(id),
      (s) => s.pending_gates.length === 1,
    );
  await node.down();

  node = await up();
  try {
    for (const id of ids) await node.client.decide(id, { gate: 'draft', decision: 'approve', by: 'chief' });
    const outputs = await Promise.all(ids.map(async (id) => (await node.client.result(id)).output));
    expect(outputs).toEqual(['A', 'B', 'C'].map((title) => ({ published: title, revision: 0 })));
  } finally {
    await node.down();
  }
});

test('100 runs waiting at gates, approved in random order, all complete with the right results', async () => {
  const taskQueue = `hundred-${randomUUID().slice(0, 8)}`;
  const connection = await NativeConnection.connect({ address: process.env.FLOWSTATE_TEST_ADDRESS! });
  const worker = await createWorker({
    connection,
    taskQueue,
    tools: exampleTools,
    workflowBundle: { codePath: process.env.FLOWSTATE_TEST_BUNDLE! },
  });
  const running = worker.run();
  const client = await FlowstateClient.connect({
    address: process.env.FLOWSTATE_TEST_ADDRESS!,
    namespace: 'default',
    taskQueue,
  });
  try {
    const gated = await loadExample('document-approval');
    const ids = await Promise.all(
      Array.from(
        { length: 100 },
        async (_, i) => (await client.start(gated, { title: `doc-${i}` })).workflowId,
      ),
    );
    await Promise.all(
      ids.map((id) =>
        eventually(
          () => client.state(id),
          (s) => s.pending_gates.length === 1,
          60_000,
        ),
      ),
    );
    // A fixed-seed shuffle: random order, the same on every run of the test.
    const order = [...ids.keys()];
    let seed = 42;
    for (let i = order.length - 1; i > 0; i--) {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      const j = seed % (i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    for (const i of order)
      await client.decide(ids[i], { gate: 'draft', decision: 'approve', by: i % 2 ? 'editor' : 'chief' });
    const results = await Promise.all(ids.map((id) => client.result(id)));
    results.forEach((r, i) => {
      expect(r.output).toEqual({ published: `doc-${i}`, revision: 0 });
      expect(r.decisions).toHaveLength(1);
    });
  } finally {
    worker.shutdown();
    await running;
    await client.close();
    await connection.close();
  }
});
