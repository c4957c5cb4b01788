/**
 * Worker bootstrap: the interpreter workflow and the `createTaskState` activity on one task queue,
 * with the built-in task types and tools plus the caller's.
 */
import { Worker, type InjectedSinks, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import type { Tool } from './activities';
import { lazyActivities } from './activities/lazy';
import type { AgentCaller } from './contract/orchestrator';
import type { TaskTypeRegistry } from './contract/registry';
import { DEFAULT_TASK_QUEUE } from './workflows/api';
import { eventSinks } from './events/bus';
// The secrets' modules, not their index: its expression parsing (jsonata) loads with the first task.
import { registerSecretValues } from './secrets/registry';
import { Secrets, type SecretSource } from './secrets/resolver';
import type { FlowstateSinks } from './contract/events';
import { warmExpressionBox, withExpressionBox } from './expressions/box';
import { makeVerifyDecider, verifierFromEnv, type DeciderVerifier } from './auth';

export interface FlowstateWorkerOptions {
  connection: NativeConnection;
  namespace?: string;
  taskQueue?: string;
  /** Tools besides the built-ins (`echo`, `http`); a tool of the same name replaces a built-in. */
  tools?: Tool<any, any>[];
  agents?: AgentCaller;
  /** The task types the worker runs; default: the built-in ones (`builtinTaskTypes()`). */
  types?: TaskTypeRegistry;
  /**
   * A workflow bundle built by the caller (tests build it once); default: `workflowBundleFor`, the
   * one `npm run build` wrote, or a rebuild when the sources changed since (with the interceptor
   * modules of `worker.interceptors.workflowModules` bundled in).
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /**
   * The secrets templates may read as `secrets.NAME`; default: the names `FLOWSTATE_SECRETS` allows,
   * from this process's environment. The test kit passes its stubs.
   */
  secrets?: SecretSource;
  /**
   * Worker Deployment Versioning (`deploymentFromEnv`): the deployment this worker belongs to, its
   * build id (default: the workflow bundle's content hash) and how runs move between builds. Default:
   * none, an unversioned worker.
   */
  deployment?: DeploymentSettings;
  /**
   * Who verifies deciders' tokens (the `verifyDecider` local activity); default: the verifier
   * `FLOWSTATE_AUTH_*` configure, if any. `null`: none (decisions are taken as they say).
   */
  verifier?: DeciderVerifier | null;
  /**
   * Stack frames the workflow threads keep (`withWorkflowStackFrames`); default:
   * FLOWSTATE_WORKFLOW_STACK_FRAMES, else 5.
   */
  workflowStackFrames?: number;
  /**
   * Workflow tasks the worker takes at once (`maxConcurrentWorkflowTaskExecutions`); default:
   * FLOWSTATE_WORKFLOW_TASK_SLOTS, else 8. Left to the SDK when `worker` gives a `tuner`.
   */
  workflowTaskSlots?: number;
  /** Extra Temporal worker options (concurrency, caching, interceptors...). */
  worker?: Partial<WorkerOptions>;
}

import { bundleHash, WORKFLOWS_PATH, workflowBundleFor } from './workflow-bundle';
import { withWorkflowStackFrames, workflowStackFramesFromEnv } from './workflow-stack-frames';
import { workflowTaskSlotsFromEnv } from './workflow-task-slots';
import { workerDeploymentOptions, type DeploymentSettings } from './worker-deployment';

export { WORKFLOWS_PATH };

/** A worker for the interpreter on the task queue: its activities bound to the task types, tools and agents given. */
export async function createWorker(options: FlowstateWorkerOptions): Promise<Worker> {
  const secrets = options.secrets ?? Secrets.fromEnv(process.env);
  // Log lines and events have no run to ask: they are redacted of every value the process resolved.
  if (secrets instanceof Secrets) registerSecretValues(secrets.values());
  const verifier =
    options.verifier === undefined ? verifierFromEnv(process.env) : (options.verifier ?? undefined);
  const workflowModules = options.worker?.interceptors?.workflowModules ?? [];
  const bundled = options.workflowBundle === undefined;
  const workflowBundle = options.workflowBundle ?? (await workflowBundleFor(workflowModules));
  const codePath = 'codePath' in workflowBundle ? workflowBundle.codePath : undefined;
  const deployment = options.deployment && {
    workerDeploymentOptions: workerDeploymentOptions(options.deployment, codePath && bundleHash(codePath)),
  };
  const frames = options.workflowStackFrames ?? workflowStackFramesFromEnv();
  // The SDK refuses both a tuner and a slot count: a caller's tuner sizes the slots itself.
  const slots = options.worker?.tuner
    ? {}
    : { maxConcurrentWorkflowTaskExecutions: options.workflowTaskSlots ?? workflowTaskSlotsFromEnv() };
  const worker = await withWorkflowStackFrames(frames, () =>
    Worker.create({
      connection: options.connection,
      namespace: options.namespace ?? 'default',
      taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
      workflowBundle,
      // Loaded on the first task (./activities/lazy): the task types, built-in tools and expressions.
      activities: {
        ...lazyActivities(() => {
          warmExpressionBox();
          const { builtinTools, ToolRegistry } = require('./activities') as typeof import('./activities');
          const { builtinTaskTypes } =
            require('./orchestrators/registry') as typeof import('./orchestrators/registry');
          return {
            types: options.types ?? builtinTaskTypes(),
            tools: new ToolRegistry([...builtinTools, ...(options.tools ?? [])]),
            ...(options.agents ? { agents: options.agents } : {}),
            secrets,
          };
        }),
        verifyDecider: makeVerifyDecider(verifier),
      },
      // Heartbeats reach the server within a second, so a cancelled branch learns it promptly.
      maxHeartbeatThrottleInterval: '1s',
      defaultHeartbeatThrottleInterval: '1s',
      ...slots,
      ...deployment,
      ...options.worker,
      // The interceptor modules are in the bundle built for them; the SDK would warn it ignores them.
      ...(bundled && options.worker?.interceptors
        ? { interceptors: { ...options.worker.interceptors, workflowModules: [] } }
        : {}),
      sinks: withEventBus(options.worker?.sinks),
    }),
  );
  // The expression box's evaluator processes start on the first task and stop when run() ends.
  return withExpressionBox(worker);
}

/**
 * The sinks given, with lifecycle events going to the worker's bus (onEvent, the webhook) and to a
 * `flowstateEvents` sink given (the task counters of `workerObservabilityFromEnv`), in that order.
 */
function withEventBus(sinks: WorkerOptions['sinks'] = {}): WorkerOptions['sinks'] {
  const bus = eventSinks().flowstateEvents.emit;
  const given = (sinks as Partial<InjectedSinks<FlowstateSinks>>).flowstateEvents?.emit;
  if (!given) return { ...sinks, flowstateEvents: { emit: bus } };
  const fn: typeof bus.fn = (info, event) => {
    bus.fn(info, event);
    given.fn(info, event);
  };
  return { ...sinks, flowstateEvents: { emit: { fn, callDuringReplay: false } } };
}
