/**
 * Running cases on a real Temporal server: one worker per cases file (on a task queue of its own)
 * whose tools are the dispatchers of `stubs.ts`, one run per case (plus its peers), the interaction
 * driver, then the expectations. `TestKit` adds what the CLI needs around it: a dev server when no
 * address is given, and one workflow bundle for every file.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { CancelledFailure, TerminatedFailure, TimeoutFailure, ApplicationFailure } from '@temporalio/common';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, type Worker } from '@temporalio/worker';
import type { Tool } from '../activities/tools';
import { FlowstateClient } from '../client';
import { durationMs } from '../contract/fields';
import type { CompiledDefinition } from '../contract/compiled';
import { formatDiagnostic } from '../dsl/diagnostics';
import { onEvent } from '../events/bus';
import type { FlowEvent } from '../events/types';
import { loadDefinition } from '../dsl/loader';
import { builtinTaskTypes } from '../orchestrators/registry';
import { FLOWSTATE_WORKFLOW_INTERCEPTORS } from '../observability';
import { startDevServer, type DevServer } from '../server/dev-server';
import { createWorker, WORKFLOWS_PATH } from '../worker';
import { loadToolModules } from '../worker-main';
import { EXAMPLE_TOOLS, loadCasesFile, type CasesFile, type ExpectSpec, type ResolvedCase } from './cases';
import { checkExpectations, type Failure, type RunOutcome } from './expect';
import { drive } from './interactions';
import { StubRouter, type CallRecord, type CaseBinding } from './stubs';
import { allTasks, applyTimeControl, describeChange, findTask, type TimeChange } from './time';

/** What one case did. */
export interface CaseResult {
  name: string;
  file: string;
  line: number;
  ok: boolean;
  /** Set when the case was skipped (its reason). */
  skipped?: string;
  failures: Failure[];
  durationMs: number;
  workflowId?: string;
  status?: RunOutcome['status'];
  /** Completed task paths, in order. */
  paths: string[];
  /** Durations the case changed, described (`reply timeout 7d → 1s (time_scale 7d -> 1s)`). */
  time: string[];
  calls: CallRecord[];
}

export interface SessionOptions {
  address: string;
  namespace?: string;
  /** A prebuilt workflow bundle (a file, or its code); default: bundle the interpreter here. */
  workflowBundle?: string | { code: string };
  /** Default: a fresh `flowstate-test-<id>` queue. */
  taskQueue?: string;
  /** Connections to share (the kit's); default: the session opens its own. */
  connection?: Connection;
  nativeConnection?: NativeConnection;
}

type Loaded = { ok: true; definition: CompiledDefinition } | { ok: false; message: string };

/** The cases of one file on one worker. */
export class CaseSession {
  private running?: Promise<void>;
  private readonly definitions = new Map<string, Loaded>();
  private searchAttributes = true;
  private unsubscribe?: () => void;

  private constructor(
    readonly cases: CasesFile,
    private readonly client: FlowstateClient,
    private readonly router: StubRouter,
    private worker: Worker | undefined,
    private readonly owned: { connection?: Connection; native?: NativeConnection },
  ) {}

  /** Load the file's definitions and tool modules, then start its worker. */
  static async open(cases: CasesFile, options: SessionOptions): Promise<CaseSession> {
    const namespace = options.namespace ?? 'default';
    const taskQueue = options.taskQueue ?? `flowstate-test-${randomUUID().slice(0, 8)}`;
    const realTools = await toolsOf(cases.toolModules);
    const router = new StubRouter(realTools);
    const connection = options.connection ?? (await Connection.connect({ address: options.address }));
    const native = options.nativeConnection ?? (await NativeConnection.connect({ address: options.address }));
    const owned = { ...(options.connection ? {} : { connection }), ...(options.nativeConnection ? {} : { native }) };
    const client = new FlowstateClient(new Client({ connection, namespace }), { address: options.address, namespace, taskQueue });
    const session = new CaseSession(cases, client, router, undefined, owned);
    const names = new Set<string>();
    for (const c of cases.cases) {
      for (const name of Object.keys(c.tools)) names.add(name);
      for (const file of [c.definition, ...Object.values(c.peers).map((p) => p.definition)]) {
        const loaded = await session.definition(file);
        if (loaded.ok) for (const name of calledBy(loaded.definition).tools) names.add(name);
      }
    }
    const bundle = options.workflowBundle;
    session.worker = await createWorker({
      connection: native,
      namespace,
      taskQueue,
      tools: router.tools(names),
      agents: router.agents(),
      ...(bundle === undefined ? {} : { workflowBundle: typeof bundle === 'string' ? { codePath: bundle } : bundle }),
    });
    session.running = session.worker.run();
    // Lifecycle events come through the worker's bus (this process): each goes to its run's case.
    session.unsubscribe = onEvent('*', (event) => void router.bindingOf(event.workflowId)?.events.push(event));
    return session;
  }

