/**
 * Temporal Schedules of definitions (`flowstate schedule`): a schedule whose action starts the
 * `interpret` workflow with a compiled definition and an input, on a cron expression or an interval.
 * Each scheduled run is pinned to the definition as it was when the schedule was created; change the
 * definition, then create the schedule again.
 */
import type { Client } from '@temporalio/client';
import { checkInput } from '../client/input';
import { runVisibility } from '../client';
import { durationMs } from '../contract/fields';
import type { CompiledDefinition } from '../contract/compiled';
import { WORKFLOW_TYPE, type InterpretInput } from '../workflows/api';

export interface ScheduleOptions {
  /** Default: `<definition id>-schedule`. */
  scheduleId?: string;
  /** A cron expression (`0 8 * * *`: every day at 08:00 UTC). */
  cron?: string;
  /** An interval: a duration such as `1h` or `30m`. */
  every?: string;
  input?: unknown;
  taskQueue: string;
  /** Set Flowstate's search attributes on the runs (the server must have them). Default true. */
  searchAttributes?: boolean;
  /** Time zone of the cron expression (IANA name); default UTC. */
  timezone?: string;
}

export interface ScheduleRow {
  scheduleId: string;
  definition?: string;
  /** `cron 0 8 * * *` or `every 1h`. */
  spec?: string;
  paused: boolean;
  next?: Date;
  /** Workflow ids of the most recent runs it started, oldest first. */
  recent: string[];
}

/** Create a schedule that runs `definition` with `input`; returns its id. */
export async function createSchedule(
  client: Client,
  definition: CompiledDefinition,
  options: ScheduleOptions,
): Promise<string> {
  if ((options.cron === undefined) === (options.every === undefined)) {
    throw new Error(
      'a schedule needs exactly one of cron (a cron expression) or every (a duration such as 1h)',
    );
  }
  const input = options.input ?? {};
  checkInput(definition, input);
  const scheduleId = options.scheduleId ?? `${definition.id}-schedule`;
  const spec = options.cron !== undefined ? `cron ${options.cron}` : `every ${options.every}`;
  const visibility = runVisibility(definition, options.searchAttributes !== false);
  const handle = await client.schedule.create({
    scheduleId,
    spec: {
      ...(options.cron !== undefined
        ? { cronExpressions: [options.cron] }
        : { intervals: [{ every: durationMs(options.every!) }] }),
      ...(options.timezone ? { timezone: options.timezone } : {}),
    },
    action: {
      type: 'startWorkflow',
      workflowType: WORKFLOW_TYPE,
      // The server appends the scheduled time: runs read `<schedule id>-<time>` in the Web UI.
      workflowId: scheduleId,
      taskQueue: options.taskQueue,
      args: [{ definition, input } as InterpretInput],
      ...visibility,
      memo: { ...visibility.memo, schedule: scheduleId },
      staticSummary: `${definition.id}@${definition.version} (schedule ${scheduleId})`,
    },
    memo: { definition: `${definition.id}@${definition.version}`, spec },
  });
  return handle.scheduleId;
}

/** Schedules whose action starts the interpreter. */
export async function listSchedules(client: Client): Promise<ScheduleRow[]> {
  const rows: ScheduleRow[] = [];
  for await (const s of client.schedule.list()) {
    if (s.action?.workflowType !== WORKFLOW_TYPE) continue;
    const memo = (s.memo ?? {}) as { definition?: string; spec?: string };
    rows.push({
      scheduleId: s.scheduleId,
      ...(memo.definition ? { definition: memo.definition } : {}),
      ...(memo.spec ? { spec: memo.spec } : {}),
      paused: s.state.paused,
      ...(s.info.nextActionTimes[0] ? { next: s.info.nextActionTimes[0] } : {}),
      recent: s.info.recentActions.map((a) => a.action.workflow.workflowId),
    });
  }
  return rows.sort((a, b) => a.scheduleId.localeCompare(b.scheduleId));
}

/** Delete a Temporal Schedule by id. */
export async function deleteSchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).delete();
}

/** Start a run of the schedule now (besides its times). */
export async function triggerSchedule(client: Client, scheduleId: string): Promise<void> {
  await client.schedule.getHandle(scheduleId).trigger();
}
