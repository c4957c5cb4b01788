/** `flowstate test`: test cases files run on a real Temporal server with stub tools and agents. */
import path from 'node:path';
import type { Command } from 'commander';
import type { FileResult } from '../../testkit/kit';
import { note, out } from '../output';
import { installNativeRuntime } from './client';

/** `test`: run cases files and report each case; exit 1 when any fails. */
export function testCommand(program: Command): void {
  program
    .command('test')
    .description(
      'run test cases (*.cases.yaml) of definitions on a real Temporal server, with stub tools and agents; exit 1 when any case fails',
    )
    .argument('<files...>', 'cases files')
    .option('--address <host:port>', 'use this Temporal server (default: start a dev server for the tests)')
    .option('--namespace <ns>', 'namespace', 'default')
    .option('--bundle <file>', 'a prebuilt workflow bundle (default: bundle the interpreter once)')
    .option('--filter <text>', 'only the cases whose name contains this')
    .addHelpText(
      'after',
      `\nExamples:\n  $ flowstate test definitions/*.cases.yaml\n  $ flowstate test order-saga.cases.yaml --address localhost:7233 --filter declined\n\nThe format: docs/testing.md. A case names a definition and an input, stubs tools and agents, scripts\ndecisions, signals and updates, and expects a status, an output, task paths, calls and decisions.`,
    )
    .action(
      async (
        files: string[],
        o: { address?: string; namespace: string; bundle?: string; filter?: string },
      ) => {
        const { logger } = require('../../logging') as typeof import('../../logging');
        const { TestKit } = require('../../testkit/kit') as typeof import('../../testkit/kit');
        const { formatCase, formatFile, summary } =
          require('../../testkit/report') as typeof import('../../testkit/report');
        // Stubbed failures and retries are expected here: keep the worker's warnings out of the report.
        if (!process.env.FLOWSTATE_LOG_LEVEL) logger.level = 'error';
        installNativeRuntime();
        const kit = await TestKit.start({
          ...(o.address ? { address: o.address } : {}),
          namespace: o.namespace,
          ...(o.bundle ? { workflowBundle: path.resolve(o.bundle) } : {}),
          log: note,
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
      },
    );
}
