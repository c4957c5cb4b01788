/**
 * A Flowstate worker as a separate process (`bin/flowstate.js worker`), so tests can kill -9 it
 * and start another, as a crash in production would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');

export interface WorkerProcess {
  child: ChildProcess;
  /** kill -9: no shutdown, no draining. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnWorker(opts: {
  address: string;
  taskQueue: string;
  toolModules?: string[];
  env?: NodeJS.ProcessEnv;
  /** Run it in this network namespace (`ip netns exec`, root only): a worker on a "host" of its own. */
  netns?: string;
}): Promise<WorkerProcess> {
  const args = [
    path.join(ROOT, 'bin/flowstate.js'),
    'worker',
    ...(opts.toolModules?.length ? ['--tools', ...opts.toolModules] : []),
  ];
  // `ip netns exec` execs the command: the child's pid is the worker's.
  const [command, argv] = opts.netns
    ? ['ip', ['netns', 'exec', opts.netns, process.execPath, ...args]]
    : [process.execPath, args];
  const child = spawn(command, argv, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...opts.env,
      TEMPORAL_ADDRESS: opts.address,
      FLOWSTATE_TASK_QUEUE: opts.taskQueue,
      FLOWSTATE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker did not start within 60 s: ${log.slice(-2000)}`)),
      60_000,
    );
    child.stderr!.on('data', (d) => {
      log = (log + d).slice(-20_000);
      if (log.includes('"msg":"worker running"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code} before running: ${log.slice(-2000)}`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    kill9: async () => {
      child.kill('SIGKILL');
      await exited;
    },
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
