/**
 * The run's event stream, workflow side: numbered and timed here, delivered by the worker's sink.
 * Sinks add nothing to history and are not called on replay, so a step is never emitted twice.
 */
import { proxySinks, workflowInfo } from '@temporalio/workflow';
import type { EventType, FlowstateSinks } from '../contract/events';

const { flowstateEvents } = proxySinks<FlowstateSinks>();

/** The run's lifecycle events, numbered, sent through the worker's sink (replay-safe). */
export class EventStream {
  private seq = 0;

  emit(type: EventType, path?: string, data?: Record<string, unknown>): void {
    const { workflowId, runId } = workflowInfo();
    flowstateEvents.emit({
      type,
      workflowId,
      runId,
      ...(path !== undefined ? { path } : {}),
      at: new Date().toISOString(),
      seq: ++this.seq,
      ...(data !== undefined ? { data } : {}),
    });
  }
}
