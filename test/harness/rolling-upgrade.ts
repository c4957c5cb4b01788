/**
 * A rolling upgrade with Worker Deployment Versioning, on whatever Temporal server `address` names
 * (the integration harness's dev server, or the PostgreSQL cluster): worker processes of build A (the
 * worker's own bundle) serve runs that stop at a gate; build B (upgrade-build-b.ts: the interpreter
 * with a change behind `patched()`) is bundled with the worker's bundler, its workers start and it is
 * made current; new runs start; every gate is approved. Then it checks, from each run's history, which
 * build completed each workflow task and which worker ran the task after the gate, and replays every
 * history on the bundle of the build that ran it last.
 *
 * `auto-upgrade` (Flowstate's default): runs started on A move to B at their next workflow task and
 * finish there, on the old branch of the patch. `pinned`: they finish on A, their task on A's worker.
 * Runs started on B are on B in both cases, with the patch's new branch.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { FlowstateClient } from '../../src/client';
import { eventSinks } from '../../src/events/bus';
import { describeDeployment, setCurrentBuild, type DeploymentStatus } from '../../src/client/deployments';
import { pollUntil } from '../../src/testkit/poll';
import { bundleHash, writeBundle } from '../../src/workflow-bundle';
import { runCli } from './cli';
import { BUILD_B_PATCH } from './upgrade-patch';
import { compileYaml } from './definitions';
import { spawnWorker } from './worker-process';

type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
const { EventType, VersioningBehavior } = temporal.api.enums.v1;

/** A worker process of one build, as the server's harness starts it (`spawnWorker`, or one per network namespace). */
export type StartWorker = (o: {
  address: string;
  taskQueue: string;
  env: NodeJS.ProcessEnv;
}) => Promise<{ pid: number; stop(): Promise<void> }>;

export interface RollingUpgradeOptions {
  /** The Temporal frontend, host:port. */
  address: string;
  namespace?: string;
  behavior: 'auto-upgrade' | 'pinned';
  /** Build A's bundle: a workflow bundle with its manifest beside it (the harness's FLOWSTATE_TEST_BUNDLE). */
  bundleA: string;
  /** Where build B's bundle is written. */
  dir: string;
  /** How a worker process starts; default: `bin/flowstate.js worker` here (spawnWorker). */
  startWorker?: StartWorker;
  /** Runs started on A, and on B; default 2 and 1. */
  runsOnA?: number;
  runsOnB?: number;
}

const DEFINITION = compileYaml(
  `id: upgrade-gate
version: 1.0.0
description: A document approved by an editor, then published.
tasks:
  - id: draft
    tool: echo
    with: { doc: '{{ input.doc }}' }
    acceptance: { acceptors: [editor] }
  - id: publish
    tool: echo
    with: { published: '{{ input.doc }}' }
`,
  'rolling-upgrade.yaml',
);

const defaultStartWorker: StartWorker = async ({ address, taskQueue, env }) => {
  const w = await spawnWorker({ address, taskQueue, env });
  return { pid: w.child.pid!, stop: () => w.stop() };
};

