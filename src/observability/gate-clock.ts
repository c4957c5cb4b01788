/**
 * Gate wait time, worked out from what a workflow interceptor sees: a gate opens when
 * `createTaskState` answers `done` for a task that has `acceptance` (the interpreter then waits for a
 * decision on that output), and closes when the `decide` update answers with the decided gate, or an
 * `approve`/`reject` signal is taken. Times are the workflow clock, so replay computes the same.
 *
 * Runs inside the workflow sandbox: no Node APIs, no imports but types.
 */
import type { CompiledAcceptance, CompiledTask } from '../contract/compiled';

/** One closed gate: how long it stayed open, and how it was decided. */
export interface GateWait {
  gate: string;
  decision: 'approve' | 'reject';
  seconds: number;
}

interface OpenGate {
  since: number;
  deadline?: number;
  acceptors: string[];
}

const SIGNAL_FIELDS = new Set(['gate', 'by', 'comment']);

/** Times gates from opening to decision (from the event stream) for the gate-wait metric. */
export class GateClock {
  /** The definition id, for the metric's `definition` tag. */
  definition = 'unknown';
  private readonly acceptance = new Map<string, CompiledAcceptance>();
  private readonly open = new Map<string, OpenGate>();

  /**
   * Learn the gates from the workflow's input: `interpret`'s `{ definition }`, or a batch child's
   * `{ base, task }` (`interpretRuns`).
   */
  learn(input: unknown): void {
    const i = (input ?? {}) as {
      definition?: { id?: unknown; tasks?: CompiledTask[]; outputTask?: CompiledTask };
      base?: { definition?: { id?: unknown } };
      task?: CompiledTask;
    };
    const id = i.definition?.id ?? i.base?.definition?.id;
    if (typeof id === 'string') this.definition = id;
    const roots = [
      ...(i.definition?.tasks ?? []),
      ...(i.definition?.outputTask ? [i.definition.outputTask] : []),
      ...(i.task ? [i.task] : []),
    ];
    const visit = (task: CompiledTask) => {
      if (task.acceptance) this.acceptance.set(task.id, task.acceptance);
      (task.children ?? []).forEach(visit);
    };
    roots.forEach(visit);
  }

  /** A `createTaskState` call returned: a `done` (without a jump) on a gated task opens its gate. */
  activityResult(arg: unknown, directive: unknown, now: number): void {
    const a = arg as { task?: { id?: unknown }; path?: unknown } | undefined;
    const d = directive as { kind?: unknown; next?: unknown } | undefined;
    if (
      typeof a?.task?.id !== 'string' ||
      typeof a.path !== 'string' ||
      d?.kind !== 'done' ||
      d.next !== undefined
    )
      return;
    const acceptance = this.acceptance.get(a.task.id);
    if (!acceptance) return;
    this.open.set(a.path, {
      since: now,
      ...(acceptance.timeoutMs !== undefined ? { deadline: now + acceptance.timeoutMs } : {}),
      acceptors: acceptance.acceptors,
    });
  }

  /** The `decide` update answered with the gate's new state: that closes the gate. */
  decided(view: unknown, now: number): GateWait | undefined {
    const v = view as { gate?: unknown; status?: unknown } | undefined;
    if (typeof v?.gate !== 'string' || (v.status !== 'approved' && v.status !== 'rejected')) return undefined;
    return this.close(v.gate, v.status === 'approved' ? 'approve' : 'reject', now);
  }

  /**
   * An `approve` or `reject` signal arrived. Signals cannot answer, so this applies the rules the
   * run applies to take one (see RunBook.check): the named gate, or the only pending one, must be
   * open, and `by` must be one of its acceptors (any name when it lists none).
   */
  signalled(decision: 'approve' | 'reject', payload: unknown, now: number): GateWait | undefined {
    const p = payload as Record<string, unknown> | null | undefined;
    if (!p || typeof p !== 'object' || Object.keys(p).some((k) => !SIGNAL_FIELDS.has(k))) return undefined;
    if (typeof p.by !== 'string' || p.by.length === 0) return undefined;
    if (p.comment !== undefined && typeof p.comment !== 'string') return undefined;
    if (p.gate !== undefined && (typeof p.gate !== 'string' || p.gate.length === 0)) return undefined;
    const pending = this.pending(now);
    const gate = (p.gate as string | undefined) ?? (pending.length === 1 ? pending[0] : undefined);
    const open = gate === undefined ? undefined : this.open.get(gate);
    if (gate === undefined || !open || !pending.includes(gate)) return undefined;
    if (open.acceptors.length > 0 && !open.acceptors.includes(p.by)) return undefined;
    return this.close(gate, decision, now);
  }

  /** Paths of the gates open at `now` (a gate past its timeout has closed without a decision). */
  pending(now: number): string[] {
    for (const [path, g] of this.open)
      if (g.deadline !== undefined && now >= g.deadline) this.open.delete(path);
    return [...this.open.keys()];
  }

  private close(gate: string, decision: 'approve' | 'reject', now: number): GateWait | undefined {
    const open = this.open.get(gate);
    if (!open) return undefined;
    this.open.delete(gate);
    return { gate, decision, seconds: Math.max(0, now - open.since) / 1000 };
  }
}
