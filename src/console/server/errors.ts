/** Errors of the console's JSON API: an HTTP status and one message naming the problem and the fix. */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, ServiceError } from '@temporalio/client';
import { ConnectionError } from '../../connection';
import { NotFlowstateRunError } from '../../client/pinned';
import { InboxError } from '../../client/inbox';
import { refusalOf } from '../../client/refusal';
import { DefinitionLoadError } from '../../client/definitions';
import { RegistryError } from '../../registry/errors';

/** An error the API answers with as `{ error: message }` and `status`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: 400 | 403 | 404 | 409 | 500 | 503,
    message: string,
  ) {
    super(message);
  }
}

/** gRPC codes that mean the server is not there (UNAVAILABLE, DEADLINE_EXCEEDED). */
const UNREACHABLE_CODES = new Set([4, 14]);

/** The status and message for any error a route threw; `address` is Temporal's (for unreachable). */
export function apiErrorOf(e: unknown, address: string): { status: number; message: string } {
  if (e instanceof ApiError) return { status: e.status, message: e.message };
  if (e instanceof WorkflowNotFoundError)
    return { status: 404, message: `no run with id '${e.workflowId}' (see the runs page)` };
  if (e instanceof NotFlowstateRunError) return { status: 404, message: e.message };
  if (e instanceof InboxError) return { status: 400, message: e.message };
  if (e instanceof WorkflowUpdateFailedError) {
    const { type, message } = refusalOf(e);
    const status =
      type === 'Unauthenticated' || type === 'NotAnAcceptor' || type === 'SelfReview' ? 403 : 409;
    return { status, message };
  }
  if (e instanceof DefinitionLoadError) return { status: 404, message: e.message };
  if (e instanceof RegistryError)
    return { status: e.type === 'DefinitionNotFound' ? 404 : 503, message: e.message };
  if (e instanceof ConnectionError) return { status: 503, message: e.message };
  const code = (e as { code?: unknown })?.code ?? ((e as Error)?.cause as { code?: unknown })?.code;
  if ((e instanceof ServiceError || typeof code === 'number') && UNREACHABLE_CODES.has(code as number))
    return {
      status: 503,
      message: `Temporal unreachable at ${address}: start it ('npx flowstate server') or set TEMPORAL_ADDRESS`,
    };
  return { status: 500, message: (e as Error)?.message ?? String(e) };
}
