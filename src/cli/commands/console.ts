/** `flowstate console`: the web console (DESIGN.md section 6), served by this process until Ctrl-C. */
import type { Command } from 'commander';
import { CliError, out } from '../output';

/** `console`: runs, a run's live graph, gates, definitions, in the browser. */
export function consoleCommand(program: Command): void {
  program
    .command('console')
    .description('the web console: runs, a run live on its graph, gates to decide, definitions')
    .option('--port <port>', 'HTTP port', '8234')
    .option('--host <host>', 'address to listen on (127.0.0.1: this machine only)', '127.0.0.1')
    .addHelpText('after', '\nExample:\n  $ flowstate console --port 8234   # then open http://127.0.0.1:8234')
    .action(async (o: { port: string; host: string }) => {
      const port = Number(o.port);
      if (!/^\d+$/.test(o.port) || port > 65_535)
        throw new CliError(`--port must be a port number (0-65535); got '${o.port}'`, 2);
      const { settingsFromEnv } = require('../../connection') as typeof import('../../connection');
      const { builtinTaskTypes } =
        require('../../orchestrators/registry') as typeof import('../../orchestrators/registry');
      const { startConsole } = require('../../console/server') as typeof import('../../console/server');
      const settings = settingsFromEnv();
      const running = await startConsole({ port, host: o.host, settings, types: builtinTaskTypes() }).catch(
        (e: NodeJS.ErrnoException) => {
          if (e.code === 'EADDRINUSE')
            throw new CliError(`port ${port} is in use on ${o.host}: give another with --port`, 2);
          throw e;
        },
      );
      out(`Flowstate console: ${running.url} (Temporal at ${settings.address})`);
      out('Ctrl-C stops it.');
      await new Promise<void>((resolve) => {
        const stop = () => void running.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
