/** What a failed run says: the error a test reads from `WorkflowFailedError`. */
import { WorkflowFailedError } from '@temporalio/client';

/** The failure a run ended with: its type and message (fails the test if the run completed). */
export async function failureOf(promise: Promise<unknown>): Promise<{ type?: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    expect(e).toBeInstanceOf(WorkflowFailedError);
    const cause = (e as WorkflowFailedError).cause as { type?: string; message: string };
    return { type: cause.type, message: cause.message };
  }
  throw new Error('expected the run to fail, but it completed');
}
