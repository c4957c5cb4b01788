/**
 * The worker's in-process event bus: the interpreter's sink delivers each event here, and worker
 * code subscribes with `onEvent`. A handler that throws is logged and never affects the run. An event
 * that holds a secret's value (one the worker resolved) reaches handlers with `***` instead.
 */
import type { InjectedSinks } from '@temporalio/worker';
import { logger } from '../logging';
import { processRedactor } from '../secrets/registry';
import type { EventType, FlowEvent, FlowstateSinks } from './types';

type Handler = (event: FlowEvent) => void | Promise<void>;
const handlers = new Map<EventType | '*', Set<Handler>>();

/** Subscribe to one event type (or `*` for all); returns the unsubscribe function. */
export function onEvent(type: EventType | '*', handler: Handler): () => void {
  const set = handlers.get(type) ?? new Set<Handler>();
  set.add(handler);
  handlers.set(type, set);
  return () => void set.delete(handler);
}

/** Deliver an event to its handlers (never throws, never waits for them). */
export function dispatch(sent: FlowEvent): void {
  const event = processRedactor().json(sent);
  for (const handler of [...(handlers.get(event.type) ?? []), ...(handlers.get('*') ?? [])]) {
    try {
      void Promise.resolve(handler(event)).catch((e) =>
        logger.warn({ err: e, event: event.type }, 'event handler failed'),
      );
    } catch (e) {
      logger.warn({ err: e, event: event.type }, 'event handler failed');
    }
  }
}

/**
 * The sink the workflow emits through. Not called on replay: a worker that picks up a run after a
 * crash replays its history silently and only emits what happens from then on.
 */
export function eventSinks(deliver: (event: FlowEvent) => void = dispatch): InjectedSinks<FlowstateSinks> {
  return { flowstateEvents: { emit: { fn: (_info, event) => deliver(event), callDuringReplay: false } } };
}
