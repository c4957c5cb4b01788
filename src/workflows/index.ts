/** Workflow entry point bundled by the worker: the interpreter and its child workflows. */
export { interpret } from './interpret';
export { interpretRuns } from './runs';
export { interpretTask } from './task-run';