  /** Run one case; never throws for what the run did (that is in the result's failures). */
  async run(c: ResolvedCase): Promise<CaseResult> {
    const started = Date.now();
    const result: CaseResult = { name: c.name, file: c.file, line: c.line, ok: false, failures: [], durationMs: 0, paths: [], time: [], calls: [] };
    const finish = () => {
      result.ok = result.failures.length === 0;
      result.durationMs = Date.now() - started;
      return result;
    };
    if (c.skip !== undefined) return { ...finish(), ok: true, skipped: c.skip };

    const loaded = await this.definition(c.definition);
    if (!loaded.ok) {
      result.failures.push({ message: loaded.message, where: c.where(['definition']) });
      return finish();
    }
    const timed = applyTimeControl(loaded.definition, { ...(c.timeScale ? { scale: c.timeScale } : {}), overrides: c.durations });
    for (const p of timed.problems) result.failures.push({ message: `durations: ${p.message}`, path: p.key, where: c.where(['durations', p.key, ...(p.field ? [p.field] : [])], 'key') });
    result.failures.push(...staticProblems(c, loaded.definition));
    for (const [name, peer] of Object.entries(c.peers)) {
      const p = await this.definition(peer.definition);
      if (!p.ok) result.failures.push({ message: `peer '${name}': ${p.message}`, where: c.where(['peers', name, 'definition']) });
    }
    if (result.failures.length > 0) return finish();
    const definition = timed.definition;
    const changes: TimeChange[] = [...timed.changes];
    for (const [name, stub] of [...Object.entries(c.tools), ...Object.entries(c.agents)]) {
      for (const r of [...(stub.sequence ?? [stub]), ...(stub.match ?? [])]) {
        if (r.delay === undefined || !c.timeScale) continue;
        const from = durationMs(r.delay);
        changes.push({ task: `stub ${name}`, field: 'delay', fromMs: from, toMs: Math.round(from * c.timeScale.factor), how: 'time_scale' });
      }
    }
    result.time = changes.map((ch) => describeChange(ch, c.timeScale));

    // Ids first, so inputs, payloads and expectations can name the runs: ${run.id}, ${peers.<name>.id}.
    const id = `${slug(c.name)}-${randomUUID().slice(0, 8)}`;
    const peerIds = Object.fromEntries(Object.keys(c.peers).map((name) => [name, `${id}-${name}`]));
    const substitute = <T>(value: T): T => substituteIds(value, id, peerIds);
    result.workflowId = id;
    const binding: CaseBinding = { label: c.name, tools: c.tools, agents: c.agents, calls: [], events: [], ...(c.timeScale ? { delayFactor: c.timeScale.factor } : {}) };
    const peerBindings = Object.fromEntries(Object.keys(c.peers).map((name) => [name, { ...binding, label: `${c.name} (peer ${name})`, calls: [] as CallRecord[], events: [] as FlowEvent[] }]));
    this.router.bind(id, binding);
    for (const [name, pid] of Object.entries(peerIds)) this.router.bind(pid, peerBindings[name]);
    const started_: string[] = [];
    const deadline = Date.now() + c.timeoutMs;
    try {
      const startPeer = async (name: string) => {
        const peer = c.peers[name];
        const p = (await this.definition(peer.definition)) as { ok: true; definition: CompiledDefinition };
        const peerDef = applyTimeControl(p.definition, c.timeScale ? { scale: c.timeScale } : {}).definition;
        await this.start(peerDef, substitute(peer.input ?? {}), peerIds[name]);
        started_.push(peerIds[name]);
      };
      const peers = Object.entries(c.peers);
      try {
        for (const [name, peer] of peers) if (peer.start === 'before') await startPeer(name);
        await this.start(definition, substitute(c.input), id);
        started_.push(id);
        for (const [name, peer] of peers) if (peer.start === 'after') await startPeer(name);
      } catch (e) {
        result.failures.push({ message: `the run could not start: ${(e as Error).message}`, where: c.where(['input']) });
        return finish();
      }

      const ended = this.client.result(id);
      ended.catch(() => undefined);
      const driven = await drive({
        client: this.client,
        workflowId: id,
        definition,
        interactions: c.interactions,
        where: (i, field) => c.where(['interactions', i, ...(field ? [field] : [])]),
        deadline,
        ended,
        hasPeers: peers.length > 0,
        substitute,
      });
      result.failures.push(...driven.failures);
      let outcome: RunOutcome | undefined;
      if (!driven.abandoned) {
        outcome = await this.outcome(id, definition, ended, deadline, binding, c.expect.events !== undefined);
        if (outcome.status === 'running') {
          result.failures.push({ message: "the run did not end within the case's timeout", ...(outcome.paths.length ? { path: outcome.paths[outcome.paths.length - 1] } : {}) });
        }
      }
      if (outcome && outcome.status !== 'running') {
        result.status = outcome.status;
        result.paths = outcome.paths;
        const expect = substitute(c.expect);
        result.failures.push(...(await checkExpectations({ expect, expects: (k) => has(expect, k), where: c.where }, outcome)));
      } else {
        result.paths = (await this.client.state(id).catch(() => undefined))?.completed ?? [];
      }
      for (const [name, peer] of peers) {
        const pid = peerIds[name];
        const p = (await this.definition(peer.definition)) as { ok: true; definition: CompiledDefinition };
        const out = await this.outcome(pid, p.definition, this.client.result(pid), deadline, peerBindings[name], peer.expect?.events !== undefined);
        if (!peer.expect) continue;
        const expect = substitute(peer.expect);
        const failures = await checkExpectations({ expect, expects: (k) => has(expect, k), where: (path) => c.where(['peers', name, ...path]) }, out);
        result.failures.push(...failures.map((f) => ({ ...f, message: `peer '${name}' (${pid}): ${f.message}` })));
      }
      result.calls = binding.calls;
      return finish();
    } finally {
      // Leave nothing running on the server: a case that failed may have left its runs waiting.
      for (const wid of started_) await this.client.client.workflow.getHandle(wid).terminate('test case finished').catch(() => undefined);
      this.router.unbind(id);
      for (const pid of Object.values(peerIds)) this.router.unbind(pid);
    }
  }

