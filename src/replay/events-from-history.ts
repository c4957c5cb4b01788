/**
 * Events of a run rebuilt from its history: the history is replayed against the interpreter with the
 * event sink called during replay, so finished runs show the events they emitted live: the same numbers,
 * types, paths and data. Times agree to within a workflow task: a step finished inside a chain of
 * local activities is timed by the worker's clock live and by the recorded workflow task on replay.
 */
import { Worker } from '@temporalio/worker';
import type { History } from './history-json';
import { workflowBundleFor } from '../workflow-bundle';
import type { FlowEvent } from '../events/types';

let bundle: Promise<{ codePath: string }> | undefined;

/** The worker's workflow bundle (prebuilt, or rebuilt once when stale), once per process. */
function workflowBundle(): Promise<{ codePath: string }> {
  bundle ??= workflowBundleFor();
  return bundle;
}

/** Replay `history` and collect the events the run emitted, in order. Works on a run still in progress. */
export async function eventsFromHistory(workflowId: string, history: History): Promise<FlowEvent[]> {
  const events: FlowEvent[] = [];
  await Worker.runReplayHistory(
    {
      workflowBundle: await workflowBundle(),
      replayName: 'flowstate-events',
      sinks: {
        flowstateEvents: {
          emit: { fn: (_info, event: FlowEvent) => void events.push(event), callDuringReplay: true },
        },
      },
    },
    history,
    workflowId,
  );
  return events;
}
