/**
 * Running cases on a real Temporal server: one worker per cases file (on a task queue of its own)
 * whose tools are the dispatchers of `stubs.ts`, one run per case (plus its peers), the interaction
 * driver, then the expectations. `TestKit` (kit.ts) adds what the CLI needs around it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { FlowstateClient } from '../client';
import { durationMs } from '../contract/fields';
import type { CompiledDefinition } from '../contract/compiled';
import { formatDiagnostic } from '../dsl/diagnostics';
import { onEvent } from '../events/bus';
import type { FlowEvent } from '../events/types';
import { loadDefinition } from '../dsl/loader';
import { withSources } from './pinned-sources';
import { builtinTaskTypes } from '../orchestrators/registry';
import { createWorker } from '../worker';
import type { CasesFile, ExpectSpec, ResolvedCase } from './cases';
import { checkExpectations, type Failure, type RunOutcome } from './expect';
import { drive } from './interactions';
import { calledBy, staticProblems } from './preflight';
import { runOutcome } from './outcome';
import { slug, substituteIds } from './run-ids';
import { redriveCase } from './redrive';
import { StubRouter, toolsOf, type CallRecord, type CaseBinding } from './stubs';
import { applyTimeControl, describeChange, type TimeChange } from './time';

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
  /** Workflow ids of the case's peers, by name (a peer an interaction never started did not run). */
  peers?: Record<string, string>;
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
  /** Give the definitions a `source` relative to this directory (default: the file's path as given). */
  sourceRoot?: string;
}

