/** Workflow entry point bundled by the worker: the one interpreter workflow. */
export { interpret } from './interpret';
