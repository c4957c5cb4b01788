/** `flowstate push`, `pull` and `ls`: the definition registry (FLOWSTATE_REGISTRY). */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { note, out } from '../output';

/** `push`: store a definition file as `id@version`. */
export function pushCommand(program: Command): void {
  program
    .command('push')
    .description(
      'store a definition file in the registry as id@version (FLOWSTATE_REGISTRY; default ./.flowstate/registry)',
    )
    .argument('<file>')
    .addHelpText(
      'after',
      '\nExample:\n  $ FLOWSTATE_REGISTRY=oci://localhost:5000/flowstate flowstate push definitions/hello.yaml',
    )
    .action(async (file: string) => {
      const { pushFile } = require('../../client/definitions') as typeof import('../../client/definitions');
      const pushed = await pushFile(file);
      const withFiles = pushed.files.length > 0 ? `, with ${pushed.files.join(', ')}` : '';
      out(
        `${pushed.created ? 'pushed' : 'already there, unchanged'}: ${pushed.ref} (${pushed.digest})${withFiles}`,
      );
    });
}

/** `pull`: print (or write) a definition; no version means the latest. */
export function pullCommand(program: Command): void {
  program
    .command('pull')
    .description('print a definition from the registry (no version: the latest)')
    .argument('<ref>', 'id[@version]')
    .option('-o, --output <file>', 'write it to a file instead')
    .addHelpText(
      'after',
      '\nExamples:\n  $ flowstate pull hello@1.0.0\n  $ flowstate pull hello -o hello.yaml   # the latest version',
    )
    .action(async (ref: string, o: { output?: string }) => {
      const { openRegistry } = require('../../registry') as typeof import('../../registry');
      const store = openRegistry();
      const { id, version } = await store.resolve(ref);
      const pulled = await store.pull(id, version);
      if (o.output) {
        fs.mkdirSync(path.dirname(path.resolve(o.output)), { recursive: true });
        fs.writeFileSync(o.output, pulled.content);
        note(`${id}@${version} written to ${o.output}`);
        // The files it names (templates) go where the definition looks for them: beside it.
        const dir = path.dirname(path.resolve(o.output));
        for (const file of pulled.files) {
          const target = path.resolve(dir, file.name);
          if (!target.startsWith(`${dir}${path.sep}`)) {
            note(`${file.name} not written: it lies outside ${dir} (the definition names it so)`);
            continue;
          }
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.writeFileSync(target, file.content);
          note(`${file.name} written to ${target}`);
        }
      } else {
        out(pulled.content);
        if (pulled.files.length > 0)
          note(
            `stored with it: ${pulled.files.map((f) => f.name).join(', ')} (pull with -o to write them too)`,
          );
      }
    });
}

/** `ls`: the ids and their versions. */
export function lsCommand(program: Command): void {
  program
    .command('ls')
    .description('list the ids and versions in the registry')
    .addHelpText('after', '\nExample:\n  $ FLOWSTATE_REGISTRY=oci://localhost:5000/flowstate flowstate ls')
    .action(async () => {
      const { openRegistry } = require('../../registry') as typeof import('../../registry');
      const entries = await openRegistry().list();
      for (const e of entries) out(`${e.id}\t${e.versions.join(', ')}`);
      if (entries.length === 0) note('the registry is empty');
    });
}
