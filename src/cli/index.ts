/**
 * The `flowstate` CLI (DESIGN.md section 6): a thin layer on the client API, one module per command
 * group under ./commands. Exit codes: 0 success, 1 the workflow failed or input was invalid, 2 usage or
 * connection error (./output.ts). bin/flowstate.js runs `main`; importing this module runs nothing.
 *
 * Startup loads commander and the command modules only: each action `require`s what it uses when it
 * runs (typed `as typeof import(...)`). Not `await import()`: bin/flowstate.js runs the TypeScript
 * through tsx's CommonJS hook, under which `import()` of a .ts file fails.
 */
import { Command, CommanderError } from 'commander';
import { setDefaultLogLevel } from '../log-level';
import { closest } from '../contract/suggest';
import { validateCommand, graphCommand, schemaCommand } from './commands/definitions';
import { approveCommand, rejectCommand } from './commands/gates';
import { consoleCommand } from './commands/console';
import { inboxCommand } from './commands/inbox';
import { historyCommand, eventsCommand, replayCommand } from './commands/history';
import { pushCommand, pullCommand, lsCommand } from './commands/registry';
import {
  runCommand,
  statusCommand,
  signalCommand,
  resultCommand,
  cancelCommand,
  listCommand,
} from './commands/runs';
import { redriveCommand } from './commands/redrive';
import { scheduleCommand } from './commands/schedules';
import { serverCommand, workerCommand } from './commands/server';
import { deploymentCommand } from './commands/deployment';
import { taskTypesCommands } from './commands/task-types';
import { testCommand } from './commands/tests';
import { note, usageExitCode } from './output';

export { CliError } from './output';

/** Every command, in the order `flowstate --help` lists them. */
const COMMANDS: ReadonlyArray<(program: Command) => void> = [
  serverCommand,
  workerCommand,
  deploymentCommand,
  validateCommand,
  runCommand,
  statusCommand,
  approveCommand,
  rejectCommand,
  inboxCommand,
  signalCommand,
  taskTypesCommands,
  resultCommand,
  cancelCommand,
  redriveCommand,
  listCommand,
  graphCommand,
  schemaCommand,
  pushCommand,
  pullCommand,
  lsCommand,
  historyCommand,
  eventsCommand,
  replayCommand,
  testCommand,
  scheduleCommand,
  consoleCommand,
];

/** The `flowstate` program with every command; parsing throws instead of exiting (see `main`). */
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
  for (const add of COMMANDS) add(program);
  // An unknown command, with the nearest known one worded as commander does (instead of its own suggestion).
  program.on('command:*', ([name]: string[]) => {
    const known = program
      .createHelp()
      .visibleCommands(program)
      .map((c) => c.name());
    const hint = closest(name!, known);
    program.error(`error: unknown command '${name}'${hint ? `\n(Did you mean ${hint}?)` : ''}`, {
      code: 'commander.unknownCommand',
    });
  });
  return program;
}

/** Run the CLI with argv; resolves to the exit code. */
export async function main(argv = process.argv): Promise<number> {
  const program = buildProgram();
  // Commands print what matters themselves; logs show warnings and errors unless asked
  // (FLOWSTATE_LOG_LEVEL). `flowstate worker` logs at info.
  program.hook('preAction', (_program, command) => {
    // Not the logger itself: loading pino costs commands that never log.
    setDefaultLogLevel(command.name() === 'worker' ? 'info' : 'warn');
  });
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    return reportFailure(e);
  }
}

/** End a failed command: its one line on stderr (`flowstate: ...`), and the exit code it maps to. */
function reportFailure(e: unknown): number {
  const { code, message } =
    usageExitCode(e) ?? (require('./exit-codes') as typeof import('./exit-codes')).exitCodeFor(e);
  if (message) note(`flowstate: ${message}`);
  if (code !== 0 && !(e instanceof CommanderError)) {
    const { logger } = require('../logging') as typeof import('../logging');
    logger.debug({ err: e }, 'command failed');
  }
  return code;
}
