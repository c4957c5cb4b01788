/**
 * `flowstate worker`: connects from the environment (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE,
 * FLOWSTATE_TASK_QUEUE) and runs until SIGINT/SIGTERM, which drain it gracefully.
 */
import path from 'node:path';
import type { Tool } from './activities';
import { connectWorker, settingsFromEnv, type ConnectionSettings } from './connection';
import type { Worker } from '@temporalio/worker';
import type { AgentCaller } from './contract/orchestrator';
import type { TaskTypeRegistry } from './contract/registry';
import { logger } from './logging';
import { agentsFromEnv } from './agents/from-env';
import { installWorkerRuntime, workerObservabilityFromEnv } from './observability';
import { dataConverterFromEnv } from './codec';
import { webhookFromEnv } from './events/webhook';
import { createWorker } from './worker';
import { allowedSecretNames } from './secrets/allowed';
import { Secrets } from './secrets/resolver';
import { EnvError } from './env';
import { limitsFromEnv } from './expressions/box/limits';
import { maxResponseBytesFromEnv } from './activities/builtin-tools/bounded-body';
import { deploymentFromEnv } from './worker-deployment';
import { workflowStackFramesFromEnv } from './workflow-stack-frames';
import { workflowTaskSlotsFromEnv } from './workflow-task-slots';
import { authConfigFromEnv, keySourceSummary, verifierFromEnv } from './auth';

export interface WorkerMainOptions {
  /** Modules (paths) whose `tools` export (or default export) is an array of tools. */
  toolModules: string[];
  /** Register the example tools of `examples/tools` (what the example definitions call). */
  examples: boolean;
}

/** Load tools from modules given on the command line. */
export async function loadToolModules(modules: string[]): Promise<Tool<any, any>[]> {
  const tools: Tool<any, any>[] = [];
  for (const m of modules) {
    // require, not import(): under tsx/cjs (bin/flowstate.js) it loads TypeScript modules too.
    const mod = require(path.resolve(m));
    const list = mod.tools ?? mod.default;
    if (!Array.isArray(list))
      throw new Error(`${m} exports no 'tools' array (export const tools = [defineTool(...)])`);
    tools.push(...list);
  }
  return tools;
}

/** A worker wired as in production, and how to close what it opened. */
export interface EnvWorker {
  worker: Worker;
  /** Close the connection, flush traces, drain the webhook (after the worker stopped). */
  close(): Promise<void>;
}

/**
 * A worker configured from the environment, the same for `flowstate worker` and `npm start`: the
 * runtime first (SDK logs through pino, Prometheus on FLOWSTATE_METRICS_PORT), task metrics and
 * tracing, payload encryption (FLOWSTATE_ENCRYPTION_KEY), the events webhook (FLOWSTATE_WEBHOOK_URL), the secrets templates may read (FLOWSTATE_SECRETS).
 * The task types are the built-in ones unless `types` says otherwise (loaded on the first task).
 */
export async function createWorkerFromEnv(options: {
  settings: ConnectionSettings;
  tools: Tool<any, any>[];
  agents?: AgentCaller;
  types?: TaskTypeRegistry;
}): Promise<EnvWorker> {
  installWorkerRuntime();
  const observability = workerObservabilityFromEnv();
  const dataConverter = dataConverterFromEnv();
  const { settings } = options;
  // Limits read lazily by the tasks that use them fail here instead, at start (exit 2), not per task.
  checkLimitsFromEnv();
  // FLOWSTATE_SECRETS and the values it names: a bad list fails here, before anything opens.
  const secrets = Secrets.fromEnv(process.env);
  // FLOWSTATE_DEPLOYMENT_NAME and friends: a versioned worker (none: unversioned, as before).
  const deployment = deploymentFromEnv(process.env);
  // FLOWSTATE_AUTH_*: a verifier that cannot work (both kinds set, an unreadable JWKS file) fails here.
  const verifier = verifierFromEnv(process.env) ?? null;
  // Read before connecting and bundling, so a bad FLOWSTATE_WEBHOOK_URL fails at once.
  const webhook = webhookFromEnv();
  const connection = await connectWorker(settings).catch(async (e: unknown) => {
    await webhook?.stop(0);
    throw e;
  });
  const worker = await createWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    tools: options.tools,
    ...(options.agents ? { agents: options.agents } : {}),
    ...(options.types ? { types: options.types } : {}),
    secrets,
    ...(deployment ? { deployment } : {}),
    verifier,
    worker: { ...observability.workerOptions, ...(dataConverter ? { dataConverter } : {}) },
  });
  return {
    worker,
    async close() {
      await connection.close();
      await observability.shutdown();
      await webhook?.stop();
    },
  };
}

/** How many workflow tasks the worker takes at once, for its start log line; a tuner's kind when it is not a fixed number. */
function workflowTaskSlotsLog(worker: Worker): number | string {
  const tuner = worker.options.tuner;
  const supplier = 'workflowTaskSlotSupplier' in tuner ? tuner.workflowTaskSlotSupplier : undefined;
  if (!supplier) return 'resource-based';
  return supplier.type === 'fixed-size' ? supplier.numSlots : supplier.type;
}

/** The deployment version and versioning behavior of a versioned worker, for its start log line; null: unversioned. */
function deploymentLog(worker: Worker): Record<string, string> | null {
  const o = worker.options.workerDeploymentOptions;
  if (!o?.useWorkerVersioning) return null;
  return {
    name: o.version.deploymentName,
    buildId: o.version.buildId,
    behavior: o.defaultVersioningBehavior,
  };
}

/**
 * FLOWSTATE_EXPR_*, FLOWSTATE_HTTP_MAX_RESPONSE_BYTES, FLOWSTATE_WORKFLOW_STACK_FRAMES and
 * FLOWSTATE_WORKFLOW_TASK_SLOTS, read now: a value that cannot work is an EnvError.
 */
function checkLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  try {
    limitsFromEnv(env);
    maxResponseBytesFromEnv(env);
    workflowStackFramesFromEnv(env);
    workflowTaskSlotsFromEnv(env);
  } catch (e) {
    throw new EnvError((e as Error).message);
  }
}

/** Run a worker configured from the environment (tools, agents, observability) until it shuts down, then close what it opened. */
export async function runWorkerFromEnv(options: WorkerMainOptions): Promise<void> {
  const settings = settingsFromEnv();
  const examples = options.examples
    ? (require('../examples/tools') as typeof import('../examples/tools')).exampleTools
    : [];
  const tools = [...examples, ...(await loadToolModules(options.toolModules))];
  // Read the agents file before connecting, so a bad file fails fast with file:line:col.
  const agents = agentsFromEnv();
  const { worker, close } = await createWorkerFromEnv({ settings, tools, ...(agents ? { agents } : {}) });
  logger.info(
    {
      address: settings.address,
      namespace: settings.namespace,
      taskQueue: settings.taskQueue,
      tools: tools.map((t) => t.name),
      agents: process.env.FLOWSTATE_AGENTS ?? null,
      secrets: allowedSecretNames(),
      deployment: deploymentLog(worker),
      workflowTaskSlots: workflowTaskSlotsLog(worker),
      verifier: authSummary(),
    },
    'worker running',
  );
  try {
    await worker.run();
  } finally {
    await close();
  }
}

/** What the worker verifies deciders with, for its start line (never a secret or a URL's credentials). */
function authSummary(): string | null {
  const config = authConfigFromEnv(process.env);
  return config ? keySourceSummary(config.keys) : null;
}
