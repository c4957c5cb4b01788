/**
 * The CLI commands of spec sessions: `current-phase`, `task` and `complete-phase`, on the views and the
 * update of ./names.ts. Listed in ../cli-commands.ts; imports only commander's types and the names, so
 * the CLI registers them at startup without loading the orchestrator.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { COMPLETE_PHASE, VIEWS } from './names';

/** What the CLI lends these commands (the `TaskTypeCli` of ../cli-commands.ts, which lists this module). */
interface Cli {
  query(workflowId: string, name: string, ...args: string[]): Promise<unknown>;
  update(workflowId: string, name: string, payload: unknown): Promise<unknown>;
  print(text: string): void;
  parseJson(text: string, what: string): unknown;
}

/** A view as the `content` its template rendered, or as JSON (`--json`, or a view without content). */
function printView(cli: Cli, view: unknown, json: boolean | undefined): void {
  const content = (view as { content?: unknown } | null)?.content;
  cli.print(json || typeof content !== 'string' ? JSON.stringify(view, null, 2) : content);
}

/** Register `current-phase`, `task` and `complete-phase` on the program. */
export function registerSpecSessionCommands(program: Command, cli: Cli): void {
  program
    .command('current-phase')
    .description(
      'show the current phase of a spec session (dynamic definitions): its tasks and validation gate, rendered',
    )
    .argument('<workflowId>')
    .option('--json', 'print the whole view as JSON (id, name, tasks, gate, content)')
    .addHelpText('after', '\nExample:\n  $ flowstate current-phase spec-execution-1a2b')
    .action(async (id: string, o: { json?: boolean }) =>
      printView(cli, await cli.query(id, VIEWS.currentPhase), o.json),
    );

  program
    .command('task')
    .description(
      'show task <n> (1-based) of a phase of a spec session, rendered with its acceptance criteria',
    )
    .argument('<workflowId>')
    .argument('<phase>', 'phase id, e.g. 1')
    .argument('<n>', 'task number within the phase, from 1')
    .option('--json', 'print the whole view as JSON (id, title, criteria, dependencies, content)')
    .addHelpText('after', '\nExample:\n  $ flowstate task spec-execution-1a2b 1 2')
    .action(async (id: string, phase: string, n: string, o: { json?: boolean }) =>
      printView(cli, await cli.query(id, VIEWS.task, phase, n), o.json),
    );

  program
    .command('complete-phase')
    .description(
      "complete the current phase of a spec session: the evidence must address every criterion of the phase's validation gate",
    )
    .argument('<workflowId>')
    .requiredOption(
      '--evidence <file|json>',
      'a JSON file or JSON text: { "criteria": { "<number or text>": "<how it was met>" }, "summary": "..." }',
    )
    .option('--phase <id>', 'the phase you mean to complete; refused if another phase is current')
    .addHelpText(
      'after',
      `\nA refusal exits 1 and lists the gate criteria not addressed; the run is unchanged.\n\nExample:\n  $ flowstate complete-phase spec-execution-1a2b --phase 1 --evidence '{"criteria": {"1": "18 model tests", "2": "seeds test", "3": "eslint clean"}}'`,
    )
    .action(async (id: string, o: { evidence: string; phase?: string }) => {
      const parsed = fs.existsSync(o.evidence)
        ? cli.parseJson(fs.readFileSync(o.evidence, 'utf8'), `--evidence ${o.evidence}`)
        : cli.parseJson(o.evidence, '--evidence (neither a file nor JSON)');
      const wrapped = parsed !== null && typeof parsed === 'object' && 'evidence' in parsed;
      const payload = {
        ...(wrapped ? (parsed as object) : { evidence: parsed }),
        ...(o.phase ? { phase: o.phase } : {}),
      };
      const reply = (await cli.update(id, COMPLETE_PHASE, payload)) as {
        completed?: { id: string; name: string };
        next?: { id: string; name: string } | null;
      };
      const done = reply?.completed
        ? `phase ${reply.completed.id} '${reply.completed.name}' complete`
        : 'phase complete';
      cli.print(
        reply?.next
          ? `${done}; now phase ${reply.next.id} '${reply.next.name}' (flowstate current-phase ${id})`
          : `${done}; the session is done (flowstate result ${id})`,
      );
    });
}
