/** `flowstate schedule`: run a definition on a Temporal Schedule, and list, trigger or delete schedules. */
import type { Command } from 'commander';
import { CliError, note, out } from '../output';
import { runInput } from './args';
import { withClient } from './client';

interface ScheduleOptions {
  cron?: string;
  every?: string;
  timezone?: string;
  input?: string;
  inputFile?: string;
  id?: string;
  list?: boolean;
  trigger?: string;
  delete?: string;
}

/** `schedule`: create a schedule (cron or interval), or manage them with --list, --trigger, --delete. */
export function scheduleCommand(program: Command): void {
  program
    .command('schedule')
    .description(
      'run a definition on a Temporal Schedule (cron or interval); --list, --trigger and --delete manage schedules',
    )
    .argument('[definition]', 'a file (definitions/x.yaml) or id[@version] from the registry')
    .option('--cron <expr>', "cron expression, e.g. '0 8 * * *' (UTC unless --timezone)")
    .option('--every <duration>', 'interval, e.g. 1h or 30m')
    .option('--timezone <tz>', 'time zone of --cron, e.g. Europe/Paris')
    .option('--input <json>', 'input of every run, as JSON')
    .option('--input-file <file>', 'input of every run, from a JSON file')
    .option('--id <scheduleId>', 'schedule id (default <definition>-schedule)')
    .option('--list', 'list the schedules of definitions')
    .option('--trigger <scheduleId>', 'start a run of a schedule now')
    .option('--delete <scheduleId>', 'delete a schedule (runs it started are left alone)')
    .addHelpText(
      'after',
      `\nExamples:\n  $ flowstate schedule definitions/scheduled-report.yaml --cron '0 8 * * MON-FRI' --input '{"team":"payments"}'\n  $ flowstate schedule definitions/hello.yaml --every 1h --id hourly-hello --input '{"name":"Ada"}'\n  $ flowstate schedule --list\n  $ flowstate schedule --delete hourly-hello\n\nEach run is pinned to the definition as it was when the schedule was created.`,
    )
    .action(async (ref: string | undefined, o: ScheduleOptions) => {
      const manage = [o.list, o.trigger, o.delete].filter(Boolean).length;
      if (manage > 1 || (manage === 1 && ref))
        throw new CliError('give a definition to schedule, or one of --list, --trigger ID, --delete ID', 2);
      if (o.list) return showSchedules();
      if (o.trigger || o.delete) return triggerOrDelete(o);
      return newSchedule(ref, o);
    });
}

/** `--list`: one line per schedule: id, definition, spec, next run. */
async function showSchedules(): Promise<void> {
  const { listSchedules } = require('../../testkit/schedule') as typeof import('../../testkit/schedule');
  return withClient(async (client) => {
    const rows = await listSchedules(client.client);
    for (const r of rows)
      out(
        `${r.scheduleId}\t${r.definition ?? '-'}\t${r.spec ?? '-'}\t${r.paused ? 'paused' : `next ${r.next?.toISOString() ?? '-'}`}`,
      );
    if (rows.length === 0) note('no schedules');
  });
}

/** `--trigger ID` or `--delete ID`. */
async function triggerOrDelete(o: ScheduleOptions): Promise<void> {
  const { deleteSchedule, triggerSchedule } =
    require('../../testkit/schedule') as typeof import('../../testkit/schedule');
  const id = (o.trigger ?? o.delete)!;
  return withClient(async (client) => {
    if (o.trigger) await triggerSchedule(client.client, id);
    else await deleteSchedule(client.client, id);
    out(`${o.trigger ? 'triggered' : 'deleted'} schedule ${id}`);
  });
}

/** A new schedule of `ref`; prints its id. */
async function newSchedule(ref: string | undefined, o: ScheduleOptions): Promise<void> {
  if (!ref)
    throw new CliError('name the definition to schedule (or use --list, --trigger ID, --delete ID)', 2);
  if ((o.cron === undefined) === (o.every === undefined))
    throw new CliError("give exactly one of --cron '<expr>' or --every <duration>", 2);
  if (o.every !== undefined && !/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(o.every))
    throw new CliError(`--every ${o.every}: expected a duration such as 30s, 5m, 1h or 1d`, 2);
  const input = runInput(o);
  const { loadForRun } = require('../../client/definitions') as typeof import('../../client/definitions');
  const { createSchedule } = require('../../testkit/schedule') as typeof import('../../testkit/schedule');
  const definition = await loadForRun(ref);
  await withClient(async (client) => {
    const id = await createSchedule(client.client, definition, {
      ...(o.id ? { scheduleId: o.id } : {}),
      ...(o.cron !== undefined ? { cron: o.cron } : { every: o.every! }),
      ...(o.timezone ? { timezone: o.timezone } : {}),
      input,
      taskQueue: client.settings.taskQueue,
    });
    out(id);
    note(
      `schedule ${id} runs ${definition.id}@${definition.version} ${o.cron !== undefined ? `on cron '${o.cron}'` : `every ${o.every}`} (flowstate schedule --list; --delete ${id})`,
    );
  });
}
