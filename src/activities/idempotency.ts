/**
 * The idempotency key handed to every tool and agent call (DESIGN.md section 4): the same for every
 * retry of one call, so a receiver can de-duplicate a retried side effect, and different for every
 * distinct call of a run.
 */

/**
 * `workflowId/taskPath`, plus `#revision-<n>` when a task rejected at its gate runs again (revision
 * `n` ≥ 1). Loop passes and collection items differ by their task paths (`review[1]/draft`).
 */
export function idempotencyKey(workflowId: string, path: string, revision?: number): string {
  return revision !== undefined && revision > 0
    ? `${workflowId}/${path}#revision-${revision}`
    : `${workflowId}/${path}`;
}