export interface RunOptions {
  /** The run's workflow id; default: the case name made an id plus 8 hex characters. */
  workflowId?: string;
  /** Workflow ids of peers, by name; default `<workflow id>-<name>`. */
  peerIds?: Record<string, string>;
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
    readonly client: FlowstateClient,
    readonly router: StubRouter,
    private worker: Worker | undefined,
    private readonly owned: { connection?: Connection; native?: NativeConnection },
    private readonly sourceRoot?: string,
  ) {}

  /** Load the file's definitions and tool modules, then start its worker. */
  static async open(cases: CasesFile, options: SessionOptions): Promise<CaseSession> {
    const namespace = options.namespace ?? 'default';
    const taskQueue = options.taskQueue ?? `flowstate-test-${randomUUID().slice(0, 8)}`;
    const realTools = await toolsOf(cases.toolModules);
    const router = new StubRouter(realTools);
    const connection = options.connection ?? (await Connection.connect({ address: options.address }));
    const native = options.nativeConnection ?? (await NativeConnection.connect({ address: options.address }));
    const owned = {
      ...(options.connection ? {} : { connection }),
      ...(options.nativeConnection ? {} : { native }),
    };
    const client = new FlowstateClient(new Client({ connection, namespace }), {
      address: options.address,
      namespace,
      taskQueue,
    });
    const session = new CaseSession(cases, client, router, undefined, owned, options.sourceRoot);
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
      ...router.workerOptions(names),
      ...(bundle === undefined
        ? {}
        : { workflowBundle: typeof bundle === 'string' ? { codePath: bundle } : bundle }),
    });
    session.running = session.worker.run();
    // Lifecycle events come through the worker's bus (this process): each goes to its run's case.
    session.unsubscribe = onEvent(
      '*',
      (event) => void router.bindingOf(event.workflowId)?.events.push(event),
    );
    return session;
  }

  /** Run one case; never throws for what the run did (that is in the result's failures). */
  async run(c: ResolvedCase, options: RunOptions = {}): Promise<CaseResult> {
    const started = Date.now();
    const result: CaseResult = {
      name: c.name,
      file: c.file,
      line: c.line,
      ok: false,
      failures: [],
      durationMs: 0,
      paths: [],
      time: [],
      calls: [],
    };
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
    const timed = applyTimeControl(loaded.definition, {
      ...(c.timeScale ? { scale: c.timeScale } : {}),
      overrides: c.durations,
    });
    for (const p of timed.problems)
      result.failures.push({
        message: `durations: ${p.message}`,
        path: p.key,
        where: c.where(['durations', p.key, ...(p.field ? [p.field] : [])], 'key'),
      });
    result.failures.push(...staticProblems(c, loaded.definition));
    for (const [name, peer] of Object.entries(c.peers)) {
      const p = await this.definition(peer.definition);
      if (!p.ok)
        result.failures.push({
          message: `peer '${name}': ${p.message}`,
          where: c.where(['peers', name, 'definition']),
        });
    }
    if (result.failures.length > 0) return finish();
    const definition = timed.definition;
    const changes: TimeChange[] = [...timed.changes];
    for (const [name, stub] of [...Object.entries(c.tools), ...Object.entries(c.agents)]) {
      for (const r of [...(stub.sequence ?? [stub]), ...(stub.match ?? [])]) {
        if (r.delay === undefined || !c.timeScale) continue;
        const from = durationMs(r.delay);
        changes.push({
          task: `stub ${name}`,
          field: 'delay',
          fromMs: from,
          toMs: Math.round(from * c.timeScale.factor),
          how: 'time_scale',
        });
      }
    }
    result.time = changes.map((ch) => describeChange(ch, c.timeScale));

    // Ids first, so inputs, payloads and expectations can name the runs: ${run.id}, ${peers.<name>.id}.
    const id = options.workflowId ?? `${slug(c.name)}-${randomUUID().slice(0, 8)}`;
    const peerIds = Object.fromEntries(
      Object.keys(c.peers).map((name) => [name, options.peerIds?.[name] ?? `${id}-${name}`]),
    );
    const substitute = <T>(value: T): T => substituteIds(value, id, peerIds);
    result.workflowId = id;
    if (Object.keys(peerIds).length > 0) result.peers = peerIds;
    const binding: CaseBinding = {
      label: c.name,
      tools: c.tools,
      agents: c.agents,
      secrets: c.secrets,
      calls: [],
      events: [],
      ...(c.timeScale ? { delayFactor: c.timeScale.factor } : {}),
    };
    const peerBindings = Object.fromEntries(
      Object.keys(c.peers).map((name) => [
        name,
        {
          ...binding,
          label: `${c.name} (peer ${name})`,
          calls: [] as CallRecord[],
          events: [] as FlowEvent[],
        },
      ]),
    );
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
        result.failures.push({
          message: `the run could not start: ${(e as Error).message}`,
          where: c.where(['input']),
        });
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
        startPeer,
      });
      result.failures.push(...driven.failures);
      let outcome: RunOutcome | undefined;
      if (!driven.abandoned) {
        outcome = await runOutcome(
          this.client,
          id,
          definition,
          ended,
          deadline,
          binding,
          c.expect.events !== undefined,
        );
        if (c.redrive) outcome = await redriveCase(this, c, { id, definition, binding, deadline }, outcome);
        if (outcome.status === 'running') {
          result.failures.push({
            message: "the run did not end within the case's timeout",
            ...(outcome.paths.length ? { path: outcome.paths[outcome.paths.length - 1] } : {}),
          });
        }
      }
      if (outcome && outcome.status !== 'running') {
        result.status = outcome.status;
        result.paths = outcome.paths;
        const expect = substitute(c.expect);
        result.failures.push(
          ...(await checkExpectations({ expect, expects: (k) => has(expect, k), where: c.where }, outcome)),
        );
      } else {
        result.paths = (await this.client.state(id).catch(() => undefined))?.completed ?? [];
      }
      for (const [name, peer] of peers) {
        const pid = peerIds[name];
        if (!started_.includes(pid)) continue; // an interaction that never came: that failure says it
        const p = (await this.definition(peer.definition)) as { ok: true; definition: CompiledDefinition };
        const out = await runOutcome(
          this.client,
          pid,
          p.definition,
          this.client.result(pid),
          deadline,
          peerBindings[name],
          peer.expect?.events !== undefined,
        );
        if (!peer.expect) continue;
        const expect = substitute(peer.expect);
        const failures = await checkExpectations(
          { expect, expects: (k) => has(expect, k), where: (path) => c.where(['peers', name, ...path]) },
          out,
        );
        result.failures.push(
          ...failures.map((f) => ({ ...f, message: `peer '${name}' (${pid}): ${f.message}` })),
        );
      }
      result.calls = binding.calls;
      return finish();
    } finally {
      // Leave nothing running on the server: a case that failed may have left its runs waiting.
      for (const wid of started_)
        await this.client.client.workflow
          .getHandle(wid)
          .terminate('test case finished')
          .catch(() => undefined);
      this.router.unbind(id);
      for (const pid of Object.values(peerIds)) this.router.unbind(pid);
    }
  }

  /** Run every case of the file, in order. */
  async runAll(
    onResult?: (r: CaseResult) => void,
    filter?: (c: ResolvedCase) => boolean,
  ): Promise<CaseResult[]> {
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

  private async definition(file: string): Promise<Loaded> {
    let loaded = this.definitions.get(file);
    if (!loaded) {
      if (!fs.existsSync(file)) loaded = { ok: false, message: `definition ${file}: no such file` };
      else {
        const r = await loadDefinition(file, builtinTaskTypes());
        loaded = r.ok
          ? { ok: true, definition: withSources(r.definition, file, this.sourceRoot) }
          : {
              ok: false,
              message: `definition ${file} is invalid:\n${r.errors.map(formatDiagnostic).join('\n')}`,
            };
      }
      this.definitions.set(file, loaded);
    }
    return loaded;
  }
}

const has = (expect: ExpectSpec, key: keyof ExpectSpec): boolean => Object.hasOwn(expect, key);

export type { ExpectSpec };
