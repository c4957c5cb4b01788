/**
 * What an integration test file needs: a client on the harness's dev server, a worker of its own on
 * a task queue of its own, and a way to compile definitions. Call `useTestEnv()` at the top of a
 * describe block; it starts the worker before the tests and stops it after.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime, DefaultLogger, type Worker } from '@temporalio/worker';
import { createWorker, type FlowstateWorkerOptions } from '../../src/worker';
import type { Tool } from '../../src/activities';
import type { TaskTypeRegistry } from '../../src/contract/registry';
import type { CompiledDefinition } from '../../src/contract/compiled';
import type { RunResult } from '../../src/workflows/api';
import { FlowstateClient, type RunRef } from '../../src/client';

let runtimeInstalled = false;

export interface TestEnv {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  address: string;
  taskQueue: string;
  worker: Worker;
  /** The public client API, on this file's task queue. */
  flowstate: FlowstateClient;
  /** Start a run of a compiled definition on this file's task queue. */
  start(definition: CompiledDefinition, input?: unknown, workflowId?: string): Promise<RunRef>;
  /** Start and wait for the result. */
  run(definition: CompiledDefinition, input?: unknown): Promise<RunResult>;
  /** The environment of a child process (the CLI, an example script) on this file's server and queue. */
  processEnv(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
}

export function useTestEnv(
  options: {
    tools?: Tool<any, any>[];
    agents?: FlowstateWorkerOptions['agents'];
    worker?: FlowstateWorkerOptions['worker'];
    /** The worker's task types; default: the built-in ones. */
    types?: TaskTypeRegistry;
  } = {},
): TestEnv {
  const env = {} as TestEnv;
  let running: Promise<void> | undefined;
  beforeAll(async () => {
    const address = process.env.FLOWSTATE_TEST_ADDRESS;
    const codePath = process.env.FLOWSTATE_TEST_BUNDLE;
    if (!address || !codePath)
      throw new Error('integration tests run through jest with the harness (npm test)');
    if (!runtimeInstalled) {
      Runtime.install({ logger: new DefaultLogger('WARN') });
      runtimeInstalled = true;
    }
    env.address = address;
    env.taskQueue = `test-${expect.getState().testPath?.split('/').pop()?.replace(/\W+/g, '-')}-${randomUUID().slice(0, 8)}`;
    env.connection = await Connection.connect({ address });
    env.client = new Client({ connection: env.connection });
    env.nativeConnection = await NativeConnection.connect({ address });
    env.worker = await createWorker({
      connection: env.nativeConnection,
      taskQueue: env.taskQueue,
      tools: options.tools,
      ...(options.agents ? { agents: options.agents } : {}),
      ...(options.types ? { types: options.types } : {}),
      workflowBundle: { codePath },
      worker: options.worker,
    });
    running = env.worker.run();
    env.flowstate = new FlowstateClient(env.client, {
      address,
      namespace: 'default',
      taskQueue: env.taskQueue,
    });
    env.start = (definition, input = {}, workflowId) =>
      env.flowstate.start(definition, input, workflowId ? { workflowId } : {});
    env.run = async (definition, input) =>
      env.flowstate.result((await env.start(definition, input)).workflowId);
    env.processEnv = (extra = {}) => ({
      ...process.env,
      TEMPORAL_ADDRESS: env.address,
      FLOWSTATE_TASK_QUEUE: env.taskQueue,
      FLOWSTATE_LOG_LEVEL: 'warn',
      ...extra,
    });
  });
  afterAll(async () => {
    if (env.worker && env.worker.getState() === 'RUNNING') env.worker.shutdown();
    await running;
    await env.nativeConnection?.close();
    await env.connection?.close();
  });
  return env;
}
