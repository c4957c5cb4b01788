/**
 * Lifecycle events: what happened in a run, step by step. The types and schema are part of the
 * contract (`src/contract/events.ts`), shared with the workflow code that emits them; this module
 * re-exports them for the worker side.
 */
export { EVENT_TYPES, FlowEvent, type EventType, type FlowstateSinks } from '../contract/events';
