/**
 * Quick figures for a worker's own costs (not the bench: one run each, on whatever load the machine
 * has, which it prints): `flowstate worker` process start to polling, the first workflow task of a
 * run on that fresh worker, the workflow-task time of a 20-task sequence, and the workflow tasks of a
 * 500-run batch child (the longest, and any failed or timed out).
 *
 *   npx tsx scripts/measure-worker.ts [--skip-batch]   (MEASURE_CPU_PROF=<dir>: profile the worker)
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { FlowstateClient } from '../src/client';
import { compileOrThrow } from '../src/dsl/loader';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { scanWorkflowTasks, eventTimeMs } from '../src/replay/workflow-tasks';
import { startDevServer } from '../src/server/dev-server';

const ROOT = path.resolve(__dirname, '..');
const { compiledIsCurrent } = require('../bin/compiled') as { compiledIsCurrent(): boolean };
const compile = (yaml: string) => compileOrThrow(yaml, 'measure.yaml', builtinTaskTypes());
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function main(): Promise<void> {
  const server = await startDevServer({ ui: false });
  const taskQueue = 'measure';
  const t0 = performance.now();
  // MEASURE_CPU_PROF=<dir>: the worker writes CPU profiles there (one per thread) when it stops.
  const prof = process.env.MEASURE_CPU_PROF
    ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MEASURE_CPU_PROF}`]
    : [];
  const worker = spawn(process.execPath, [...prof, path.join(ROOT, 'bin/flowstate.js'), 'worker'], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: server.address, FLOWSTATE_TASK_QUEUE: taskQueue },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  const startMs = await new Promise<number>((resolve, reject) => {
    worker.stderr!.on('data', (d) => {
      log += d;
      if (log.includes('"msg":"worker running"')) resolve(performance.now() - t0);
    });
    worker.once('exit', (code) => reject(new Error(`worker exited ${code}: ${log}`)));
  });
  const mode = compiledIsCurrent() ? 'dist' : 'tsx (src newer than dist)';
  console.log(`worker start → polling: ${startMs.toFixed(0)} ms [${mode}] (load ${load()})`);
  try {
    const connection = await Connection.connect({ address: server.address });
    const client = new Client({ connection });
    const fs = new FlowstateClient(client, { address: server.address, namespace: 'default', taskQueue });
    const history = async (id: string) => (await client.workflow.getHandle(id).fetchHistory()).events ?? [];
    const run = async (yaml: string, id: string) => {
      const ref = await fs.start(compile(yaml), {}, { workflowId: id });
      await fs.result(ref.workflowId);
      return history(id);
    };

    const first = await run(
      `id: first\nversion: 1.0.0\ntasks:\n  - { id: only, tool: echo, with: 1 }\n`,
      'first-0',
    );
    const started = first.find((e) => e.workflowTaskStartedEventAttributes)!;
    const completed = first.find((e) => e.workflowTaskCompletedEventAttributes)!;
    console.log(
      `first workflow task on a fresh worker: ${(eventTimeMs(completed) - eventTimeMs(started)).toFixed(1)} ms (load ${load()})`,
    );

    const seq = Array.from({ length: 20 }, (_, i) =>
      i === 0
        ? `  - { id: s0, tool: echo, with: { step: 0, previous: null } }`
        : `  - { id: s${i}, tool: echo, with: { step: ${i}, previous: "{{ tasks.s${i - 1}.output.step }}" } }`,
    );
    const seqYaml = `id: seq20\nversion: 1.0.0\ntasks:\n${seq.join('\n')}\n`;
    const totals: number[] = [];
    for (let i = 0; i < 6; i++) totals.push(scanWorkflowTasks(await run(seqYaml, `seq20-${i}`)).totalMs);
    const warm = totals.slice(1).sort((a, b) => a - b);
    console.log(
      `seq20 workflow-task time (sum per run), warm runs: median ${warm[2].toFixed(1)} ms, all ${totals.map((t) => t.toFixed(0)).join(' ')} (load ${load()})`,
    );

    if (!process.argv.includes('--skip-batch')) {
      const yaml = `id: batch\nversion: 1.0.0\ntasks:\n  - id: each\n    type: collection\n    items: "[1..500]"\n    task: { id: echo, tool: echo, with: "{{ item }}" }\n`;
      const t = performance.now();
      const parent = await run(yaml, 'batch-0');
      const wall = performance.now() - t;
      const childId = parent.flatMap(
        (e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId ?? [],
      )[0];
      const child = scanWorkflowTasks(await history(childId));
      console.log(
        `500-run batch child: ${child.tasks} workflow tasks, longest ${child.maxMs.toFixed(0)} ms, total ${child.totalMs.toFixed(0)} ms, issues ${JSON.stringify(child.issues.filter((i) => i.kind !== 'slow'))}, over 1 s: ${child.issues.filter((i) => i.kind === 'slow').length}; run ${(wall / 1000).toFixed(1)} s (load ${load()})`,
      );
    }
    await connection.close();
  } finally {
    worker.kill('SIGTERM');
    await new Promise((r) => worker.once('exit', r));
    await server.stop();
  }
}

void main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
