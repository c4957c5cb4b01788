/**
 * A worker's start (DESIGN.md section 8): `flowstate worker` as a process, from spawn to its
 * `worker running` log line (logged as it starts polling), and the first workflow task of a run on
 * that fresh worker (WorkflowTaskStarted → Completed in the run's history). The bin runs dist/ when
 * it is current (bench/cli-startup.ts builds it), as an installed worker does.
 *
 * Beside each figure, its floor in the same run: a hand-written SDK worker process
 * (baseline/worker.cjs, with a bundle built ahead) and the first workflow task of the hand-written
 * one-activity workflow on it. The budgets are absolute (≤ 0.5 s, ≤ 30 ms); the floor says how much
 * of a figure is the SDK's own start on this machine, and how much is Flowstate's.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureBuilt } from './cli-startup';
import { compile } from './interpreter';
import { type BenchEnv, type Row, eventMs, fmt, historyOf, median, scaled } from './lib';

const ROOT = path.resolve(__dirname, '..');

/** The process a side of the row spawns: its arguments, and the environment it adds. */
interface WorkerCommand {
  args: string[];
  env?: Record<string, string>;
}

/** Spawn a worker on `taskQueue`; resolves with the ms to its `worker running` line and a stop(). */
async function startWorker(
  env: BenchEnv,
  taskQueue: string,
  command: WorkerCommand,
): Promise<{ ms: number; stop(): Promise<void> }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, command.args, {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: env.server.address,
      FLOWSTATE_TASK_QUEUE: taskQueue,
      FLOWSTATE_LOG_LEVEL: 'info',
      ...command.env,
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

/** WorkflowTaskStarted → Completed of the first workflow task in a run's history. */
async function firstWorkflowTaskMs(env: BenchEnv, workflowId: string): Promise<number> {
  const events = await historyOf(env.client, workflowId);
  const started = events.find((e) => e.workflowTaskStartedEventAttributes)!;
  const completed = events.find((e) => e.workflowTaskCompletedEventAttributes)!;
  return eventMs(completed) - eventMs(started);
}

/** A figure and its hand-written floor, as a row's value: `1.30 s (hand-written worker 1.05 s = 1.24×)`. */
function withFloor(value: number, floor: number, digits: number, unit: string): string {
  return `${fmt(value, digits)} ${unit} (hand-written ${fmt(floor, digits)} ${unit} = ${fmt(value / floor)}×)`;
}

export async function benchWorkerStart(env: BenchEnv): Promise<Row[]> {
  ensureBuilt();
  const def = compile(`id: first-wft\nversion: 1.0.0\ntasks:\n  - { id: only, tool: echo, with: 1 }\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-bench-worker-'));
  const bundle = path.join(dir, 'baseline-bundle.js');
  fs.writeFileSync(bundle, env.baselineBundle.code);
  const sides = {
    flowstate: { starts: [] as number[], firstTasks: [] as number[] },
    floor: { starts: [] as number[], firstTasks: [] as number[] },
  };
  /** One fresh worker of a side: its start, then the first workflow task of `run` (a workflow id) on it. */
  const once = async (
    side: keyof typeof sides,
    command: WorkerCommand,
    run: (taskQueue: string) => Promise<string>,
  ) => {
    const taskQueue = `bench-worker-start-${side}-${Date.now()}`;
    const worker = await startWorker(env, taskQueue, command);
    try {
      sides[side].starts.push(worker.ms);
      sides[side].firstTasks.push(await firstWorkflowTaskMs(env, await run(taskQueue)));
    } finally {
      await worker.stop();
    }
  };
  try {
    // Alternated, so a host that slows down during the loop slows both sides.
    for (let i = 0; i < scaled(5, 2); i++) {
      await once(
        'flowstate',
        { args: [path.join(ROOT, 'bin/flowstate.js'), 'worker'] },
        async (taskQueue) => {
          const { workflowId } = await env.flowstate.start(def, {}, { taskQueue });
          await env.flowstate.result(workflowId);
          return workflowId;
        },
      );
      await once(
        'floor',
        { args: [path.join(__dirname, 'baseline/worker.cjs')], env: { BASELINE_BUNDLE: bundle } },
        async (taskQueue) => {
          const workflowId = `${taskQueue}-run`;
          await env.client.workflow.execute('baseline', { taskQueue, workflowId, args: [1] });
          return workflowId;
        },
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const { starts, firstTasks } = sides.flowstate;
  const [start, first] = [median(starts) / 1000, median(firstTasks)];
  const [floorStart, floorFirst] = [median(sides.floor.starts) / 1000, median(sides.floor.firstTasks)];
  return [
    {
      name: `worker: process start to polling (median of ${starts.length})`,
      value: withFloor(start, floorStart, 2, 's'),
      budget: '≤ 0.5 s',
      ok: start <= 0.5,
    },
    {
      name: `worker: first workflow task of a run on a fresh worker (median of ${firstTasks.length})`,
      value: withFloor(first, floorFirst, 0, 'ms'),
      budget: '≤ 30 ms',
      ok: first <= 30,
    },
  ];
}
