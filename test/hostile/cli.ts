/** The `flowstate` CLI as a process, for the hostile tests (payloads unencrypted, to read them). */
import { runCli, type Ran } from '../harness/cli';

export type { Ran } from '../harness/cli';

/** Run `flowstate <args>` with `env` (the harness's `processEnv()`); never rejects. */
export function flowstateCli(args: string[], env: NodeJS.ProcessEnv): Promise<Ran> {
  return runCli(args, { ...env, FLOWSTATE_ENCRYPTION_KEY: '' });
}
