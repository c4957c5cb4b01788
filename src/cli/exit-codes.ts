/**
 * The exit code and the one line of any error a command can end with (DESIGN.md section 6): 0 success,
 * 1 the workflow failed or input was invalid, 2 usage or connection error. The CLI loads this module
 * only when a command fails (it imports the Temporal client's errors); `npm start` uses it too.
 */
import {
  ServiceError,
  WorkflowFailedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ConnectionError } from '../connection';
import { EnvError } from '../env';
import { DefinitionLoadError } from '../client/definitions';
import { InputError } from '../client/input';
import { PayloadTooLargeError } from '../client/payload-size';
import { RedriveError } from '../client/redrive';
import { refusalOf } from '../client/refusal';
import { usageExitCode } from './output';
import { RegistryError } from '../registry/errors';

/** Map any error to one clear line and an exit code. */
export function exitCodeFor(e: unknown): { code: number; message: string } {
  const usage = usageExitCode(e);
  if (usage) return usage;
  if (e instanceof ConnectionError || e instanceof EnvError) return { code: 2, message: e.message };
  if (e instanceof InputError || e instanceof DefinitionLoadError || e instanceof PayloadTooLargeError)
    return { code: 1, message: e.message };
  if (e instanceof RedriveError) return { code: e.type === 'NoWorker' ? 2 : 1, message: e.message };
  if (e instanceof RegistryError)
    return { code: e.type === 'Unreachable' || e.type === 'Unauthorized' ? 2 : 1, message: e.message };
  if (e instanceof WorkflowNotFoundError)
    return { code: 1, message: `no run with id '${e.workflowId}' (see 'flowstate list')` };
  if (e instanceof WorkflowUpdateFailedError) return { code: 1, message: refusalOf(e).message };
  if (e instanceof WorkflowFailedError) {
    const cause = e.cause as (Error & { type?: string }) | undefined;
    return {
      code: 1,
      message: `run failed: ${cause?.type ? `[${cause.type}] ` : ''}${cause?.message ?? e.message}`,
    };
  }
  if (e instanceof ServiceError) return { code: 1, message: serverReason(e) };
  const err = e as Error & { code?: number; details?: string };
  if (err?.code === 5 /* gRPC NOT_FOUND */) return { code: 1, message: err.details ?? err.message };
  return { code: 1, message: err?.message ?? String(e) };
}

/**
 * "Failed to start Workflow" with the server's reason ("Blob data size exceeds limit", "signal
 * count limit exceeded"...), which the client keeps in the gRPC error it wraps.
 */
export function serverReason(e: ServiceError): string {
  const cause = e.cause as (Error & { details?: string }) | undefined;
  const reason = cause?.details || cause?.message;
  return reason && !e.message.includes(reason) ? `${e.message}: ${reason}` : e.message;
}
