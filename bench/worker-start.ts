/**
 * A worker's start (DESIGN.md section 8): `flowstate worker` as a process, from spawn to its
 * `worker running` log line (logged as it starts polling), and the first workflow task of a run on
 * that fresh worker (WorkflowTaskStarted → Completed in the run's history). The bin runs dist/ when
 * it is current (bench/cli-startup.ts builds it), as an installed worker does.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ensureBuilt } from './cli-startup';
import { compile } from './interpreter';
import { type BenchEnv, type Row, eventMs, fmt, historyOf, median, scaled } from './lib';

const ROOT = path.resolve(__dirname, '..');

/** Spawn a worker on `taskQueue`; resolves with the ms to its `worker running` line and a stop(). */
async function startWorker(env: BenchEnv, taskQueue: string): Promise<{ ms: number; stop(): Promise<void> }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), 'worker'], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.server.address,
      FLOWSTATE_TASK_QUEUE: taskQueue,
      FLOWSTATE_LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let log = '';
  const ms = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`worker not running after 60 s: ${log.slice(-1000)}`)),
      60_000,
    );
    child.stderr!.on('data', (d) => {
      log = (log + d).slice(-10_000);
      if (log.includes('"msg":"worker running"')) {
        clearTimeout(timer);
        resolve(performance.now() - t0);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${log.slice(-1000)}`));
    });
  });
  return {
    ms,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

export async function benchWorkerStart(env: BenchEnv): Promise<Row[]> {
  ensureBuilt();
  const def = compile(`id: first-wft\nversion: 1.0.0\ntasks:\n  - { id: only, tool: echo, with: 1 }\n`);
  const starts: number[] = [];
  const firstTasks: number[] = [];
  for (let i = 0; i < scaled(5, 2); i++) {
    const taskQueue = `bench-worker-start-${i}-${Date.now()}`;
    const worker = await startWorker(env, taskQueue);
    try {
      starts.push(worker.ms);
      const { workflowId } = await env.flowstate.start(def, {}, { taskQueue });
      await env.flowstate.result(workflowId);
      const events = await historyOf(env.client, workflowId);
      const started = events.find((e) => e.workflowTaskStartedEventAttributes)!;
      const completed = events.find((e) => e.workflowTaskCompletedEventAttributes)!;
      firstTasks.push(eventMs(completed) - eventMs(started));
    } finally {
      await worker.stop();
    }
  }
  const [start, first] = [median(starts) / 1000, median(firstTasks)];
  return [
    {
      name: `worker: process start to polling (median of ${starts.length})`,
      value: `${fmt(start, 2)} s`,
      budget: '≤ 0.5 s',
      ok: start <= 0.5,
    },
    {
      name: `worker: first workflow task of a run on a fresh worker (median of ${firstTasks.length})`,
      value: `${fmt(first, 0)} ms`,
      budget: '≤ 30 ms',
      ok: first <= 30,
    },
  ];
}
