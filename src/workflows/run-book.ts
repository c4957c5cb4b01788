/**
 * What a run knows about itself and shows to people: status, running and completed task paths,
 * gates and their decisions, pause, and the signals it has received but not yet consumed. It
 * installs the run's signal, update and query handlers. Deterministic code only.
 */
import {
  ApplicationFailure,
  condition,
  setDefaultQueryHandler,
  setDefaultSignalHandler,
  setDefaultUpdateHandler,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  log,
} from '@temporalio/workflow';
import type { CompiledAcceptance, CompiledDefinition } from '../contract/compiled';
import type { AwaitUpdateDirective, Directive, Json } from '../contract/directive';
import {
  approveSignal,
  DecisionInput,
  decideUpdate,
  pauseSignal,
  rejectSignal,
  resumeSignal,
  stateQuery,
  type DecisionRecord,
  type GateSignal,
  type GateView,
  type RunState,
  type RunStatus,
} from './api';
import { EventStream } from './events';

interface Gate extends GateView {
  decision?: DecisionRecord;
}

/** A task waiting for an update (see `AwaitUpdateDirective`). */
interface UpdateWaiter {
  task: string;
  directive: AwaitUpdateDirective;
  /** Hands a payload to the orchestrator; resolves to its next directive or throws the refusal. */
  apply: (payload: Json) => Promise<Directive>;
  busy: boolean;
  next?: Directive;
}

export class RunBook {
  /** The run's lifecycle events (see `events.ts`). */
  readonly events = new EventStream();
  readonly decisions: DecisionRecord[] = [];
  private readonly gates = new Map<string, Gate>();
  private readonly running = new Set<string>();
  private readonly completed: string[] = [];
  private readonly outputs: Record<string, Json> = {};
  private readonly meta: Record<string, Record<string, Json>> = {};
  private readonly waiting = new Map<string, string>();
  private readonly inbox = new Map<string, Json[]>();
  private readonly updateWaiters = new Map<string, UpdateWaiter>();
  private status: RunStatus = 'running';
  private paused = false;
  private shown = '';
  private readonly visible: boolean;

  constructor(private readonly definition: CompiledDefinition) {
    // Search attributes are kept current only when the run was started with them (the server has
    // them registered); upserting an unregistered attribute would fail every workflow task.
    this.visible = workflowInfo().searchAttributes?.FlowstateDefinition !== undefined;
  }

  /** Register the signal, update and query handlers of DESIGN.md section 5. */
  install(): void {
    setHandler(stateQuery, () => this.state());
    setHandler(decideUpdate, (d) => this.decide(DecisionInput.parse(d)), {
      validator: (d) => void this.check(d),
    });
    setHandler(approveSignal, (s) => this.decideQuietly('approve', s));
    setHandler(rejectSignal, (s) => this.decideQuietly('reject', s));
    setHandler(pauseSignal, () => this.setPaused(true));
    setHandler(resumeSignal, () => this.setPaused(false));
    setDefaultUpdateHandler((name, payload) => this.receiveUpdate(name, (payload ?? null) as Json));
    setDefaultQueryHandler((name, ...args) => this.view(name, args));
    setDefaultSignalHandler((name, payload) => {
      this.events.emit('signal.received', undefined, { name });
      const queue = this.inbox.get(name) ?? [];
      queue.push((payload ?? null) as Json);
      this.inbox.set(name, queue);
    });
  }

  /** Signals received and not consumed yet, to carry over a continue-as-new. */
  unconsumedSignals(): Record<string, Json[]> {
    return Object.fromEntries([...this.inbox].filter(([, q]) => q.length > 0).map(([name, q]) => [name, [...q]]));
  }

  /** Put carried-over signals back, ahead of any that arrive now. */
  restoreSignals(signals: Record<string, Json[]> | undefined): void {
    for (const [name, queue] of Object.entries(signals ?? {})) this.inbox.set(name, [...queue, ...(this.inbox.get(name) ?? [])]);
  }

  /** Resolves when the run is not paused (running tasks finish; no new task starts). */
  async whileUnpaused(): Promise<void> {
    if (this.paused) await condition(() => !this.paused);
  }

  taskStarted(path: string): void {
    this.running.add(path);
    this.detailsChanged();
  }

  taskEnded(path: string, output?: Json, meta?: Record<string, Json>): void {
    this.running.delete(path);
    if (output !== undefined) {
      this.completed.push(path);
      this.outputs[path] = output;
    }
    if (meta) this.meta[path] = meta;
    this.detailsChanged();
  }

