/** `flowstate history`, `events` and `replay`: a run's event history, its lifecycle events, replaying it. */
import type { Command } from 'commander';
import { note, out } from '../output';
import { installNativeRuntime, withClient } from './client';

/** `history`: export a run's history as JSON (the format of test/histories). */
export function historyCommand(program: Command): void {
  program
    .command('history')
    .description("export a run's event history as JSON (the format the replay tests read)")
    .argument('<workflowId>')
    .addHelpText(
      'after',
      '\nExample:\n  $ flowstate history order-saga-1a2b3c4d > test/histories/order-saga-incident.json',
    )
    .action(async (id: string) =>
      withClient(async (client) => {
        const { historyToJSON } =
          require('../../replay/history-json') as typeof import('../../replay/history-json');
        out(historyToJSON(await client.client.workflow.getHandle(id).fetchHistory()));
      }),
    );
}

/** `events`: lifecycle events rebuilt from the history (replayed), optionally followed. */
export function eventsCommand(program: Command): void {
  program
    .command('events')
    .description(
      "print a run's lifecycle events (rebuilt from its history; --follow prints new ones as they happen)",
    )
    .argument('<workflowId>')
    .option('--follow', 'keep printing new events until the run ends')
    .option('--json', 'one JSON object per line')
    .addHelpText(
      'after',
      '\nExamples:\n  $ flowstate events order-saga-1a2b3c4d\n  $ flowstate events document-approval-1a2b3c4d --follow --json',
    )
    .action(async (id: string, o: { follow?: boolean; json?: boolean }) => {
      installNativeRuntime();
      const { eventsFromHistory } =
        require('../../replay/events-from-history') as typeof import('../../replay/events-from-history');
      const { eventLine } = require('../format') as typeof import('../format');
      await withClient(async (client) => {
        const handle = client.client.workflow.getHandle(id);
        let printed = 0;
        for (;;) {
          const events = await eventsFromHistory(id, await handle.fetchHistory());
          for (const e of events.slice(printed)) out(o.json ? JSON.stringify(e) : eventLine(e));
          printed = Math.max(printed, events.length);
          if (!o.follow || (await handle.describe()).status.name !== 'RUNNING') break;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      });
    });
}

/** `replay`: replay history files against this interpreter; exit 1 when any diverges. */
export function replayCommand(program: Command): void {
  program
    .command('replay')
    .description('replay exported histories against this version of the interpreter (no server needed)')
    .argument('<files...>', "history JSON files (from 'flowstate history' or test/histories/)")
    .addHelpText(
      'after',
      '\nExample:\n  $ flowstate history order-saga-1a2b > run.json && flowstate replay run.json',
    )
    .action(async (files: string[]) => {
      installNativeRuntime();
      const { replayHistoryFiles } = require('../../replay') as typeof import('../../replay');
      const results = await replayHistoryFiles(files);
      for (const r of results)
        (r.ok ? process.stdout : process.stderr).write(r.ok ? `ok ${r.file}\n` : `${r.error?.message}\n`);
      const failed = results.filter((r) => !r.ok).length;
      note(`${results.length - failed} replayed, ${failed} failed`);
      if (failed > 0) process.exitCode = 1;
    });
}
