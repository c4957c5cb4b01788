/**
 * Worker bootstrap: the interpreter workflow and the `createTaskState` activity on one task queue,
 * with the built-in task types and tools plus the caller's.
 */
import { Worker, type NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createActivities, builtinTools, ToolRegistry, type Tool } from './activities';
import type { AgentCaller } from './contract/orchestrator';
import type { TaskTypeRegistry } from './contract/registry';
import { builtinTaskTypes } from './orchestrators/registry';
import { DEFAULT_TASK_QUEUE } from './workflows/api';
import { eventSinks } from './events/bus';

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
  /** Extra Temporal worker options (concurrency, caching, interceptors...). */
  worker?: Partial<WorkerOptions>;
}

import { WORKFLOWS_PATH, workflowBundleFor } from './workflow-bundle';

export { WORKFLOWS_PATH };

/** A worker for the interpreter on the task queue: its activities bound to the task types, tools and agents given. */
export async function createWorker(options: FlowstateWorkerOptions): Promise<Worker> {
  const tools = new ToolRegistry([...builtinTools, ...(options.tools ?? [])]);
  const workflowModules = options.worker?.interceptors?.workflowModules ?? [];
  const bundled = options.workflowBundle === undefined;
  const workflowBundle = options.workflowBundle ?? (await workflowBundleFor(workflowModules));
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace ?? 'default',
    taskQueue: options.taskQueue ?? DEFAULT_TASK_QUEUE,
    workflowBundle,
    activities: createActivities({
      types: options.types ?? builtinTaskTypes(),
      tools,
      ...(options.agents ? { agents: options.agents } : {}),
    }),
    // Heartbeats reach the server within a second, so a cancelled branch learns it promptly.
    maxHeartbeatThrottleInterval: '1s',
    defaultHeartbeatThrottleInterval: '1s',
    ...options.worker,
    // The interceptor modules are in the bundle built for them; the SDK would warn it ignores them.
    ...(bundled && options.worker?.interceptors
      ? { interceptors: { ...options.worker.interceptors, workflowModules: [] } }
      : {}),
    // Lifecycle events go to the worker's bus (onEvent, the webhook), besides any sinks given.
    sinks: { ...eventSinks(), ...options.worker?.sinks },
  });
}
