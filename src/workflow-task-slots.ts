/**
 * How many workflow tasks a worker takes at once. A worker runs workflow code in one thread (the SDK's
 * reusable V8 context), so a workflow task it has taken beyond what that thread can run waits in the
 * worker, with its timeout (10 s) running, while the server could have handed it to another worker or
 * added the events that arrived meanwhile to it. The SDK takes 40. Measured on a 2-core machine
 * (docs/operations.md, "Workflow task slots"): with 8, a 10,000-item collection had no workflow task
 * over 1 s (with 40: 2 and 13 in two runs) and a fifth of the workflow tasks, and 300 runs at once
 * finished in the same time; with 2, those 300 runs took 60 % longer. FLOWSTATE_WORKFLOW_TASK_SLOTS
 * changes it (e.g. for a worker given more workflow threads).
 */
import { envWholeNumber } from './env';

/** Workflow tasks a worker takes at once unless FLOWSTATE_WORKFLOW_TASK_SLOTS says otherwise. */
export const DEFAULT_WORKFLOW_TASK_SLOTS = 8;

/** FLOWSTATE_WORKFLOW_TASK_SLOTS (2-1000), else the default; an `EnvError` for a value that cannot work. */
export function workflowTaskSlotsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  // The SDK needs 2 while it caches runs: one for a run's sticky queue and one for the shared queue.
  const range = { min: 2, max: 1000, takes: 'a whole number of workflow tasks (2-1000)' };
  return envWholeNumber(env, 'FLOWSTATE_WORKFLOW_TASK_SLOTS', range) ?? DEFAULT_WORKFLOW_TASK_SLOTS;
}
