/**
 * What a run shows about itself: its status, the tasks running and done, what it waits for. Three
 * views of it: the `state` query, the Web UI's "Current Details", and the search attributes
 * `FlowstateStatus`, `FlowstatePendingGate` and `FlowstateAcceptors`. Deterministic code only.
 */
import { patched, setCurrentDetails, upsertSearchAttributes } from '@temporalio/workflow';
import type { CompiledDefinition } from '../contract/compiled';
import type { Json } from '../contract/directive';
import type { GateView, RunState, RunStatus, StatusSnapshot } from './api';
import { viewOf, type Gates } from './gates';
import { boundedOutput, boundedOutputs } from './state-view';
import type { ChildGates } from './child-gates';
import type { Mailbox, SignalWait } from './mailbox';
import type { Updates } from './updates';
import type { Reuse } from './reuse';

/** The parts of a run whose state the status shows. */
export interface StatusSources {
  gates: Gates;
  /** Subflow children's pending gates, listed under their task's path. */
  children?: ChildGates;
  mailbox: Mailbox;
  updates: Updates;
  /** In a redrive: the run it redrives and the paths reused. */
  reuse?: Reuse;
}

/** What Current Details are made of. */
export interface DetailsInput {
  status: RunStatus;
  done: number;
  running: ReadonlySet<string>;
  gates: Iterable<Pick<GateView, 'gate' | 'acceptors' | 'revision'>>;
  signals: Iterable<SignalWait>;
  updates: Iterable<{ task: string; update: string }>;
}

/** The patch under which runs upsert `FlowstateAcceptors` too. */
const ACCEPTORS_PATCH = 'acceptors-search-attribute';

/** Running paths Current Details name; the rest are counted. */
const SHOWN_RUNNING = 5;

/** The run's status: the `state` query's answer, Current Details and search attributes. */
export class StatusBoard {
  private readonly running = new Set<string>();
  private readonly completed: string[] = [];
  private readonly outputs: Record<string, Json> = {};
  private readonly meta: Record<string, Record<string, Json>> = {};
  private status: RunStatus = 'running';
  private shown = '';
  /** Whether this run keeps `FlowstateAcceptors` (the `acceptors-search-attribute` patch). */
  private readonly withAcceptors: boolean;

  /**
   * `visible`: keep the search attributes current. Only when the run was started with them (the
   * server has them registered): upserting an unregistered attribute would fail every workflow task.
   */
  constructor(
    private readonly definition: Pick<CompiledDefinition, 'id' | 'version' | 'hash'>,
    private readonly visible: boolean,
    private readonly sources: StatusSources,
  ) {
    // Asked once, as the run starts: a run an older worker started (no marker) keeps upserting
    // without FlowstateAcceptors, so its history replays as written. Not at the first upsert: that
    // can follow a local activity's result, which a replay hands over one workflow task earlier than
    // the run saw it, before the marker's task, and the marker then matches no patched() call.
    this.withAcceptors = visible && patched(ACCEPTORS_PATCH);
  }

  taskStarted(path: string): void {
    this.running.add(path);
    this.detailsChanged();
  }

  /** A task ended: with its output when it completed, without when it failed. */
  taskEnded(path: string, output?: Json, meta?: Record<string, Json>): void {
    this.running.delete(path);
    if (output !== undefined) {
      this.completed.push(path);
      this.outputs[path] = output;
    }
    if (meta) this.meta[path] = meta;
    this.detailsChanged();
  }

  finish(status: 'completed' | 'failed' | 'cancelled'): void {
    this.status = status;
    this.refresh();
  }

  /** The `state` query. */
  state(): RunState {
    const { gates, mailbox, updates, reuse } = this.sources;
    const redrive = reuse?.redrive;
    return {
      status: this.status,
      definition: this.definition.id,
      version: this.definition.version,
      hash: this.definition.hash,
      paused: mailbox.paused,
      running: [...this.running],
      completed: [...this.completed],
      waiting: [
        ...mailbox.waits(),
        ...updates.all().map((w) => ({
          task: w.task,
          update: w.directive.update,
          views: Object.keys(w.directive.views ?? {}),
        })),
      ],
      pending_gates: [
        ...gates.all().map((g) => ({ ...viewOf(g), output: boundedOutput(g.output) })),
        ...(this.sources.children?.views() ?? []),
      ],
      ...boundedOutputs(this.outputs),
      meta: { ...this.meta },
      decisions: [...gates.decisions],
      signals: mailbox.signals(),
      ...(redrive ? { redrives: redrive.from, reused: [...(reuse?.reused ?? [])] } : {}),
    };
  }

  /** Paths of the tasks running now. */
  runningPaths(): string[] {
    return [...this.running];
  }

