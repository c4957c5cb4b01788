/**
 * `flowstate approve` and `reject`: decide a pending gate through the validated decide update, with
 * the decider's token (`--token` or `FLOWSTATE_TOKEN`) when given. A token is never printed.
 */
import type { Command } from 'commander';
import type { FlowstateClient } from '../../client/index';
import { CliError, out } from '../output';
import { finishedError, withClient } from './client';

function decisionCommand(program: Command, decision: 'approve' | 'reject'): void {
  program
    .command(decision)
    .description(`${decision} a pending gate (through the validated decide update)`)
    .argument('<workflowId>')
    .option('--gate <path>', 'task path of the gate (optional when one gate is pending)')
    .option('--by <name>', 'who decides', process.env.USER ?? 'cli')
    .option('--comment <text>', decision === 'reject' ? 'what to change (the revision sees it)' : 'a note')
    .option(
      '--token <jwt>',
      'who decides, as a JWT (default: FLOWSTATE_TOKEN); needed when the worker verifies deciders',
    )
    .addHelpText(
      'after',
      `\nExample:\n  $ flowstate ${decision} document-approval-1a2b --gate draft --by editor${decision === 'reject' ? " --comment 'shorter intro'" : ''}`,
    )
    .action(async (id: string, o: { gate?: string; by: string; comment?: string; token?: string }) =>
      withClient(async (client) => {
        const token = o.token ?? (process.env.FLOWSTATE_TOKEN || undefined);
        const gate = await client
          .decide(id, {
            decision,
            by: o.by,
            ...(o.gate ? { gate: o.gate } : {}),
            ...(o.comment ? { comment: o.comment } : {}),
            ...(token ? { token } : {}),
          })
          .catch(async (e: unknown) => {
            throw (
              (await finishedError(client, id, 'no gate to decide')) ??
              severalGates(e, id, decision, o.by) ??
              e
            );
          });
        out(`${gate.gate}: ${gate.status} by ${await decidedBy(client, id, gate.gate, o.by)}`);
      }),
    );
}

/** Who the run recorded as the decider of `gate` (the token's subject, when verified); `by` when it cannot say. */
async function decidedBy(client: FlowstateClient, id: string, gate: string, by: string): Promise<string> {
  try {
    const record = (await client.state(id)).decisions.filter((d) => d.gate === gate).pop();
    if (!record) return by;
    return `${record.decided_by}${record.verified ? ` (verified${record.issuer ? `, ${record.issuer}` : ''})` : ''}`;
  } catch {
    return by;
  }
}

/** The refusal "several gates are pending (a, b): name one with gate" as a CLI line naming `--gate`. */
function severalGates(e: unknown, id: string, decision: string, by: string): CliError | undefined {
  const reason = ((e as Error)?.cause as Error | undefined)?.message ?? '';
  const pending = /several gates are pending \((.*)\)/.exec(reason)?.[1];
  if (!pending) return undefined;
  const first = pending.split(', ')[0];
  return new CliError(
    `several gates are pending (${pending}): name one with --gate, e.g. npx flowstate ${decision} ${id} --gate '${first}' --by ${by}`,
    1,
  );
}

/** `approve`: approve a pending gate. */
export function approveCommand(program: Command): void {
  decisionCommand(program, 'approve');
}

/** `reject`: reject a pending gate, with a comment the revision sees. */
export function rejectCommand(program: Command): void {
  decisionCommand(program, 'reject');
}
