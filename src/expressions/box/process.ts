/**
 * An evaluator as a child process (`child.ts`): a separate V8, so that a heap exhausted or a V8 fatal
 * error ("invalid size", which aborts the whole process, worker threads included) ends only the
 * evaluator. Its heap is capped with `--max-old-space-size`; under TypeScript (tests, tsx) it loads
 * through tsx.
 */
import { fork } from 'node:child_process';
import path from 'node:path';
import { limitsToEnv, type BoxLimits } from './limits';
import type { BoxReply, Evaluator } from './pool';

/** How much of an evaluator's stderr is kept to tell why it died. */
const STDERR_KEPT = 4_096;

/** Start an evaluator process with the given limits. */
export function forkEvaluator(limits: BoxLimits): Evaluator {
  const typescript = path.extname(__filename) === '.ts';
  const child = fork(path.join(__dirname, `child${path.extname(__filename)}`), [], {
    env: { ...process.env, ...limitsToEnv(limits) },
    execArgv: [
      ...(typescript ? ['--require', require.resolve('tsx/cjs')] : []),
      `--max-old-space-size=${limits.memoryMb}`,
      '--stack-size=2048',
    ],
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    serialization: 'advanced',
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => {
    if (stderr.length < STDERR_KEPT) stderr += d.toString('utf8').slice(0, STDERR_KEPT - stderr.length);
  });
  const setRef = (busy: boolean) => {
    const channel = child.channel as { ref?(): void; unref?(): void } | undefined;
    const stream = child.stderr as { ref?(): void; unref?(): void } | null;
    for (const handle of [child, channel, stream]) (busy ? handle?.ref : handle?.unref)?.call(handle);
  };
  setRef(false);
  return {
    send: (request) => child.send(request),
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
    ref: setRef,
    onReply: (listener) =>
      child.on('message', (m: BoxReply | { ready: true }) => {
        if (!('ready' in m)) listener(m);
      }),
    onReady: (listener) =>
      child.on('message', (m: BoxReply | { ready: true }) => {
        if ('ready' in m) listener();
      }),
    onExit: (listener) => {
      let ended = false;
      const end = (code: number | null, signal: string | null) => {
        if (ended) return;
        ended = true;
        listener(code, signal, stderr);
      };
      child.once('exit', end);
      child.once('error', () => end(child.exitCode, child.signalCode));
    },
  };
}
