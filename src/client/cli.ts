/**
 * The `flowstate` CLI (DESIGN.md section 6): a thin layer on the client API.
 * Exit codes: 0 success, 1 the workflow failed or input was invalid, 2 usage or connection error.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ConnectionError, FlowstateClient, InputError, settingsFromEnv } from './index';
import { eventLine, progressLine, statusText } from './format';
import { eventsFromHistory } from '../events/history';
import { loadForRun, pushFile, DefinitionLoadError } from './definitions';
import { openRegistry, RegistryError } from '../registry';
import { validateFiles, graphFile, schemaText } from '../dsl/commands';
import { builtinTaskTypes } from '../orchestrators/registry';
import { logger } from '../logging';
import { loadCasesFile } from '../testkit/cases';
import { formatDiagnostic } from '../dsl/diagnostics';
import { installRuntime } from '../observability';
import { historyToJSON, replayHistoryFiles } from '../replay';
import { startDevServer } from '../server/dev-server';
import { runWorkerFromEnv } from '../worker-main';
import { createSchedule, deleteSchedule, formatCase, formatFile, listSchedules, summary, TestKit, triggerSchedule, type FileResult } from '../testkit';

/** An error with the exit code it ends the CLI with and one clear line. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2,
  ) {
    super(message);
  }
}

const out = (text: string): void => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);

async function withClient<T>(fn: (client: FlowstateClient) => Promise<T>): Promise<T> {
  const client = await FlowstateClient.connect(settingsFromEnv());
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`${what} is not valid JSON (${(e as Error).message}): ${text.slice(0, 80)}`, 1);
  }
}

/** Poll the state query and show progress until the run ends: a live line on a TTY, plain lines otherwise. */
async function follow(client: FlowstateClient, workflowId: string, until: Promise<unknown>): Promise<void> {
  const tty = process.stderr.isTTY;
  let last = '';
  let done = false;
  until.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    try {
      const line = progressLine(await client.state(workflowId));
      if (line !== last) {
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
        last = line;
      }
    } catch {
      // the run may have ended between two polls
    }
    await Promise.race([until.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  if (tty && last) process.stderr.write('\n');
}

export function buildProgram(): Command {
  const program = new Command('flowstate')
    .description('Declarative YAML workflows on Temporal.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) })
    .showHelpAfterError()
    .addHelpText(
      'after',
      `
Connection: TEMPORAL_ADDRESS (default localhost:7233), TEMPORAL_NAMESPACE (default), FLOWSTATE_TASK_QUEUE (flowstate).

Examples:
  $ flowstate server                                   # dev server with a SQLite file and the Web UI on :8233
  $ flowstate worker                                   # in another terminal
  $ flowstate run definitions/hello.yaml --input '{"name":"Ada"}' --wait
  $ flowstate status hello-1a2b3c4d
  $ flowstate approve document-approval-1a2b3c4d --gate draft --by editor`,
    );

  program
    .command('server')
    .description('start the Temporal dev server (SQLite file under .flowstate/, Web UI on :8233)')
    .option('--db <file>', 'SQLite file, so runs survive a restart', '.flowstate/temporal.db')
    .option('--port <port>', 'gRPC port', '7233')
    .option('--ui-port <port>', 'Web UI port', '8233')
    .addHelpText('after', '\nExample:\n  $ flowstate server --db .flowstate/temporal.db')
    .action(async (o: { db: string; port: string; uiPort: string }) => {
      const server = await startDevServer({ dbFile: path.resolve(o.db), port: Number(o.port), uiPort: Number(o.uiPort) });
      out(`Temporal dev server on ${server.address} (database ${o.db})`);
      out(`Web UI: ${server.uiUrl}/namespaces/${server.namespace}/workflows`);
      out('Ctrl-C stops it.');
      await new Promise<void>((resolve) => {
        const stop = () => void server.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        server.process.once('exit', () => resolve());
      });
    });

  program
    .command('worker')
    .description('run a worker for the flowstate task queue (built-in and example tools)')
    .option('--tools <modules...>', 'modules exporting `tools` (an array of defineTool results) to register')
    .option('--no-examples', 'leave out the example tools of examples/tools')
    .addHelpText('after', '\nExample:\n  $ TEMPORAL_ADDRESS=temporal:7233 flowstate worker --tools ./my-tools.ts')
    .action(async (o: { tools?: string[]; examples: boolean }) => {
      await runWorkerFromEnv({ toolModules: o.tools ?? [], examples: o.examples });
    });

  program
    .command('validate')
    .description('check definitions (and test cases files, *.cases.yaml); prints file:line:col errors and exits 1 when any is invalid')
    .argument('<files...>')
    .addHelpText('after', '\nExample:\n  $ flowstate validate definitions/*.yaml')
    .action(async (files: string[]) => {
      const cases = files.filter((f) => f.endsWith('.cases.yaml'));
      const definitions = files.filter((f) => !cases.includes(f));
      const { exitCode, lines } = await validateFiles(definitions, builtinTaskTypes());
      let failed = exitCode !== 0;
      for (const l of lines) (exitCode === 0 ? process.stdout : process.stderr).write(`${l}\n`);
      for (const file of cases) {
        const loaded = loadCasesFile(file);
        if (loaded.ok) out(`ok ${file} (test cases)`);
        else {
          failed = true;
          for (const d of loaded.errors) process.stderr.write(`${formatDiagnostic(d)}\n`);
        }
      }
      process.exitCode = failed ? 1 : 0;
    });

  program
    .command('run')
    .description('start a run of a definition file or a registry reference id[@version]')
    .argument('<definition>', 'a file (definitions/x.yaml) or id[@version] from the registry')
    .option('--input <json>', 'workflow input as JSON')
    .option('--input-file <file>', 'workflow input from a JSON file')
    .option('--id <workflowId>', 'workflow id (default <definition>-<short id>)')
    .option('--wait', 'wait for the result and print it, with live progress')
    .addHelpText('after', `\nExamples:\n  $ flowstate run definitions/hello.yaml --input '{"name":"Ada"}' --wait\n  $ flowstate run parallel-analysis@1.2.0 --input-file input.json`)
    .action(async (ref: string, o: { input?: string; inputFile?: string; id?: string; wait?: boolean }) => {
      const input = o.inputFile
        ? parseJson(fs.readFileSync(o.inputFile, 'utf8'), `--input-file ${o.inputFile}`)
        : o.input !== undefined
          ? parseJson(o.input, '--input')
          : {};
      const definition = await loadForRun(ref);
      await withClient(async (client) => {
        const run = await client.start(definition, input, o.id ? { workflowId: o.id } : {});
        process.stderr.write(`started ${run.workflowId} (${definition.id}@${definition.version})\n`);
        if (!o.wait) {
          out(run.workflowId);
          return;
        }
        const result = client.result(run.workflowId);
        await follow(client, run.workflowId, result);
        out(JSON.stringify((await result).output, null, 2));
      });
    });

  program
    .command('status')
    .description('show a run: task paths and their states, pending gates and how to decide them')
    .argument('<workflowId>')
    .option('--json', 'print the state query result as JSON')
    .option('--watch', 'keep showing progress until the run ends')
    .addHelpText('after', '\nExamples:\n  $ flowstate status document-approval-1a2b3c4d\n  $ flowstate status document-approval-1a2b3c4d --json | jq .pending_gates')
    .action(async (id: string, o: { json?: boolean; watch?: boolean }) =>
      withClient(async (client) => {
        if (o.watch) await follow(client, id, client.client.workflow.getHandle(id).result());
        const state = await client.state(id);
        out(o.json ? JSON.stringify(state, null, 2) : statusText(id, state));
      }),
    );

  for (const decision of ['approve', 'reject'] as const) {
    program
      .command(decision)
      .description(`${decision} a pending gate (through the validated decide update)`)
      .argument('<workflowId>')
      .option('--gate <path>', 'task path of the gate (optional when one gate is pending)')
      .option('--by <name>', 'who decides', process.env.USER ?? 'cli')
      .option('--comment <text>', decision === 'reject' ? 'what to change (the revision sees it)' : 'a note')
      .addHelpText('after', `\nExample:\n  $ flowstate ${decision} document-approval-1a2b --gate draft --by editor${decision === 'reject' ? " --comment 'shorter intro'" : ''}`)
      .action(async (id: string, o: { gate?: string; by: string; comment?: string }) =>
        withClient(async (client) => {
          const gate = await client.decide(id, { decision, by: o.by, ...(o.gate ? { gate: o.gate } : {}), ...(o.comment ? { comment: o.comment } : {}) });
          out(`${gate.gate}: ${gate.status} by ${o.by}`);
        }),
      );
  }

  program
    .command('signal')
    .description('send a signal to a run (a wait_for name, pause, resume)')
    .argument('<workflowId>')
    .argument('<name>')
    .option('--payload <json>', 'signal payload as JSON')
    .addHelpText('after', `\nExample:\n  $ flowstate signal handshake-pong-1a2b ping --payload '{"token":"t1"}'`)
    .action(async (id: string, name: string, o: { payload?: string }) => {
      const payload = o.payload === undefined ? undefined : parseJson(o.payload, '--payload');
      await withClient(async (client) => {
        await client.signal(id, name, payload);
        out(`sent '${name}' to ${id}`);
      });
    });

  program
    .command('current-phase')
    .description('show the current phase of a spec session (dynamic definitions): its tasks and validation gate, rendered')
    .argument('<workflowId>')
    .option('--json', 'print the whole view as JSON (id, name, tasks, gate, content)')
    .addHelpText('after', '\nExample:\n  $ flowstate current-phase spec-execution-1a2b')
    .action(async (id: string, o: { json?: boolean }) =>
      withClient(async (client) => {
        const view = (await client.query(id, 'current-phase')) as { content?: unknown };
        out(o.json || typeof view?.content !== 'string' ? JSON.stringify(view, null, 2) : view.content);
      }),
    );

  program
    .command('task')
    .description('show task <n> (1-based) of a phase of a spec session, rendered with its acceptance criteria')
    .argument('<workflowId>')
    .argument('<phase>', 'phase id, e.g. 1')
    .argument('<n>', 'task number within the phase, from 1')
    .option('--json', 'print the whole view as JSON (id, title, criteria, dependencies, content)')
    .addHelpText('after', '\nExample:\n  $ flowstate task spec-execution-1a2b 1 2')
    .action(async (id: string, phase: string, n: string, o: { json?: boolean }) =>
      withClient(async (client) => {
        const view = (await client.query(id, 'task', phase, n)) as { content?: unknown };
        out(o.json || typeof view?.content !== 'string' ? JSON.stringify(view, null, 2) : view.content);
      }),
    );

  program
    .command('complete-phase')
    .description("complete the current phase of a spec session: the evidence must address every criterion of the phase's validation gate")
    .argument('<workflowId>')
    .requiredOption('--evidence <file|json>', 'a JSON file or JSON text: { "criteria": { "<number or text>": "<how it was met>" }, "summary": "..." }')
    .option('--phase <id>', 'the phase you mean to complete; refused if another phase is current')
    .addHelpText(
      'after',
      `\nA refusal exits 1 and lists the gate criteria not addressed; the run is unchanged.\n\nExample:\n  $ flowstate complete-phase spec-execution-1a2b --phase 1 --evidence '{"criteria": {"1": "18 model tests", "2": "seeds test", "3": "eslint clean"}}'`,
    )
    .action(async (id: string, o: { evidence: string; phase?: string }) => {
      const parsed = fs.existsSync(o.evidence) ? parseJson(fs.readFileSync(o.evidence, 'utf8'), `--evidence ${o.evidence}`) : parseJson(o.evidence, '--evidence (neither a file nor JSON)');
      const wrapped = parsed !== null && typeof parsed === 'object' && 'evidence' in parsed;
      const payload = { ...(wrapped ? (parsed as object) : { evidence: parsed }), ...(o.phase ? { phase: o.phase } : {}) };
      await withClient(async (client) => {
        const reply = (await client.update(id, 'complete-phase', payload)) as {
          completed?: { id: string; name: string };
          next?: { id: string; name: string } | null;
        };
        const done = reply?.completed ? `phase ${reply.completed.id} '${reply.completed.name}' complete` : 'phase complete';
        out(reply?.next ? `${done}; now phase ${reply.next.id} '${reply.next.name}' (flowstate current-phase ${id})` : `${done}; the session is done (flowstate result ${id})`);
      });
    });

  program
    .command('result')
    .description('wait for a run to end and print its output as JSON')
    .argument('<workflowId>')
    .addHelpText('after', '\nExample:\n  $ flowstate result hello-1a2b3c4d > output.json')
    .action(async (id: string) => withClient(async (client) => out(JSON.stringify((await client.result(id)).output, null, 2))));

  program
    .command('cancel')
    .description('cancel a run')
    .argument('<workflowId>')
    .addHelpText('after', '\nExample:\n  $ flowstate cancel handshake-pong-1a2b3c4d')
    .action(async (id: string) =>
      withClient(async (client) => {
        await client.cancel(id);
        out(`cancel requested for ${id}`);
      }),
    );

  program
    .command('list')
    .description('list runs, newest first')
    .addOption(new Option('--status <status>', 'FlowstateStatus').choices(['running', 'waiting_acceptance', 'paused', 'completed', 'failed', 'cancelled']))
    .option('--definition <id>', 'only runs of this definition')
    .option('--limit <n>', 'at most this many', '50')
    .addHelpText('after', '\nExamples:\n  $ flowstate list --status waiting_acceptance\n  $ flowstate list --definition order-saga --limit 10')
    .action(async (o: { status?: string; definition?: string; limit: string }) =>
      withClient(async (client) => {
        const runs = await client.list({ status: o.status, definition: o.definition, limit: Number(o.limit) });
        for (const r of runs) out(`${r.workflowId}\t${r.definition ?? '-'}@${r.version ?? '-'}\t${r.status}\t${r.startTime.toISOString()}`);
        if (runs.length === 0) process.stderr.write('no runs\n');
      }),
    );

  program
    .command('graph')
    .description('print a Mermaid flowchart of a definition')
    .argument('<file>')
    .addHelpText('after', '\nExample:\n  $ flowstate graph definitions/order-saga.yaml > saga.mmd')
    .action(async (file: string) => out(await graphFile(file, builtinTaskTypes())));

  program
    .command('schema')
    .description('print the JSON Schema of the definition language (for editors)')
    .addHelpText('after', '\nExample:\n  $ flowstate schema > flowstate.schema.json   # then: # yaml-language-server: $schema=flowstate.schema.json')
    .action(() => out(schemaText(builtinTaskTypes())));

  program
    .command('push')
    .description('store a definition file in the registry as id@version (FLOWSTATE_REGISTRY; default ./.flowstate/registry)')
    .argument('<file>')
    .addHelpText('after', '\nExample:\n  $ FLOWSTATE_REGISTRY=oci://localhost:5000/flowstate flowstate push definitions/hello.yaml')
    .action(async (file: string) => {
      const pushed = await pushFile(file);
      out(`${pushed.created ? 'pushed' : 'already there, unchanged'}: ${pushed.ref} (${pushed.digest})`);
    });

  program
    .command('pull')
    .description('print a definition from the registry (no version: the latest)')
    .argument('<ref>', 'id[@version]')
    .option('-o, --output <file>', 'write it to a file instead')
    .addHelpText('after', '\nExamples:\n  $ flowstate pull hello@1.0.0\n  $ flowstate pull hello -o hello.yaml   # the latest version')
    .action(async (ref: string, o: { output?: string }) => {
      const registry = openRegistry();
      const { id, version } = await registry.resolve(ref);
      const pulled = await registry.pull(id, version);
      if (o.output) {
        fs.writeFileSync(o.output, pulled.content);
        process.stderr.write(`${id}@${version} written to ${o.output}\n`);
      } else out(pulled.content);
    });

  program
    .command('ls')
    .description('list the ids and versions in the registry')
    .addHelpText('after', '\nExample:\n  $ FLOWSTATE_REGISTRY=oci://localhost:5000/flowstate flowstate ls')
    .action(async () => {
      const entries = await openRegistry().list();
      for (const e of entries) out(`${e.id}\t${e.versions.join(', ')}`);
      if (entries.length === 0) process.stderr.write('the registry is empty\n');
    });

  program
    .command('history')
    .description("export a run's event history as JSON (the format the replay tests read)")
    .argument('<workflowId>')
    .addHelpText('after', '\nExample:\n  $ flowstate history order-saga-1a2b3c4d > test/histories/order-saga-incident.json')
    .action(async (id: string) =>
      withClient(async (client) => out(historyToJSON(await client.client.workflow.getHandle(id).fetchHistory()))),
    );

  program
    .command('events')
    .description("print a run's lifecycle events (rebuilt from its history; --follow prints new ones as they happen)")
    .argument('<workflowId>')
    .option('--follow', 'keep printing new events until the run ends')
    .option('--json', 'one JSON object per line')
    .addHelpText('after', '\nExamples:\n  $ flowstate events order-saga-1a2b3c4d\n  $ flowstate events document-approval-1a2b3c4d --follow --json')
    .action(async (id: string, o: { follow?: boolean; json?: boolean }) =>
      withClient(async (client) => {
        const handle = client.client.workflow.getHandle(id);
        let printed = 0;
        for (;;) {
          const events = await eventsFromHistory(id, await handle.fetchHistory());
          for (const e of events.slice(printed)) out(o.json ? JSON.stringify(e) : eventLine(e));
          printed = Math.max(printed, events.length);
          if (!o.follow || (await handle.describe()).status.name !== 'RUNNING') break;
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }),
    );

  program
    .command('replay')
    .description('replay exported histories against this version of the interpreter (no server needed)')
    .argument('<files...>', "history JSON files (from 'flowstate history' or test/histories/)")
    .addHelpText('after', '\nExample:\n  $ flowstate history order-saga-1a2b > run.json && flowstate replay run.json')
    .action(async (files: string[]) => {
      const results = await replayHistoryFiles(files);
      for (const r of results) (r.ok ? process.stdout : process.stderr).write(r.ok ? `ok ${r.file}\n` : `${r.error?.message}\n`);
      const failed = results.filter((r) => !r.ok).length;
      process.stderr.write(`${results.length - failed} replayed, ${failed} failed\n`);
      if (failed > 0) process.exitCode = 1;
    });

  program
    .command('test')
    .description('run test cases (*.cases.yaml) of definitions on a real Temporal server, with stub tools and agents; exit 1 when any case fails')
    .argument('<files...>', 'cases files')
    .option('--address <host:port>', 'use this Temporal server (default: start a dev server for the tests)')
    .option('--namespace <ns>', 'namespace', 'default')
    .option('--bundle <file>', 'a prebuilt workflow bundle (default: bundle the interpreter once)')
    .option('--filter <text>', 'only the cases whose name contains this')
    .addHelpText(
      'after',
      `\nExamples:\n  $ flowstate test definitions/*.cases.yaml\n  $ flowstate test order-saga.cases.yaml --address localhost:7233 --filter declined\n\nThe format: docs/testing.md. A case names a definition and an input, stubs tools and agents, scripts\ndecisions, signals and updates, and expects a status, an output, task paths, calls and decisions.`,
    )
    .action(async (files: string[], o: { address?: string; namespace: string; bundle?: string; filter?: string }) => {
      // Stubbed failures and retries are expected here: keep the worker's warnings out of the report.
      if (!process.env.FLOWSTATE_LOG_LEVEL) logger.level = 'error';
      const kit = await TestKit.start({
        ...(o.address ? { address: o.address } : {}),
        namespace: o.namespace,
        ...(o.bundle ? { workflowBundle: path.resolve(o.bundle) } : {}),
        log: (line) => process.stderr.write(`${line}\n`),
      });
      const results: FileResult[] = [];
      try {
        for (const file of files) {
          out(path.relative(process.cwd(), path.resolve(file)));
          const result = await kit.runFile(
            path.resolve(file),
            (r) => out(formatCase(r).replace(/^/gm, '  ')),
            o.filter ? (c) => c.name.includes(o.filter!) : undefined,
          );
          if (result.errors.length > 0) out(formatFile(result).split('\n').slice(1).join('\n'));
          results.push(result);
        }
      } finally {
        await kit.close();
      }
      const { text, failed } = summary(results);
      out(text);
      if (failed > 0) process.exitCode = 1;
    });

  program
    .command('schedule')
    .description('run a definition on a Temporal Schedule (cron or interval); --list, --trigger and --delete manage schedules')
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
    .action(
      async (
        ref: string | undefined,
        o: { cron?: string; every?: string; timezone?: string; input?: string; inputFile?: string; id?: string; list?: boolean; trigger?: string; delete?: string },
      ) => {
        const manage = [o.list, o.trigger, o.delete].filter(Boolean).length;
        if (manage > 1 || (manage === 1 && ref)) throw new CliError('give a definition to schedule, or one of --list, --trigger ID, --delete ID', 2);
        if (o.list) {
          return withClient(async (client) => {
            const rows = await listSchedules(client.client);
            for (const r of rows) out(`${r.scheduleId}\t${r.definition ?? '-'}\t${r.spec ?? '-'}\t${r.paused ? 'paused' : `next ${r.next?.toISOString() ?? '-'}`}`);
            if (rows.length === 0) process.stderr.write('no schedules\n');
          });
        }
        if (o.trigger || o.delete) {
          const id = (o.trigger ?? o.delete)!;
          return withClient(async (client) => {
            if (o.trigger) await triggerSchedule(client.client, id);
            else await deleteSchedule(client.client, id);
            out(`${o.trigger ? 'triggered' : 'deleted'} schedule ${id}`);
          });
        }
        if (!ref) throw new CliError('name the definition to schedule (or use --list, --trigger ID, --delete ID)', 2);
        if ((o.cron === undefined) === (o.every === undefined)) throw new CliError("give exactly one of --cron '<expr>' or --every <duration>", 2);
        if (o.every !== undefined && !/^\d+(\.\d+)?(ms|s|m|h|d)$/.test(o.every)) throw new CliError(`--every ${o.every}: expected a duration such as 30s, 5m, 1h or 1d`, 2);
        const input = o.inputFile ? parseJson(fs.readFileSync(o.inputFile, 'utf8'), `--input-file ${o.inputFile}`) : o.input !== undefined ? parseJson(o.input, '--input') : {};
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
          process.stderr.write(`schedule ${id} runs ${definition.id}@${definition.version} ${o.cron !== undefined ? `on cron '${o.cron}'` : `every ${o.every}`} (flowstate schedule --list; --delete ${id})\n`);
        });
      },
    );

  return program;
}

/** Map any error to one clear line and an exit code. */
export function exitCodeFor(e: unknown): { code: number; message: string } {
  if (e instanceof CliError) return { code: e.exitCode, message: e.message };
  if (e instanceof CommanderError) return { code: e.exitCode === 0 ? 0 : 2, message: '' };
  if (e instanceof ConnectionError) return { code: 2, message: e.message };
  if (e instanceof InputError || e instanceof DefinitionLoadError) return { code: 1, message: e.message };
  if (e instanceof RegistryError) return { code: e.type === 'Unreachable' || e.type === 'Unauthorized' ? 2 : 1, message: e.message };
  if (e instanceof WorkflowNotFoundError) return { code: 1, message: `no run with id '${e.workflowId}' (see 'flowstate list')` };
  if (e instanceof WorkflowUpdateFailedError) return { code: 1, message: `refused: ${(e.cause as Error)?.message ?? e.message}` };
  if (e instanceof WorkflowFailedError) {
    const cause = e.cause as (Error & { type?: string }) | undefined;
    return { code: 1, message: `run failed: ${cause?.type ? `[${cause.type}] ` : ''}${cause?.message ?? e.message}` };
  }
  const err = e as Error & { code?: number; details?: string };
  if (err?.code === 5 /* gRPC NOT_FOUND */) return { code: 1, message: err.details ?? err.message };
  return { code: 1, message: err?.message ?? String(e) };
}

/** Run the CLI with argv; resolves to the exit code. */
export async function main(argv = process.argv): Promise<number> {
  // Commands print what matters themselves; logs show warnings and errors unless asked
  // (FLOWSTATE_LOG_LEVEL). `flowstate worker` logs at info.
  if (!process.env.FLOWSTATE_LOG_LEVEL) logger.level = argv[2] === 'worker' ? 'info' : 'warn';
  installRuntime();
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    const { code, message } = exitCodeFor(e);
    if (message) process.stderr.write(`flowstate: ${message}\n`);
    if (code !== 0 && !(e instanceof CommanderError)) logger.debug({ err: e }, 'command failed');
    return code;
  }
}

if (require.main === module || process.argv[1]?.endsWith('flowstate.js')) {
  void main().then((code) => process.exit(code));
}