  /** Run every case of the file, in order. */
  async runAll(onResult?: (r: CaseResult) => void, filter?: (c: ResolvedCase) => boolean): Promise<CaseResult[]> {
    const results: CaseResult[] = [];
    for (const c of this.cases.cases) {
      if (filter && !filter(c)) continue;
      const r = await this.run(c);
      results.push(r);
      onResult?.(r);
    }
    return results;
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.owned.native?.close();
    await this.owned.connection?.close();
  }

  private async start(definition: CompiledDefinition, input: unknown, workflowId: string): Promise<void> {
    try {
      await this.client.start(definition, input, { workflowId, searchAttributes: this.searchAttributes });
    } catch (e) {
      // A server without Flowstate's search attributes (not a Flowstate dev server): run without them.
      if (!this.searchAttributes || !/search attribute/i.test((e as Error).message)) throw e;
      this.searchAttributes = false;
      await this.client.start(definition, input, { workflowId, searchAttributes: false });
    }
  }

  private async outcome(id: string, definition: CompiledDefinition, ended: Promise<{ output: unknown }>, deadline: number, binding: CaseBinding, events: boolean): Promise<RunOutcome> {
    let status: RunOutcome['status'] = 'completed';
    let output: unknown;
    let error: RunOutcome['error'];
    const left = Math.max(0, deadline - Date.now());
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), left)));
    try {
      const got = await Promise.race([ended, timedOut]);
      if (got === 'timeout') status = 'running';
      else output = got.output;
    } catch (e) {
      ({ status, error } = failureOf(e));
    } finally {
      clearTimeout(timer);
    }
    const state = await this.client.state(id).catch(() => undefined);
    const paths = state?.completed ?? [];
    if (events && status !== 'running') await settled(binding.events, id);
    const outputFrom = definition.outputTask ? '$output' : ([...paths].reverse().find((p) => !/[/[]/.test(p)) ?? paths[paths.length - 1]);
    return {
      status,
      ...(status === 'completed' ? { output } : {}),
      ...(error ? { error } : {}),
      paths,
      outputs: state?.outputs ?? {},
      decisions: state?.decisions ?? [],
      calls: binding.calls,
      events: binding.events.filter((e) => e.workflowId === id),
      ...(outputFrom ? { outputFrom } : {}),
    };
  }

  private async definition(file: string): Promise<Loaded> {
    let loaded = this.definitions.get(file);
    if (!loaded) {
      if (!fs.existsSync(file)) loaded = { ok: false, message: `definition ${file}: no such file` };
      else {
        const r = await loadDefinition(file, builtinTaskTypes());
        loaded = r.ok ? { ok: true, definition: r.definition } : { ok: false, message: `definition ${file} is invalid:\n${r.errors.map(formatDiagnostic).join('\n')}` };
      }
      this.definitions.set(file, loaded);
    }
    return loaded;
  }
}

