/** `flowstate run`, `status`, `signal`, `result`, `cancel` and `list`: start runs and follow them. */
import { Option, type Command } from 'commander';
import { RUN_STATUSES } from '../../contract/run-status';
import { note, out, outJson } from '../output';
import { parseJson, runInput } from './args';
import { finishedError, follow, requireWorker, withClient } from './client';

/** `run`: start a run of a file or a registry reference; `--wait` prints its output. */
export function runCommand(program: Command): void {
  program
    .command('run')
    .description('start a run of a definition file or a registry reference id[@version]')
    .argument('<definition>', 'a file (definitions/x.yaml) or id[@version] from the registry')
    .option('--input <json>', 'workflow input as JSON')
    .option('--input-file <file>', 'workflow input from a JSON file')
    .option('--id <workflowId>', 'workflow id (default <definition>-<short id>)')
    .option('--wait', 'wait for the result and print it, with live progress')
    .option('--token <jwt>', "the starter's token (default: FLOWSTATE_TOKEN): recorded as started_by")
    .addHelpText(
      'after',
      `\nExamples:\n  $ flowstate run definitions/hello.yaml --input '{"name":"Ada"}' --wait\n  $ flowstate run parallel-analysis@1.2.0 --input-file input.json`,
    )
    .action(
      async (
        ref: string,
        o: { input?: string; inputFile?: string; id?: string; wait?: boolean; token?: string },
      ) => {
        const input = runInput(o);
        const { loadForRun } =
          require('../../client/definitions') as typeof import('../../client/definitions');
        const definition = await loadForRun(ref);
        await withClient(async (client) => {
          const token = o.token ?? (process.env.FLOWSTATE_TOKEN || undefined);
          const run = await client.start(definition, input, {
            ...(o.id ? { workflowId: o.id } : {}),
            ...(token ? { token } : {}),
          });
          note(`started ${run.workflowId} (${definition.id}@${definition.version})`);
          if (!o.wait) {
            out(run.workflowId);
            return;
          }
          const result = client.result(run.workflowId);
          await follow(client, run.workflowId, result);
          outJson((await result).output);
        });
      },
    );
}

/** `status`: task paths and states, pending gates and how to decide them. */
export function statusCommand(program: Command): void {
  program
    .command('status')
    .description('show a run: task paths and their states, pending gates and how to decide them')
    .argument('<workflowId>')
    .option('--json', 'print the state query result as JSON')
    .option('--watch', 'keep showing progress until the run ends')
    .option(
      '--task <path>',
      "print one completed task's output in full, as JSON (what --json summarises past 16 KiB)",
    )
    .addHelpText(
      'after',
      "\nExamples:\n  $ flowstate status document-approval-1a2b3c4d\n  $ flowstate status document-approval-1a2b3c4d --json | jq .pending_gates\n  $ flowstate status map-reduce-1a2b3c4d --task 'summarise[3]/count' > count.json",
    )
    .action(async (id: string, o: { json?: boolean; watch?: boolean; task?: string }) =>
      withClient(async (client) => {
        let run = await requireWorker(client, id);
        if (o.task !== undefined) return outJson(await client.taskOutput(id, o.task));
        if (o.watch) {
          await follow(client, id, client.client.workflow.getHandle(id).result());
          run = await client.describe(id);
        }
        const state = await client.currentState(id, run);
        if (o.json) return outJson(state);
        const ended = ['failed', 'terminated', 'timed_out'].includes(state.status);
        const failure = ended ? await client.failure(id) : undefined;
        const withToken = Boolean(process.env.FLOWSTATE_TOKEN);
        out((require('../format') as typeof import('../format')).statusText(id, state, failure, withToken));
      }),
    );
}

/** `signal`: a named signal with an optional JSON payload. */
export function signalCommand(program: Command): void {
  program
    .command('signal')
    .description('send a signal to a run (a wait_for name, pause, resume)')
    .argument('<workflowId>')
    .argument('<name>')
    .option('--payload <json>', 'signal payload as JSON')
    .addHelpText(
      'after',
      `\nExample:\n  $ flowstate signal handshake-pong-1a2b ping --payload '{"token":"t1"}'`,
    )
    .action(async (id: string, name: string, o: { payload?: string }) => {
      const payload = o.payload === undefined ? undefined : parseJson(o.payload, '--payload');
      await withClient(async (client) => {
        try {
          await client.signal(id, name, payload);
        } catch (e) {
          throw (await finishedError(client, id, `'${name}' not sent`)) ?? e;
        }
        out(`sent '${name}' to ${id}`);
      });
    });
}

/** `result`: wait for the run and print its output. */
export function resultCommand(program: Command): void {
  program
    .command('result')
    .description('wait for a run to end and print its output as JSON')
    .argument('<workflowId>')
    .addHelpText('after', '\nExample:\n  $ flowstate result hello-1a2b3c4d > output.json')
    .action(async (id: string) =>
      withClient(async (client) => {
        const result = client.result(id);
        await follow(client, id, result, { progress: false });
        outJson((await result).output);
      }),
    );
}

/** `cancel`: request cancellation. */
export function cancelCommand(program: Command): void {
  program
    .command('cancel')
    .description('cancel a run')
    .argument('<workflowId>')
    .addHelpText('after', '\nExample:\n  $ flowstate cancel handshake-pong-1a2b3c4d')
    .action(async (id: string) =>
      withClient(async (client) => {
        const finished = await finishedError(client, id, 'nothing to cancel');
        if (finished) throw finished;
        await client.cancel(id);
        out(`cancel requested for ${id}`);
      }),
    );
}

/** `list`: runs, newest first, by status and definition. */
export function listCommand(program: Command): void {
  program
    .command('list')
    .description('list runs, newest first')
    .addOption(
      new Option('--status <status>', "the run's status (running: still open in Temporal)").choices(
        RUN_STATUSES,
      ),
    )
    .option('--definition <id>', 'only runs of this definition')
    .option('--limit <n>', 'at most this many', '50')
    .addHelpText(
      'after',
      '\nExamples:\n  $ flowstate list --status waiting_acceptance\n  $ flowstate list --definition order-saga --limit 10',
    )
    .action(async (o: { status?: string; definition?: string; limit: string }) =>
      withClient(async (client) => {
        const runs = await client.list({
          status: o.status,
          definition: o.definition,
          limit: Number(o.limit),
        });
        for (const r of runs)
          out(
            `${r.workflowId}\t${r.definition ?? '-'}@${r.version ?? '-'}\t${r.status}\t${r.startTime.toISOString()}${
              r.unreadable ? `\t(${r.unreadable})` : ''
            }`,
          );
        if (runs.length === 0) note('no runs');
      }),
    );
}
