import type { WorkflowUpdateFailedError } from '@temporalio/client';

/**
 * What a run's refusal of an update says: its type (Unauthenticated, NotAnAcceptor, GateNotPending...)
 * when the run gave one, and the line the CLI and the console show, `refused [Type]: <why>`.
 */
export function refusalOf(e: WorkflowUpdateFailedError): { type?: string; message: string } {
  const type = (e.cause as { type?: string } | undefined)?.type;
  const typed = type && type !== 'Error' ? ` [${type}]` : '';
  return {
    ...(typed ? { type } : {}),
    message: `refused${typed}: ${(e.cause as Error)?.message ?? e.message}`,
  };
}