/** The worker's sink delivers events a moment after the workflow task: wait (briefly) for the run's last one. */
async function settled(events: FlowEvent[], workflowId: string): Promise<void> {
  const last = new Set(['run.completed', 'run.failed', 'run.cancelled']);
  for (let i = 0; i < 20 && !events.some((e) => e.workflowId === workflowId && last.has(e.type)); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** How a run failed: its status, and for a task failure the type, message and task path. */
export function failureOf(e: unknown): { status: RunOutcome['status']; error: NonNullable<RunOutcome['error']> } {
  const cause = e instanceof WorkflowFailedError ? e.cause : e;
  if (cause instanceof CancelledFailure) return { status: 'cancelled', error: { type: 'Cancelled', message: cause.message } };
  if (cause instanceof TerminatedFailure) return { status: 'terminated', error: { type: 'Terminated', message: cause.message } };
  if (cause instanceof TimeoutFailure) return { status: 'timed_out', error: { type: 'Timeout', message: cause.message } };
  if (cause instanceof ApplicationFailure) {
    const detail = cause.details?.[0] as { task?: unknown } | undefined;
    return {
      status: 'failed',
      error: { type: cause.type ?? 'Error', message: cause.message, ...(typeof detail?.task === 'string' ? { task: detail.task } : {}) },
    };
  }
  const err = cause as Error | undefined;
  return { status: 'failed', error: { type: err?.name ?? 'Error', message: err?.message ?? String(e) } };
}

/** Tools and agent skills a definition calls (tasks with a `tool`, `agent` or `http` field). */
export function calledBy(definition: CompiledDefinition): { tools: Set<string>; agents: Set<string> } {
  const tools = new Set<string>();
  const agents = new Set<string>();
  for (const { task } of allTasks(definition)) {
    if (typeof task.spec.tool === 'string') tools.add(task.spec.tool);
    if (typeof task.spec.agent === 'string') agents.add(task.spec.agent);
    if (task.spec.http !== undefined && task.spec.http !== null) tools.add('http');
  }
  return { tools, agents };
}

/** Mistakes a case makes about its definition, found before anything runs. */
function staticProblems(c: ResolvedCase, definition: CompiledDefinition): Failure[] {
  const failures: Failure[] = [];
  const tasks = allTasks(definition);
  const checkPath = (path: string, where: string, what: string) => {
    for (const segment of path.split('/')) {
      const found = findTask(tasks, segment);
      if (typeof found === 'string') {
        failures.push({ message: `${what} '${path}': ${found}`, path, where });
        return;
      }
    }
  };
  c.interactions.forEach((step, i) => checkPath(step.at, c.where(['interactions', i, 'at']), 'interaction at'));
  (c.expect.not_paths ?? []).forEach((p, i) => checkPath(p, c.where(['expect', 'not_paths', i]), 'not_paths'));
  const called = calledBy(definition);
  const peersCall = Object.keys(c.peers).length > 0;
  for (const [kind, names, stubs] of [
    ['tool', called.tools, c.ownTools],
    ['agent', called.agents, c.ownAgents],
  ] as const) {
    if (peersCall) break; // peers may call what the case's definition does not
    for (const name of stubs) {
      if (names.has(name)) continue;
      failures.push({
        message: `${kind}s.${name}: ${definition.id} calls no ${kind} '${name}' (it calls: ${[...names].join(', ') || 'none'})`,
        where: c.where([kind === 'tool' ? 'tools' : 'agents', name], 'key'),
      });
    }
  }
  if (c.expect.calls) {
    for (const key of Object.keys(c.expect.calls)) {
      const known = key.startsWith('agent:') ? called.agents.has(key.slice(6)) : called.tools.has(key);
      if (!known && !peersCall) {
        failures.push({ message: `calls.${key}: ${definition.id} never calls ${key.startsWith('agent:') ? `agent skill '${key.slice(6)}'` : `tool '${key}'`} (tools: ${[...called.tools].join(', ') || 'none'}; agents: ${[...called.agents].join(', ') || 'none'})`, where: c.where(['expect', 'calls', key], 'key') });
      }
    }
  }
  return failures;
}

async function toolsOf(modules: string[]): Promise<Tool<any, any>[]> {
  const tools: Tool<any, any>[] = [];
  for (const m of modules) {
    if (m === EXAMPLE_TOOLS) tools.push(...(require('../../examples/tools') as typeof import('../../examples/tools')).exampleTools);
    else tools.push(...(await loadToolModules([m])));
  }
  return tools;
}

function has(expect: ExpectSpec, key: keyof ExpectSpec): boolean {
  return Object.prototype.hasOwnProperty.call(expect, key);
}

/** A workflow id part from a case name: lowercase letters, digits and `-`. */
export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'case';
}

/** `${run.id}` and `${peers.<name>.id}` in strings, deeply. */
export function substituteIds<T>(value: T, runId: string, peers: Record<string, string>): T {
  if (typeof value === 'string') {
    return value.replace(/\$\{(run|peers\.([a-z][a-z0-9-]*))\.id\}/g, (whole, _all: string, peer?: string) => (peer === undefined ? runId : (peers[peer] ?? whole))) as T;
  }
  if (Array.isArray(value)) return value.map((v) => substituteIds(v, runId, peers)) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteIds(v, runId, peers)])) as T;
  }
  return value;
}