  /** Wait for a signal by name (buffered if it came early); false on timeout. */
  async nextSignal(task: string, name: string, timeoutMs?: number): Promise<{ payload: Json } | undefined> {
    this.waiting.set(task, name);
    this.detailsChanged();
    try {
      const has = () => (this.inbox.get(name)?.length ?? 0) > 0;
      const arrived = timeoutMs === undefined ? (await condition(has), true) : await condition(has, timeoutMs);
      if (!arrived) return undefined;
      return { payload: this.inbox.get(name)!.shift() as Json };
    } finally {
      this.waiting.delete(task);
      this.detailsChanged();
    }
  }

  /**
   * Wait until an update for `task` is taken (the orchestrator answered something other than
   * `reject`); returns that answer, or undefined on timeout. Meanwhile the directive's views answer
   * queries.
   */
  async awaitUpdate(task: string, directive: AwaitUpdateDirective, apply: UpdateWaiter['apply'], timeoutMs?: number): Promise<Directive | undefined> {
    const waiter: UpdateWaiter = { task, directive, apply, busy: false };
    this.updateWaiters.set(task, waiter);
    this.detailsChanged();
    try {
      const taken = () => waiter.next !== undefined;
      const ok = timeoutMs === undefined ? (await condition(taken), true) : await condition(taken, timeoutMs);
      return ok ? waiter.next : undefined;
    } finally {
      this.updateWaiters.delete(task);
      this.detailsChanged();
    }
  }

  /** An update by name: for the one task waiting for it (or the task named in the payload's `task`). */
  private async receiveUpdate(name: string, payload: Json): Promise<Json> {
    const waiting = [...this.updateWaiters.values()].filter((w) => w.directive.update === name && w.next === undefined);
    const named = payload !== null && typeof payload === 'object' && !Array.isArray(payload) ? payload.task : undefined;
    const waiter = typeof named === 'string' ? waiting.find((w) => w.task === named) : waiting.length === 1 ? waiting[0] : undefined;
    if (!waiter) {
      const open = [...this.updateWaiters.values()].map((w) => `'${w.directive.update}' (task ${w.task})`);
      const why =
        waiting.length > 1 ? `several tasks wait for '${name}' (${waiting.map((w) => w.task).join(', ')}): name one with task` : `no task is waiting for update '${name}'`;
      throw ApplicationFailure.create({ type: 'UnknownUpdate', message: `${why}; waiting now: ${open.join(', ') || 'none'}`, nonRetryable: true });
    }
    if (waiter.busy) {
      throw ApplicationFailure.create({ type: 'UpdateBusy', message: `another '${name}' update for ${waiter.task} is being checked; send it again`, nonRetryable: true });
    }
    waiter.busy = true;
    try {
      const next = await waiter.apply(payload);
      waiter.next = next;
      return ('reply' in next && next.reply !== undefined ? next.reply : { accepted: true }) as Json;
    } finally {
      waiter.busy = false;
    }
  }

  /** A query by a view's name; its arguments index into the view. */
  private view(name: string, args: unknown[]): Json {
    for (const w of this.updateWaiters.values()) {
      const views = w.directive.views ?? {};
      if (!(name in views)) continue;
      let value: Json = views[name];
      for (const arg of args) {
        const key = String(arg);
        if (value === null || typeof value !== 'object' || !(key in value)) {
          const known = value !== null && typeof value === 'object' ? Object.keys(value).join(', ') : 'none';
          throw new Error(`${name}: no '${key}' here (known: ${known})`);
        }
        value = (value as Record<string, Json>)[key];
      }
      return value;
    }
    const known = [...this.updateWaiters.values()].flatMap((w) => Object.keys(w.directive.views ?? {}));
    throw new Error(`unknown query '${name}'; this run answers state${known.length ? `, ${known.join(', ')}` : ''}`);
  }

  /** Open a gate on a task's output and wait for its decision; undefined on timeout. */
  async awaitDecision(
    path: string,
    task: string,
    output: Json,
    acceptance: CompiledAcceptance,
    revision: number,
  ): Promise<DecisionRecord | undefined> {
    const gate: Gate = {
      gate: path,
      task,
      status: 'pending',
      output,
      acceptors: acceptance.acceptors,
      revision,
      max_revisions: acceptance.maxRevisions,
    };
    this.gates.set(path, gate);
    this.events.emit('gate.waiting', path, { revision, acceptors: acceptance.acceptors });
    this.refresh();
    const decided = () => gate.status !== 'pending';
    const ok = acceptance.timeoutMs === undefined ? (await condition(decided), true) : await condition(decided, acceptance.timeoutMs);
    if (!ok) {
      gate.status = 'timed_out';
      this.events.emit('gate.decided', path, { decision: 'timed_out', revision });
    }
    this.gates.delete(path);
    this.refresh();
    return gate.decision;
  }

  finish(status: 'completed' | 'failed' | 'cancelled'): void {
    this.status = status;
    this.refresh();
  }

