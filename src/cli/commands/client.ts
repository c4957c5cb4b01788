/**
 * What the commands that talk to Temporal share: a client for the length of one command, live
 * progress, and the process's Temporal Runtime for those that run Temporal's native core (workers,
 * replay). The client code is loaded when such a command runs, not when the CLI starts.
 */
import type { FlowstateClient, RunDescription } from '../../client/index';
import { CliError, note } from '../output';

/** Connect (settings from the environment), run `fn`, close. */
export async function withClient<T>(fn: (client: FlowstateClient) => Promise<T>): Promise<T> {
  const { FlowstateClient, settingsFromEnv } =
    require('../../client/index') as typeof import('../../client/index');
  const client = await FlowstateClient.connect(settingsFromEnv());
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/**
 * Poll the state query and show progress until the run ends: a live line on a TTY, plain lines
 * otherwise. When no worker polls the run's task queue for a few seconds, say so once (the run waits
 * for one). Ctrl-C stops following, not the run (see `onInterrupt`). `progress: false`
 * waits without showing progress (one line says it waits).
 */
export async function follow(
  client: FlowstateClient,
  workflowId: string,
  until: Promise<unknown>,
  options: { progress?: boolean } = {},
): Promise<void> {
  const { progressLine } = require('../format') as typeof import('../format');
  const stopInterrupt = onInterrupt(workflowId);
  if (options.progress === false)
    note(`waiting for ${workflowId} to end (Ctrl-C stops waiting, not the run)`);
  const tty = process.stderr.isTTY;
  let last = '';
  let done = false;
  until.then(
    () => (done = true),
    () => (done = true),
  );
  const workerCheck = setTimeout(
    () => void warnWithoutWorker(client, workflowId, () => done),
    NO_WORKER_GRACE_MS,
  );
  try {
    while (!done) {
      if (options.progress !== false)
        try {
          const line = progressLine(await client.state(workflowId));
          if (line !== last) {
            process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
            last = line;
          }
        } catch {
          // the run may have ended between two polls, or no worker answers the query yet
        }
      await Promise.race([until.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
    }
  } finally {
    clearTimeout(workerCheck);
    stopInterrupt();
  }
  if (tty && last) process.stderr.write('\n');
}

/** How long `follow` waits for a worker to poll before saying there is none. */
const NO_WORKER_GRACE_MS = 3_000;

async function warnWithoutWorker(
  client: FlowstateClient,
  workflowId: string,
  done: () => boolean,
): Promise<void> {
  try {
    const { taskQueue, temporalStatus } = await client.describe(workflowId);
    if (done() || temporalStatus !== 'RUNNING' || (await client.hasWorker(taskQueue))) return;
    note(`flowstate: ${noWorkerLine(taskQueue)}; ${workflowId} waits until one does`);
  } catch {
    // the check is advice only
  }
}

/** The line saying a task queue has no worker and how to start one. */
export function noWorkerLine(taskQueue: string): string {
  const { DEFAULT_TASK_QUEUE } = require('../../workflows/api') as typeof import('../../workflows/api');
  return `no worker polls task queue '${taskQueue}': start one with 'npx flowstate worker'${
    taskQueue === DEFAULT_TASK_QUEUE ? '' : ` (with FLOWSTATE_TASK_QUEUE=${taskQueue})`
  }`;
}

/**
 * Fail fast (exit 2) when no worker polls the run's task queue: a query would wait for one until it
 * times out. Returns the run's description.
 */
export async function requireWorker(client: FlowstateClient, workflowId: string): Promise<RunDescription> {
  const run = await client.describe(workflowId);
  if (!(await client.hasWorker(run.taskQueue)))
    throw new CliError(`${noWorkerLine(run.taskQueue)}; it answers queries about ${workflowId}`, 2);
  return run;
}

/**
 * The first Ctrl-C while waiting for a run stops waiting at once (exit 130) and says that the run
 * goes on, and how to follow or cancel it. Returns a function that removes the handler.
 */
export function onInterrupt(workflowId: string): () => void {
  const handler = () => {
    note(
      `\nflowstate: stopped waiting; ${workflowId} goes on. Follow it: npx flowstate status ${workflowId} --watch (or npx flowstate result ${workflowId}); cancel it: npx flowstate cancel ${workflowId}`,
    );
    process.exit(130);
  };
  process.once('SIGINT', handler);
  return () => process.removeListener('SIGINT', handler);
}

/**
 * A `CliError` (exit 1) saying the run has finished, with its status, when it has; undefined when
 * it is still running or does not exist. For commands that only make sense on a running run.
 */
export async function finishedError(
  client: FlowstateClient,
  workflowId: string,
  what: string,
): Promise<CliError | undefined> {
  const { WorkflowNotFoundError } = require('@temporalio/client') as typeof import('@temporalio/client');
  try {
    const run = await client.describe(workflowId);
    if (run.temporalStatus === 'RUNNING') return undefined;
    return new CliError(
      `${workflowId} has finished (${run.status}): ${what}; see 'npx flowstate status ${workflowId}'`,
      1,
    );
  } catch (e) {
    if (e instanceof WorkflowNotFoundError) return undefined;
    throw e;
  }
}

/**
 * Install the process's Temporal Runtime (logs through pino, metrics when asked), once, before a
 * command starts a native connection, a worker or a replay.
 */
export function installNativeRuntime(): void {
  const { installRuntime } =
    require('../../observability/runtime') as typeof import('../../observability/runtime');
  installRuntime();
}
