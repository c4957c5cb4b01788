/** Workflow entry point bundled by the worker: the interpreter and its batch child workflow. */
export { interpret } from './interpret';
export { interpretRuns } from './runs';
