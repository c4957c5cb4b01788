/**
 * How a case's run ended: its status, output or failure, and what its state and the worker's event
 * bus left (paths, outputs, decisions, calls, events), for the expectations.
 */
import { ApplicationFailure, CancelledFailure, TerminatedFailure, TimeoutFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import type { FlowstateClient } from '../client';
import type { CompiledDefinition } from '../contract/compiled';
import type { FlowEvent } from '../events/types';
import type { RunOutcome } from './expect';
import { pollUntil } from './poll';
import type { CaseBinding } from './stubs';

/** Wait for the run to end (until `deadline`: then it is `running`), then read what it left. */
export async function runOutcome(
  client: FlowstateClient,
  id: string,
  definition: CompiledDefinition,
  ended: Promise<{ output: unknown }>,
  deadline: number,
  binding: CaseBinding,
  events: boolean,
): Promise<RunOutcome> {
  let status: RunOutcome['status'] = 'completed';
  let output: unknown;
  let error: RunOutcome['error'];
  const left = Math.max(0, deadline - Date.now());
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), left)));
  try {
    const got = await Promise.race([ended, timedOut]);
    if (got === 'timeout') status = 'running';
    else output = got.output;
  } catch (e) {
    ({ status, error } = failureOf(e));
  } finally {
    clearTimeout(timer);
  }
  const state = await client.state(id).catch(() => undefined);
  const paths = state?.completed ?? [];
  if (events && status !== 'running') await settled(binding.events, id);
  const outputFrom = definition.outputTask
    ? '$output'
    : ([...paths].reverse().find((p) => !/[/[]/.test(p)) ?? paths[paths.length - 1]);
  return {
    status,
    ...(status === 'completed' ? { output } : {}),
    ...(error ? { error } : {}),
    paths,
    outputs: state?.outputs ?? {},
    decisions: state?.decisions ?? [],
    calls: binding.calls,
    events: binding.events.filter((e) => e.workflowId === id),
    ...(outputFrom ? { outputFrom } : {}),
  };
}

/** The worker's sink delivers events a moment after the workflow task: wait (briefly) for the run's last one. */
async function settled(events: FlowEvent[], workflowId: string): Promise<void> {
  const last = new Set(['run.completed', 'run.failed', 'run.cancelled']);
  const seen = () => events.some((e) => e.workflowId === workflowId && last.has(e.type));
  await pollUntil(seen, { until: (yes: boolean) => yes, timeoutMs: 1_000, intervalMs: 50 }).catch(
    () => undefined,
  );
}

/** How a run failed: its status, and for a task failure the type, message and task path. */
export function failureOf(e: unknown): {
  status: RunOutcome['status'];
  error: NonNullable<RunOutcome['error']>;
} {
  const cause = e instanceof WorkflowFailedError ? e.cause : e;
  if (cause instanceof CancelledFailure)
    return { status: 'cancelled', error: { type: 'Cancelled', message: cause.message } };
  if (cause instanceof TerminatedFailure)
    return { status: 'terminated', error: { type: 'Terminated', message: cause.message } };
  if (cause instanceof TimeoutFailure)
    return { status: 'timed_out', error: { type: 'Timeout', message: cause.message } };
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { task?: unknown } | undefined;
    return {
      status: 'failed',
      error: {
        type: cause.type ?? 'Error',
        message: cause.message,
        ...(typeof detail?.task === 'string' ? { task: detail.task } : {}),
      },
    };
  }
  const err = cause as Error | undefined;
  return { status: 'failed', error: { type: err?.name ?? 'Error', message: err?.message ?? String(e) } };
}
