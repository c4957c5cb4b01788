/** `flowstate validate`, `graph` and `schema`: definitions on disk, no server needed. */
import type { Command } from 'commander';
import { note, out } from '../output';

/** `validate`: definitions and test cases files, `file:line:col` errors, exit 1 when any is invalid. */
export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description(
      'check definitions (and test cases files, *.cases.yaml); prints file:line:col errors and exits 1 when any is invalid',
    )
    .argument('<files...>')
    .addHelpText('after', '\nExample:\n  $ flowstate validate definitions/*.yaml')
    .action(async (files: string[]) => {
      const { validateFiles } = require('../../dsl/commands') as typeof import('../../dsl/commands');
      const { builtinTaskTypes } =
        require('../../orchestrators/registry') as typeof import('../../orchestrators/registry');
      const cases = files.filter((f) => f.endsWith('.cases.yaml'));
      const definitions = files.filter((f) => !cases.includes(f));
      // Only cases files is fine: there is then no definition to check.
      const { exitCode, lines } =
        definitions.length > 0
          ? await validateFiles(definitions, builtinTaskTypes())
          : { exitCode: 0, lines: [] };
      let failed = exitCode !== 0;
      for (const l of lines) (exitCode === 0 ? process.stdout : process.stderr).write(`${l}\n`);
      if (cases.length > 0) {
        const { loadCasesFile } = require('../../testkit/cases') as typeof import('../../testkit/cases');
        const { formatDiagnostic } =
          require('../../dsl/diagnostics') as typeof import('../../dsl/diagnostics');
        for (const file of cases) {
          const loaded = loadCasesFile(file);
          if (loaded.ok) out(`ok ${file} (test cases)`);
          else {
            failed = true;
            for (const d of loaded.errors) note(formatDiagnostic(d));
          }
        }
      }
      process.exitCode = failed ? 1 : 0;
    });
}

/** `graph`: a Mermaid flowchart. */
export function graphCommand(program: Command): void {
  program
    .command('graph')
    .description('print a Mermaid flowchart of a definition')
    .argument('<file>')
    .addHelpText('after', '\nExample:\n  $ flowstate graph definitions/order-saga.yaml > saga.mmd')
    .action(async (file: string) => {
      const { graphFile } = require('../../dsl/commands') as typeof import('../../dsl/commands');
      const { builtinTaskTypes } =
        require('../../orchestrators/registry') as typeof import('../../orchestrators/registry');
      out(await graphFile(file, builtinTaskTypes()));
    });
}

/** `schema`: the JSON Schema of the definition language. */
export function schemaCommand(program: Command): void {
  program
    .command('schema')
    .description('print the JSON Schema of the definition language (for editors)')
    .addHelpText(
      'after',
      '\nExample:\n  $ flowstate schema > flowstate.schema.json   # then: # yaml-language-server: $schema=flowstate.schema.json',
    )
    .action(() => {
      const { schemaText } = require('../../dsl/commands') as typeof import('../../dsl/commands');
      const { builtinTaskTypes } =
        require('../../orchestrators/registry') as typeof import('../../orchestrators/registry');
      out(schemaText(builtinTaskTypes()));
    });
}