/** Run the upgrade and assert what each run shows; every process it started is stopped. */
export async function rollingUpgrade(o: RollingUpgradeOptions): Promise<Record<string, number>> {
  const timings: Record<string, number> = {};
  let mark = Date.now();
  /** Milliseconds since the previous phase ended, under `name`. */
  const phase = (name: string) => {
    timings[name] = Date.now() - mark;
    mark = Date.now();
  };
  const namespace = o.namespace ?? 'default';
  const suffix = randomUUID().slice(0, 8);
  const deployment = `flowstate-upgrade-${o.behavior}-${suffix}`;
  const taskQueue = `rolling-upgrade-${o.behavior}-${suffix}`;
  const startWorker = o.startWorker ?? defaultStartWorker;
  const connection = await Connection.connect({ address: o.address });
  const client = new Client({ connection, namespace });
  const flowstate = new FlowstateClient(client, { address: o.address, namespace, taskQueue });
  const workers: Array<{ stop(): Promise<void> }> = [];
  const workerEnv = (bundle: string) => ({
    TEMPORAL_NAMESPACE: namespace,
    FLOWSTATE_DEPLOYMENT_NAME: deployment,
    FLOWSTATE_VERSIONING_BEHAVIOR: o.behavior,
    FLOWSTATE_WORKFLOW_BUNDLE: bundle,
  });
  try {
    // Build A: its build id is its bundle's content hash (no FLOWSTATE_BUILD_ID).
    const buildA = bundleHash(o.bundleA)!;
    expect(buildA).toMatch(/^[0-9a-f]{16}$/);
    const workerA = await startWorker({ address: o.address, taskQueue, env: workerEnv(o.bundleA) });
    workers.push(workerA);
    await makeCurrent(client, deployment, buildA);

    phase('workerAUpAndCurrent');
    const runsOnA = await startAtGate(flowstate, 'a', o.runsOnA ?? 2);
    for (const id of runsOnA)
      expect(await versioning(client.workflow.getHandle(id))).toEqual({
        buildId: buildA,
        behavior: o.behavior,
      });

    // Build B: the interpreter with a change behind patched(), bundled as `npm run build` does.
    phase('runsOnAAtGate');
    const { bundle: bundleB, hash: buildB } = await bundleBuildB(o.dir);
    phase('bundleB');
    expect(buildB).not.toEqual(buildA);
    const cliEnv = {
      ...process.env,
      TEMPORAL_ADDRESS: o.address,
      TEMPORAL_NAMESPACE: namespace,
      FLOWSTATE_DEPLOYMENT_NAME: deployment,
      FLOWSTATE_LOG_LEVEL: 'warn',
    };
    // Before its workers poll, the server does not know build B: the CLI says what to do.
    const early = await runCli(['deployment', 'set-current', buildB], cliEnv);
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(`build ${buildB} of deployment ${deployment} was not made current`);
    expect(early.stderr).toContain(`flowstate deployment status --name ${deployment}' must list it`);
    const workerB = await startWorker({ address: o.address, taskQueue, env: workerEnv(bundleB) });
    workers.push(workerB);
    // Both builds are known; A is still current, so B's workers get nothing yet.
    const before = await pollUntil(() => describeDeployment(client, deployment), {
      until: (d) => d.builds.some((b) => b.buildId === buildB),
      what: `build ${buildB} registered in ${deployment}`,
    });
    expect(before.current).toBe(buildA);
    expect(statusOf(before, buildB)).toBe('inactive');

    // The operator's two commands: see the builds, make B current.
    const status = await runCli(['deployment', 'status'], cliEnv);
    expect(status.stdout).toContain(`deployment ${deployment}: current build ${buildA}\n`);
    expect(status.stdout).toContain(`${buildB}\tinactive\n`);
    expect(await runCli(['deployment', 'set-current', buildB], cliEnv)).toMatchObject({
      code: 0,
      stdout: `deployment ${deployment}: current build ${buildB}\n`,
    });
    const after = await describeDeployment(client, deployment);
    expect(after.current).toBe(buildB);
    expect(statusOf(after, buildB)).toBe('current');
    expect(statusOf(after, buildA)).toBe('draining');

    phase('workerBUpAndCurrent');
    const runsOnB = await startAtGate(flowstate, 'b', o.runsOnB ?? 1);
    for (const id of [...runsOnA, ...runsOnB])
      await flowstate.decide(id, { gate: 'draft', decision: 'approve', by: 'editor' });
    for (const id of [...runsOnA, ...runsOnB]) {
      const doc = id.split('-').slice(-2).join('-');
      expect((await flowstate.result(id)).decisions).toHaveLength(1);
      expect(await flowstate.taskOutput(id, 'publish')).toEqual({ published: doc });
    }

    phase('runsOnBThenAllApprovedAndDone');
    // Where each run's workflow tasks and its after-gate task ran, and whether each history replays.
    const bundles = { [buildA]: o.bundleA, [buildB]: bundleB };
    for (const id of runsOnA) {
      const run = await traceOf(client, id, workerA.pid, workerB.pid);
      expect(run.memo).toBeUndefined();
      expect(run.patchMarkers).toBe(0);
      expect(run.builds[0]).toBe(buildA);
      if (o.behavior === 'pinned') {
        expect(new Set(run.builds)).toEqual(new Set([buildA]));
        expect(run.publishedBy).toBe('A');
      } else {
        expect(run.builds.at(-1)).toBe(buildB);
        expect(run.publishedBy).toBe('B');
      }
      await replays(bundles[run.builds.at(-1)!], run.history, id);
      await replays(o.bundleA, run.history, id); // B's change took the old branch: A agrees too
    }
    for (const id of runsOnB) {
      const run = await traceOf(client, id, workerA.pid, workerB.pid);
      expect(new Set(run.builds)).toEqual(new Set([buildB]));
      expect(run.memo).toEqual({ flowstateUpgradeTest: 'started on build B' });
      expect(run.patchMarkers).toBe(1);
      expect(run.publishedBy).toBe('B');
      await replays(bundleB, run.history, id);
      // Why rolling back to A needs care (docs/operations.md): A cannot replay a run B started.
      await expect(replay(o.bundleA, run.history, id)).rejects.toThrow(/[Nn]ondetermin/);
    }
    phase('historiesCheckedAndReplayed');
    return timings;
  } finally {
    await Promise.allSettled(workers.map((w) => w.stop()));
    await connection.close();
  }
}