  /** What a continue-as-new carries. */
  snapshot(): StatusSnapshot {
    return { completed: [...this.completed], outputs: { ...this.outputs }, meta: { ...this.meta } };
  }

  /** Take back what a continue-as-new carried. */
  restore(s: StatusSnapshot): void {
    this.completed.push(...s.completed);
    Object.assign(this.outputs, s.outputs);
    Object.assign(this.meta, s.meta);
  }

  /** The `task-output` query: one completed task's output in full. */
  output(path: string): Json {
    if (Object.prototype.hasOwnProperty.call(this.outputs, path)) return this.outputs[path]!;
    const done = this.completed.slice(0, 10).join(', ');
    throw new Error(
      `no task '${path}' has completed in this run${done ? `; completed: ${done}${this.completed.length > 10 ? ', …' : ''}` : ''}`,
    );
  }

  /** Show the run's progress and waits in Current Details. Not a command: never touches history. */
  detailsChanged(): void {
    const { gates, mailbox, updates } = this.sources;
    setCurrentDetails(
      currentDetails({
        status: this.status,
        done: this.completed.length,
        running: this.running,
        gates: [...gates.all(), ...(this.sources.children?.views() ?? [])],
        signals: mailbox.waits(),
        updates: updates.all().map((w) => ({ task: w.task, update: w.directive.update })),
      }),
    );
  }

  /** Work out the status again after a gate or pause changed; show it, and upsert it when it changed. */
  refresh(): void {
    const { gates, mailbox } = this.sources;
    // A subflow child's pending gates count as this run's (`review/legal`).
    const open = [...gates.paths(), ...(this.sources.children?.views().map((g) => g.gate) ?? [])];
    this.status = liveStatus(this.status, mailbox.paused, open.length);
    this.detailsChanged();
    if (!this.visible) return;
    const shown = JSON.stringify([this.status, open]);
    const acceptors = acceptorsOf(this.status, gates.all());
    const full = JSON.stringify([this.status, open, acceptors]);
    if (shown === this.shown || full === this.shown) return;
    if (!this.withAcceptors) {
      this.shown = shown;
      upsertSearchAttributes({ FlowstateStatus: [this.status], FlowstatePendingGate: open });
      return;
    }
    this.shown = full;
    upsertSearchAttributes({
      FlowstateStatus: [this.status],
      FlowstatePendingGate: open,
      FlowstateAcceptors: acceptors,
    });
  }
}

/** What `FlowstateAcceptors` holds for a gate that names no acceptors: anyone may decide it. */
export const ANYONE = '*';

/**
 * `FlowstateAcceptors`: who may decide this run's own pending gates (`alice`, `group:legal`, `*` for
 * a gate without acceptors), each once, in the order the gates opened; none once the run ended.
 * A subflow child's gates are on the child's own run (its id is `<parent>/<task path>`), not here,
 * so a visibility query finds each gate once.
 */
export function acceptorsOf(
  status: RunStatus,
  gates: ReadonlyArray<Pick<GateView, 'acceptors' | 'status'>>,
): string[] {
  if (status !== 'running' && status !== 'waiting_acceptance' && status !== 'paused') return [];
  const all = gates
    .filter((g) => g.status === 'pending')
    .flatMap((g) => (g.acceptors.length ? g.acceptors : [ANYONE]));
  return [...new Set(all)];
}

/** The status of a live run: paused, waiting for a gate, or running. A finished run's stays. */
export function liveStatus(status: RunStatus, paused: boolean, openGates: number): RunStatus {
  if (status !== 'running' && status !== 'waiting_acceptance' && status !== 'paused') return status;
  return paused ? 'paused' : openGates > 0 ? 'waiting_acceptance' : 'running';
}

/**
 * The Web UI's "Current Details" (Markdown): status, progress, and what the run waits for (gates
 * with their acceptors, signals, updates). Called at every task start and end: it reads at most five
 * running paths, never copies them all.
 */
export function currentDetails(d: DetailsInput): string {
  const running: string[] = [];
  for (const path of d.running) {
    if (running.length === SHOWN_RUNNING) break;
    running.push(path);
  }
  const more = d.running.size > running.length ? ` and ${d.running.size - running.length} more` : '';
  const progress = running.length ? ` · running: ${running.join(', ')}${more}` : '';
  const lines = [`**${d.status}** · ${d.done} tasks done${progress}`];
  for (const g of d.gates) {
    const by = g.acceptors.length ? ` by ${g.acceptors.join(' or ')}` : '';
    lines.push(`gate \`${g.gate}\` waits for a decision${by} (revision ${g.revision})`);
  }
  for (const { task, signal } of d.signals) lines.push(`\`${task}\` waits for signal \`${signal}\``);
  for (const { task, update } of d.updates) lines.push(`\`${task}\` waits for update \`${update}\``);
  return lines.join('\n\n');
}
