/**
 * A case with `redrive: true`: its run is to end without completing (a stub's `sequence` fails first);
 * the kit then redrives it (`flowstate redrive`) and the case's expectations are about the redrive:
 * its status, output, paths (reused tasks included), events, and `calls` counted over both runs.
 */
import type { FlowstateClient } from '../client';
import type { CompiledDefinition } from '../contract/compiled';
import type { ResolvedCase } from './cases';
import type { RunOutcome } from './expect';
import { runOutcome } from './outcome';
import type { CaseBinding, StubRouter } from './stubs';

/** The case's run, as the runner started it. */
export interface CaseRun {
  id: string;
  definition: CompiledDefinition;
  binding: CaseBinding;
  deadline: number;
}

/**
 * Redrive the case's ended run as `<id>-redrive`, its tools answered by the same stubs (a `sequence`
 * goes on where the first run left it), and return how the redrive ended. When the first run
 * completed, or cannot be redriven, the outcome is a failure saying so.
 */
export async function redriveCase(
  kit: { client: FlowstateClient; router: StubRouter },
  c: ResolvedCase,
  run: CaseRun,
  first: RunOutcome,
): Promise<RunOutcome> {
  const { client, router } = kit;
  const refused = (message: string): RunOutcome => ({
    ...first,
    status: 'failed',
    error: { type: 'RedriveRefused', message: `redrive: ${message}` },
  });
  if (first.status === 'completed') {
    return refused(`the run completed, so there is nothing to redrive (it ran: ${first.paths.join(', ')})`);
  }
  if (first.status === 'running') return first;
  const workflowId = `${run.id}-redrive`;
  router.bind(workflowId, run.binding);
  try {
    await client.redrive(run.id, { workflowId });
    const ended = client.result(workflowId);
    ended.catch(() => undefined);
    const events = c.expect.events !== undefined;
    return await runOutcome(client, workflowId, run.definition, ended, run.deadline, run.binding, events);
  } catch (e) {
    return refused((e as Error).message);
  } finally {
    await client.client.workflow
      .getHandle(workflowId)
      .terminate('test case finished')
      .catch(() => undefined);
    router.unbind(workflowId);
  }
}