/** Make `buildId` current, once its workers have polled (the server refuses a build it has not seen). */
async function makeCurrent(client: Client, deployment: string, buildId: string): Promise<void> {
  await pollUntil(
    () =>
      setCurrentBuild(client, deployment, buildId).then(
        () => true,
        () => false,
      ),
    {
      until: (ok) => ok,
      timeoutMs: 60_000,
      intervalMs: 250,
      what: `build ${buildId} of ${deployment} made current`,
    },
  );
}

function statusOf(d: DeploymentStatus, buildId: string): string | undefined {
  return d.builds.find((b) => b.buildId === buildId)?.status;
}

/** Start `n` runs and wait until each waits at its gate; their workflow ids. */
async function startAtGate(flowstate: FlowstateClient, build: string, n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const doc = `doc-${build}${i}`;
    const { workflowId } = await flowstate.start(
      DEFINITION,
      { doc },
      { workflowId: `upgrade-${randomUUID().slice(0, 8)}-${doc}` },
    );
    ids.push(workflowId);
  }
  for (const id of ids)
    await pollUntil(() => flowstate.state(id).catch(() => undefined), {
      until: (s) => s?.pending_gates.some((g) => g.gate === 'draft') ?? false,
      timeoutMs: 60_000,
      what: `${id} waiting at gate 'draft'`,
    });
  return ids;
}

/** The run's versioning as the server describes it: the build of its last workflow task, and its behavior. */
async function versioning(handle: WorkflowHandle): Promise<{ buildId?: string; behavior: string }> {
  const info = (await handle.describe()).raw.workflowExecutionInfo?.versioningInfo;
  const behavior =
    info?.behavior === VersioningBehavior.VERSIONING_BEHAVIOR_PINNED ? 'pinned' : 'auto-upgrade';
  return { buildId: info?.deploymentVersion?.buildId ?? undefined, behavior };
}

/** What a finished run's history says: the build of each completed workflow task, in order; which worker ran `publish`; build B's marks. */
async function traceOf(client: Client, id: string, pidA: number, pidB: number) {
  const handle = client.workflow.getHandle(id);
  const history = await handle.fetchHistory();
  const events: HistoryEvent[] = history.events ?? [];
  const builds = events
    .filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)
    .map((e) => e.workflowTaskCompletedEventAttributes?.deploymentVersion?.buildId ?? '(unversioned)');
  const started = events.filter((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED);
  const identity = started.at(-1)?.activityTaskStartedEventAttributes?.identity ?? '';
  const publishedBy = identity.startsWith(`${pidA}@`)
    ? 'A'
    : identity.startsWith(`${pidB}@`)
      ? 'B'
      : identity;
  // Markers of build B's patch only: the interpreter's own patches record markers of their own.
  const patchMarkers = events.filter((e) => {
    const marker = e.markerRecordedEventAttributes;
    if (e.eventType !== EventType.EVENT_TYPE_MARKER_RECORDED || marker?.markerName !== 'core_patch')
      return false;
    const data = marker.details?.['patch-data']?.payloads?.[0];
    const patch = data ? (defaultPayloadConverter.fromPayload(data) as { id?: string }) : undefined;
    return patch?.id === BUILD_B_PATCH;
  }).length;
  const memo = (await handle.describe()).memo?.flowstateUpgradeTest;
  return {
    history,
    builds,
    publishedBy,
    patchMarkers,
    memo: memo === undefined ? undefined : { flowstateUpgradeTest: memo },
  };
}

/** Replay `history` on the bundle at `codePath` (rejects with the SDK's DeterminismViolationError). */
function replay(codePath: string, history: temporal.api.history.v1.IHistory, id: string): Promise<void> {
  quietRuntime();
  const sinks = eventSinks(() => undefined);
  return Worker.runReplayHistory({ workflowBundle: { codePath }, sinks }, history, id);
}

async function replays(
  codePath: string,
  history: temporal.api.history.v1.IHistory,
  id: string,
): Promise<void> {
  await expect(replay(codePath, history, id)).resolves.toBeUndefined();
}

/** The SDK's runtime logging warnings only (the replay workers would log each state change). */
function quietRuntime(): void {
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // installed already (by the harness's env, or an earlier call)
  }
}

let buildB: Promise<{ bundle: string; hash: string }> | undefined;

/** Build B's bundle, written once per test process (both behaviours run the same build B). */
function bundleBuildB(dir: string): Promise<{ bundle: string; hash: string }> {
  const bundle = path.join(dir, 'build-b.js');
  buildB ??= writeBundle(bundle, [], require.resolve('./upgrade-build-b')).then(({ hash }) => ({
    bundle,
    hash,
  }));
  return buildB;
}
