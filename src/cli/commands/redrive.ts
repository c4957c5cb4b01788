/** `flowstate redrive`: a new run of a failed run that reuses what it settled and runs the rest. */
import type { Command } from 'commander';
import { note, out, outJson } from '../output';
import { withClient } from './client';

/** `redrive`: start a redrive of a failed, terminated, timed-out or cancelled run; print the new id. */
export function redriveCommand(program: Command): void {
  program
    .command('redrive')
    .description(
      "a new run of a failed run's pinned definition and input that reuses every task output settled before the failure and runs from the failed task on; prints the new id",
    )
    .argument('<workflowId>', 'the failed (terminated, timed-out, cancelled) run')
    .option('--id <workflowId>', 'workflow id of the new run (default <definition>-<short id>)')
    .option('--json', 'print { workflowId, runId, redrives, settled } as JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  $ flowstate redrive order-intake-1a2b3c4d\n  $ id=$(npx flowstate redrive order-intake-1a2b3c4d) && npx flowstate result "$id"',
    )
    .action(async (id: string, o: { id?: string; json?: boolean }) =>
      withClient(async (client) => {
        const run = await client.redrive(id, o.id ? { workflowId: o.id } : {});
        if (o.json) return outJson(run);
        note(
          `started ${run.workflowId}, a redrive of ${id} (${run.settled.length} settled task output(s) to reuse)`,
        );
        out(run.workflowId);
      }),
    );
}