  state(): RunState {
    return {
      status: this.status,
      definition: this.definition.id,
      version: this.definition.version,
      hash: this.definition.hash,
      paused: this.paused,
      running: [...this.running],
      completed: [...this.completed],
      waiting: [
        ...[...this.waiting].map(([task, signal]) => ({ task, signal })),
        ...[...this.updateWaiters.values()].map((w) => ({ task: w.task, update: w.directive.update, views: Object.keys(w.directive.views ?? {}) })),
      ],
      pending_gates: [...this.gates.values()].map(({ decision: _d, ...view }) => view),
      outputs: { ...this.outputs },
      meta: { ...this.meta },
      decisions: [...this.decisions],
    };
  }

  /** Throws a readable error when the decision cannot be taken; returns the gate it is about. */
  private check(raw: unknown): Gate {
    const parsed = DecisionInput.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'decision'}: ${i.message}`).join('; ');
      throw new Error(`malformed decision: ${issues}; expected { gate, decision: approve|reject, by, comment }`);
    }
    const d = parsed.data;
    const pending = [...this.gates.keys()];
    const path = d.gate ?? (pending.length === 1 ? pending[0] : undefined);
    if (path === undefined) {
      throw new Error(
        pending.length === 0 ? 'no gate is pending in this run' : `several gates are pending (${pending.join(', ')}): name one with gate`,
      );
    }
    const gate = this.gates.get(path);
    if (!gate || gate.status !== 'pending') {
      throw new Error(`gate '${path}' is not pending; pending gates: ${pending.join(', ') || 'none'}`);
    }
    if (gate.acceptors.length > 0 && !gate.acceptors.includes(d.by)) {
      throw new Error(`'${d.by}' may not decide gate '${path}': acceptors are ${gate.acceptors.join(', ')}`);
    }
    return gate;
  }

  private decide(d: DecisionInput): GateView {
    const gate = this.check(d);
    gate.decision = {
      gate: gate.gate,
      decision: d.decision,
      decided_by: d.by,
      ...(d.comment !== undefined ? { comment: d.comment } : {}),
      at: new Date().toISOString(),
      revision: gate.revision,
    };
    gate.status = d.decision === 'approve' ? 'approved' : 'rejected';
    this.decisions.push(gate.decision);
    this.events.emit('gate.decided', gate.gate, { decision: d.decision, by: d.by, revision: gate.revision });
    const { decision: _d, ...view } = gate;
    return view;
  }

  /** Signals cannot answer: an invalid decision is logged and changes nothing. */
  private decideQuietly(decision: 'approve' | 'reject', s: GateSignal): void {
    try {
      this.decide({ ...(s ?? {}), decision } as DecisionInput);
    } catch (e) {
      log.warn(`ignored ${decision} signal: ${(e as Error).message}`);
    }
  }

  private setPaused(paused: boolean): void {
    if (paused !== this.paused) this.events.emit(paused ? 'run.paused' : 'run.resumed');
    this.paused = paused;
    this.refresh();
  }

  /**
   * The Web UI's "Current Details" of the run: status, progress, and what it waits for (gates with
   * their acceptors, signals, updates). Not a command: it never touches history or replay.
   */
  private detailsChanged(): void {
    // Called at every task start and end: read at most five running paths, never copy them all.
    const running: string[] = [];
    for (const path of this.running) {
      if (running.length === 5) break;
      running.push(path);
    }
    const more = this.running.size > running.length ? ` and ${this.running.size - running.length} more` : '';
    const lines = [`**${this.status}** · ${this.completed.length} tasks done${running.length ? ` · running: ${running.join(', ')}${more}` : ''}`];
    for (const g of this.gates.values()) {
      lines.push(`gate \`${g.gate}\` waits for a decision${g.acceptors.length ? ` by ${g.acceptors.join(' or ')}` : ''} (revision ${g.revision})`);
    }
    for (const [task, signal] of this.waiting) lines.push(`\`${task}\` waits for signal \`${signal}\``);
    for (const w of this.updateWaiters.values()) lines.push(`\`${w.task}\` waits for update \`${w.directive.update}\``);
    setCurrentDetails(lines.join('\n\n'));
  }

  private refresh(): void {
    if (this.status === 'running' || this.status === 'waiting_acceptance' || this.status === 'paused') {
      this.status = this.paused ? 'paused' : this.gates.size > 0 ? 'waiting_acceptance' : 'running';
    }
    this.detailsChanged();
    if (!this.visible) return;
    const gates = [...this.gates.keys()];
    const shown = JSON.stringify([this.status, gates]);
    if (shown === this.shown) return;
    this.shown = shown;
    upsertSearchAttributes({ FlowstateStatus: [this.status], FlowstatePendingGate: gates });
  }
}
