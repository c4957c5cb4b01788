/** `flowstate approve` and `reject`: decide a pending gate through the validated decide update. */
import type { Command } from 'commander';
import { out } from '../output';
import { withClient } from './client';

function decisionCommand(program: Command, decision: 'approve' | 'reject'): void {
  program
    .command(decision)
    .description(`${decision} a pending gate (through the validated decide update)`)
    .argument('<workflowId>')
    .option('--gate <path>', 'task path of the gate (optional when one gate is pending)')
    .option('--by <name>', 'who decides', process.env.USER ?? 'cli')
    .option('--comment <text>', decision === 'reject' ? 'what to change (the revision sees it)' : 'a note')
    .addHelpText(
      'after',
      `\nExample:\n  $ flowstate ${decision} document-approval-1a2b --gate draft --by editor${decision === 'reject' ? " --comment 'shorter intro'" : ''}`,
    )
    .action(async (id: string, o: { gate?: string; by: string; comment?: string }) =>
      withClient(async (client) => {
        const gate = await client.decide(id, {
          decision,
          by: o.by,
          ...(o.gate ? { gate: o.gate } : {}),
          ...(o.comment ? { comment: o.comment } : {}),
        });
        out(`${gate.gate}: ${gate.status} by ${o.by}`);
      }),
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
