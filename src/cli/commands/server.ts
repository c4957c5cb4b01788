/** `flowstate server` and `flowstate worker`: the processes a local setup runs. */
import path from 'node:path';
import type { Command } from 'commander';
import { CliError, out } from '../output';

/** A port given as a flag: 1-65535, else a usage error naming the flag. */
function portFlag(value: string, flag: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65_535)
    throw new CliError(`${flag} must be a port number (1-65535); got '${value}'`, 2);
  return port;
}

/**
 * `server`: the Temporal dev server, until Ctrl-C. It listens where the other commands look: the port
 * of `TEMPORAL_ADDRESS` (a loopback address) unless `--port` says otherwise; the Web UI on the gRPC
 * port + 1000 unless `--ui-port` says otherwise.
 */
export function serverCommand(program: Command): void {
  program
    .command('server')
    .description('start the Temporal dev server (SQLite file under .flowstate/, Web UI on :8233)')
    .option('--db <file>', 'SQLite file, so runs survive a restart', '.flowstate/temporal.db')
    .option('--port <port>', 'gRPC port (default: the port of TEMPORAL_ADDRESS, else 7233)')
    .option('--ui-port <port>', 'Web UI port (default: the gRPC port + 1000, so 8233)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ flowstate server --db .flowstate/temporal.db\n  $ TEMPORAL_ADDRESS=127.0.0.1:27233 flowstate server   # gRPC on :27233, Web UI on :28233',
    )
    .action(async (o: { db: string; port?: string; uiPort?: string }) => {
      const { settingsFromEnv, splitAddress, uiPortFor } =
        require('../../connection') as typeof import('../../connection');
      const { startDevServer } =
        require('../../server/dev-server') as typeof import('../../server/dev-server');
      const target = splitAddress(settingsFromEnv().address);
      if (o.port === undefined && !LOOPBACK.has(target.host))
        throw new CliError(
          `TEMPORAL_ADDRESS names ${target.host}, not this machine: the dev server listens on 127.0.0.1; unset TEMPORAL_ADDRESS or give --port`,
          2,
        );
      const port = o.port !== undefined ? portFlag(o.port, '--port') : target.port;
      const uiPort = o.uiPort !== undefined ? portFlag(o.uiPort, '--ui-port') : uiPortFor(port);
      const server = await startDevServer({ dbFile: path.resolve(o.db), port, uiPort });
      out(`Temporal dev server on ${server.address} (database ${o.db})`);
      out(`Web UI: ${server.uiUrl}/namespaces/${server.namespace}/workflows`);
      if (server.address !== `127.0.0.1:${target.port}` || !LOOPBACK.has(target.host))
        out(`Other terminals: export TEMPORAL_ADDRESS=${server.address}`);
      out('Ctrl-C stops it.');
      await new Promise<void>((resolve) => {
        const stop = () => void server.stop().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        server.process.once('exit', () => resolve());
      });
    });
}

/** Names of this machine in TEMPORAL_ADDRESS that the dev server (on 127.0.0.1) answers. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '0.0.0.0']);

/** `worker`: a worker for the task queue, until stopped. */
export function workerCommand(program: Command): void {
  program
    .command('worker')
    .description('run a worker for the flowstate task queue (built-in and example tools)')
    .option('--tools <modules...>', 'modules exporting `tools` (an array of defineTool results) to register')
    .option('--no-examples', 'leave out the example tools of examples/tools')
    .addHelpText(
      'after',
      '\nExample:\n  $ TEMPORAL_ADDRESS=temporal:7233 flowstate worker --tools ./my-tools.ts',
    )
    .action(async (o: { tools?: string[]; examples: boolean }) => {
      const { runWorkerFromEnv } = require('../../worker-main') as typeof import('../../worker-main');
      await runWorkerFromEnv({ toolModules: o.tools ?? [], examples: o.examples });
    });
}
