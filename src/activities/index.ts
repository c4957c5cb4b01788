/** The worker's activities: just `createTaskState`, bound to the worker's task types, tools and agents. */
import { makeCreateTaskState, type ActivityDeps } from './create-task-state';

/** The activities a worker registers, bound to its task types, tools and agents. */
export function createActivities(deps: ActivityDeps) {
  return { createTaskState: makeCreateTaskState(deps) };
}

export { ToolRegistry, defineTool, type Tool, type ToolCall } from './tools';
export { builtinTools } from './builtin-tools';
export type { CreateTaskStateInput, ActivityDeps } from './create-task-state';
