/**
 * What the commands that talk to Temporal share: a client for the length of one command, live
 * progress, and the process's Temporal Runtime for those that run Temporal's native core (workers,
 * replay). The client code is loaded when such a command runs, not when the CLI starts.
 */
import type { FlowstateClient } from '../../client/index';

/** Connect (settings from the environment), run `fn`, close. */
export async function withClient<T>(fn: (client: FlowstateClient) => Promise<T>): Promise<T> {
  const { FlowstateClient, settingsFromEnv } = require('../../client/index') as typeof import('../../client/index');
  const client = await FlowstateClient.connect(settingsFromEnv());
  try {
    return await fn(client);
  } finally {
    await client.close();
  }
}

/** Poll the state query and show progress until the run ends: a live line on a TTY, plain lines otherwise. */
export async function follow(
  client: FlowstateClient,
  workflowId: string,
  until: Promise<unknown>,
): Promise<void> {
  const { progressLine } = require('../format') as typeof import('../format');
  const tty = process.stderr.isTTY;
  let last = '';
  let done = false;
  until.then(
    () => (done = true),
    () => (done = true),
  );
  while (!done) {
    try {
      const line = progressLine(await client.state(workflowId));
      if (line !== last) {
        process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
        last = line;
      }
    } catch {
      // the run may have ended between two polls
    }
    await Promise.race([until.catch(() => undefined), new Promise((r) => setTimeout(r, 500))]);
  }
  if (tty && last) process.stderr.write('\n');
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
