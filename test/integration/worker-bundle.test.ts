/**
 * The worker as `flowstate worker` starts it runs a prebuilt workflow bundle (no webpack at start),
 * and never a stale one: a bundle whose manifest no longer matches the sources is rebuilt into the
 * cache folder, with a log line saying why, and the worker serves runs with the rebuilt one.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useTestEnv } from '../harness/env';
import { compileYaml, loadExample } from '../harness/definitions';
import { FlowstateClient } from '../../src/client';
import type { BundleManifest } from '../../src/bundle-manifest';

const ROOT = path.resolve(__dirname, '../..');
const env = useTestEnv();

interface CliWorker {
  child: ChildProcess;
  log(): string;
  stop(): Promise<void>;
}

/** `flowstate worker` on its own task queue, with the bundle and cache folder given; resolves once it runs. */
async function cliWorker(
  taskQueue: string,
  bundle: string,
  cache: string,
  extraEnv: Record<string, string> = {},
): Promise<CliWorker> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/flowstate.js'), 'worker'], {
    cwd: ROOT,
    env: env.processEnv({
      FLOWSTATE_TASK_QUEUE: taskQueue,
      FLOWSTATE_WORKFLOW_BUNDLE: bundle,
      FLOWSTATE_BUNDLE_CACHE: cache,
      FLOWSTATE_LOG_LEVEL: 'info',
      ...extraEnv,
    }),
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr!.on('data', (d) => (log += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker did not start: ${log.slice(-2000)}`)), 90_000);
    child.stderr!.on('data', () => {
      if (log.includes('"msg":"worker running"')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited with ${code}: ${log.slice(-2000)}`));
    });
  });
  return {
    child,
    log: () => log,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Run hello on `taskQueue` and return its output. */
async function hello(taskQueue: string, name: string): Promise<unknown> {
  const client = new FlowstateClient(env.client, { address: env.address, namespace: 'default', taskQueue });
  const ref = await client.start(await loadExample('hello'), { name });
  return (await client.result(ref.workflowId)).output;
}

const tmp = (prefix: string) => fs.mkdtempSync(path.join(os.tmpdir(), prefix));

test('a worker started from the CLI with a current prebuilt bundle runs it as it is, and serves a run', async () => {
  const cache = tmp('flowstate-bundle-cache-');
  const bundle = process.env.FLOWSTATE_TEST_BUNDLE!;
  const queue = `${env.taskQueue}-prebuilt`;
  const worker = await cliWorker(queue, bundle, cache);
  try {
    expect(await hello(queue, 'Ada')).toEqual({ greeting: 'Hello, Ada!', words: 2 });
    expect(worker.log()).not.toContain('is stale');
    expect(fs.readdirSync(cache)).toEqual([]);
    // The start line says how many workflow tasks it takes at once, as the SDK compiled it.
    expect(worker.log()).toContain('"workflowTaskSlots":8');
  } finally {
    await worker.stop();
  }
});

test('FLOWSTATE_WORKFLOW_TASK_SLOTS sets how many workflow tasks the worker takes at once', async () => {
  const queue = `${env.taskQueue}-slots`;
  const worker = await cliWorker(queue, process.env.FLOWSTATE_TEST_BUNDLE!, tmp('flowstate-bundle-cache-'), {
    FLOWSTATE_WORKFLOW_TASK_SLOTS: '3',
  });
  try {
    expect(worker.log()).toContain('"workflowTaskSlots":3');
    expect(await hello(queue, 'Grace')).toEqual({ greeting: 'Hello, Grace!', words: 2 });
  } finally {
    await worker.stop();
  }
});

test('a stale bundle is never used: the worker rebuilds it into the cache, says why, and serves a run', async () => {
  const dir = tmp('flowstate-stale-bundle-');
  const cache = tmp('flowstate-bundle-cache-');
  const source = process.env.FLOWSTATE_TEST_BUNDLE!;
  const bundle = path.join(dir, 'workflow-bundle.js');
  fs.copyFileSync(source, bundle);
  // As if src/workflows/walker.ts had been edited since the bundle was built.
  const manifest = JSON.parse(fs.readFileSync(source.replace(/\.js$/, '.json'), 'utf8')) as BundleManifest;
  expect(manifest.inputs['src/workflows/walker.ts']).toBeDefined();
  manifest.inputs['src/workflows/walker.ts'] = '0000000000000000';
  fs.writeFileSync(path.join(dir, 'workflow-bundle.json'), JSON.stringify(manifest));

  const queue = `${env.taskQueue}-stale`;
  const worker = await cliWorker(queue, bundle, cache);
  try {
    const warning = worker
      .log()
      .split('\n')
      .find((l) => l.includes('is stale'));
    expect(warning).toContain(`workflow bundle ${bundle} is stale (`);
    expect(warning).toContain('src/workflows/walker.ts changed');
    expect(warning).toContain(`since it was built): rebuilding it into ${cache}`);
    expect(await hello(queue, 'Grace')).toEqual({ greeting: 'Hello, Grace!', words: 2 });
    const rebuilt = JSON.parse(fs.readFileSync(path.join(cache, 'latest.json'), 'utf8')) as BundleManifest;
    expect(fs.existsSync(path.join(cache, `${rebuilt.hash}.js`))).toBe(true);
  } finally {
    await worker.stop();
  }
  // The next start reuses the rebuilt bundle instead of bundling again.
  const again = await cliWorker(queue, bundle, cache);
  try {
    expect(again.log()).not.toContain('rebuilding');
    expect(again.log()).toContain(`is stale, using ${cache}`);
  } finally {
    await again.stop();
  }
});

/**
 * The stack of every promise of a run waiting for a signal, as the stack-trace query (`temporal
 * workflow stack`) returns it from a worker started with FLOWSTATE_WORKFLOW_STACK_FRAMES = `frames`:
 * the most `at` lines of one promise's stack.
 */
async function deepestPromiseStack(frames: string): Promise<number> {
  const queue = `${env.taskQueue}-frames-${frames}`;
  const worker = await cliWorker(queue, process.env.FLOWSTATE_TEST_BUNDLE!, tmp('flowstate-bundle-cache-'), {
    FLOWSTATE_WORKFLOW_STACK_FRAMES: frames,
  });
  try {
    const client = new FlowstateClient(env.client, {
      address: env.address,
      namespace: 'default',
      taskQueue: queue,
    });
    const def = compileYaml(
      `id: waits\nversion: 1.0.0\ntasks:\n  - { id: go, type: wait, wait_for: go, timeout: 5m }\n`,
    );
    const ref = await client.start(def, {});
    const handle = env.client.workflow.getHandle(ref.workflowId);
    await client.state(ref.workflowId); // answered once the run has started and waits
    const stacks = String(await handle.query('__stack_trace'))
      .split(/\n\n+/)
      .filter((s) => s.trim());
    await handle.terminate('test done');
    expect(stacks.length).toBeGreaterThan(0);
    return Math.max(...stacks.map((s) => s.split('\n').filter((l) => /^\s*at /.test(l)).length));
  } finally {
    await worker.stop();
  }
}

test('the workflow threads keep the stack frames FLOWSTATE_WORKFLOW_STACK_FRAMES says', async () => {
  // The SDK's promise hook takes the first frame of each capture (itself) and drops it.
  expect(await deepestPromiseStack('3')).toBeLessThanOrEqual(2);
  expect(await deepestPromiseStack('20')).toBeGreaterThan(3);
});
