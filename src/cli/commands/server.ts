/** `flowstate server` and `flowstate worker`: the processes a local setup runs. */
import path from 'node:path';
import type { Command } from 'commander';
import { out } from '../output';

/** `server`: the Temporal dev server, until Ctrl-C. */
export function serverCommand(program: Command): void {
  program
    .command('server')
    .description('start the Temporal dev server (SQLite file under .flowstate/, Web UI on :8233)')
    .option('--db <file>', 'SQLite file, so runs survive a restart', '.flowstate/temporal.db')
    .option('--port <port>', 'gRPC port', '7233')
    .option('--ui-port <port>', 'Web UI port', '8233')
    .addHelpText('after', '\nExample:\n  $ flowstate server --db .flowstate/temporal.db')
    .action(async (o: { db: string; port: string; uiPort: string }) => {
      const { startDevServer } =
        require('../../server/dev-server') as typeof import('../../server/dev-server');
      const server = await startDevServer({
        dbFile: path.resolve(o.db),
        port: Number(o.port),
        uiPort: Number(o.uiPort),
      });
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
}

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