// ---- The kit: server, bundle, files ---------------------------------------------------------------

export interface KitOptions {
  /** An existing server; default: start a dev server (headless, in memory) for the kit. */
  address?: string;
  namespace?: string;
  /** A prebuilt workflow bundle file; default: bundle once for every file. */
  workflowBundle?: string;
  /** Progress lines (server started, bundle built). */
  log?: (line: string) => void;
}

export interface FileResult {
  file: string;
  /** `file:line:col` errors when the cases file is invalid. */
  errors: string[];
  results: CaseResult[];
}

export class TestKit {
  private constructor(
    readonly address: string,
    private readonly namespace: string,
    private readonly bundle: string | { code: string },
    private readonly connection: Connection,
    private readonly native: NativeConnection,
    private readonly server?: DevServer,
  ) {}

  static async start(options: KitOptions = {}): Promise<TestKit> {
    const log = options.log ?? (() => undefined);
    const [server, bundle] = await Promise.all([
      options.address ? undefined : startDevServer({ ui: false }),
      options.workflowBundle ?? bundleInterpreter(),
    ]);
    const address = options.address ?? server!.address;
    if (server) log(`started a Temporal dev server on ${address}`);
    try {
      const connection = await Connection.connect({ address });
      const native = await NativeConnection.connect({ address });
      return new TestKit(address, options.namespace ?? 'default', bundle, connection, native, server);
    } catch (e) {
      await server?.stop();
      throw e;
    }
  }

  /** Run one cases file; `onResult` sees each case as it finishes. */
  async runFile(file: string, onResult?: (r: CaseResult) => void, filter?: (c: ResolvedCase) => boolean): Promise<FileResult> {
    const loaded = loadCasesFile(file);
    if (!loaded.ok) return { file, errors: loaded.errors.map(formatDiagnostic), results: [] };
    const session = await CaseSession.open(loaded.cases, {
      address: this.address,
      namespace: this.namespace,
      workflowBundle: this.bundle,
      connection: this.connection,
      nativeConnection: this.native,
    });
    try {
      return { file, errors: [], results: await session.runAll(onResult, filter) };
    } finally {
      await session.close();
    }
  }

  async close(): Promise<void> {
    await this.native.close();
    await this.connection.close();
    await this.server?.stop();
  }
}

/** The interpreter's workflow bundle (with Flowstate's workflow interceptors, as workers run it). */
export async function bundleInterpreter(): Promise<{ code: string }> {
  const noop = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: [FLOWSTATE_WORKFLOW_INTERCEPTORS],
    logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: (m: string) => console.error(m) },
  });
  return { code };
}

export type { ExpectSpec };
