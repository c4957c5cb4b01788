/**
 * The package's library API (`import { FlowstateClient, defineTool, createWorker } from 'flowstate'`):
 * the typed client, definitions loaded from files, tools, and the worker. The test kit has its own entry,
 * `flowstate/testkit` (it is only for tests, and Jest-minded).
 */
export {
  FlowstateClient,
  ConnectionError,
  InputError,
  settingsFromEnv,
  type ConnectionSettings,
  type DecisionInput,
  type GateView,
  type RunResult,
  type RunState,
  type StartOptions,
  type RunRef,
  type RunSummary,
  InboxError,
  type InboxEntry,
  type InboxOptions,
  type InboxWho,
} from './client';
export { loadFile, DefinitionLoadError } from './client/definitions';
export { defineTool, builtinTools, ToolRegistry, type Tool, type ToolCall } from './activities';
export { createWorker, WORKFLOWS_PATH, type FlowstateWorkerOptions } from './worker';
export { createWorkerFromEnv, loadToolModules, type EnvWorker } from './worker-main';
