/**
 * A run's state on its definition's graph (pure, unit-tested): each task of the graph gets a state
 * (pending, running, waiting, at a gate, done, failed, skipped), a text label saying it, and for
 * tasks that run once per item or pass, counts of their instances.
 */
import { isOpenRunStatus } from '../../contract/run-status';
import type { GraphModel, RunFailure, RunStateView } from './types';

/** The states a task is shown in. */
export type TaskState = 'pending' | 'running' | 'waiting' | 'gate' | 'done' | 'failed' | 'skipped';

/** Colours and words for each state: colour is never the only sign (WCAG 1.4.1). */
export const STATE_STYLE: Record<TaskState, { label: string; fill: string; border: string }> = {
  pending: { label: 'pending', fill: '#f3f4f6', border: '#6b7280' },
  running: { label: 'running', fill: '#dbeafe', border: '#1d4ed8' },
  waiting: { label: 'waiting for a signal', fill: '#ede9fe', border: '#6d28d9' },
  gate: { label: 'waiting at gate', fill: '#fef3c7', border: '#b45309' },
  done: { label: 'done', fill: '#dcfce7', border: '#15803d' },
  failed: { label: 'failed', fill: '#fee2e2', border: '#b91c1c' },
  skipped: { label: 'skipped', fill: '#fafafa', border: '#9ca3af' },
};

/** How many instances (items, passes) are in each state. */
export type Counts = Partial<Record<TaskState, number>> & { total: number };

/** A task of the graph as the run has it. */
export interface NodeStatus {
  state: TaskState;
  /** The words shown on the node: `done`, `waiting at gate`, `1 done · 1 waiting at gate of 2`. */
  label: string;
  /** The run's paths of this task (`architecture[epic-1]`, ...), in the order seen. */
  instances: string[];
  /** Per item or pass, for tasks that run more than once. */
  counts?: Counts;
}

const PRECEDENCE: TaskState[] = ['failed', 'gate', 'waiting', 'running', 'pending', 'done', 'skipped'];

/** The state of one path of the run (a task instance). */
export function instanceState(path: string, state: RunStateView, failure?: RunFailure): TaskState {
  if (failure?.task === path) return 'failed';
  if (state.pending_gates.some((g) => g.gate === path)) return 'gate';
  if (state.waiting.some((w) => w.task === path)) return 'waiting';
  if (state.running.includes(path)) return 'running';
  if (state.completed.includes(path) || state.reused?.includes(path))
    return state.outputs[path] === null ? 'skipped' : 'done';
  return 'pending';
}

/**
 * The graph's path of a run's path: `[key]` segments dropped (`probe[1]/check` → `probe/check`);
 * an item of a container with one task (`architecture[epic-1]`) is that task (`architecture/design`).
 */
export function graphPathOf(path: string, model: GraphModel): string | undefined {
  const paths = new Set(model.nodes.map((n) => n.path));
  const plain = path.replace(/\[[^\]]*\]/g, '');
  if (!path.endsWith(']')) return paths.has(plain) ? plain : undefined;
  const children = model.nodes.filter((n) => n.parent === plain);
  return children.length === 1 ? children[0].path : undefined;
}

/** The most telling state of several (a failure before a gate before running ... before done). */
export function combined(states: TaskState[]): TaskState {
  for (const s of PRECEDENCE) if (states.includes(s)) return s;
  return 'pending';
}

/** `2 done · 1 waiting at gate of 3` */
export function countsLabel(counts: Counts): string {
  const parts = PRECEDENCE.filter((s) => counts[s]).map((s) => `${counts[s]} ${STATE_STYLE[s].label}`);
  return `${parts.join(' · ')} of ${counts.total}`;
}

/** Every task of the graph with its state in this run. */
export function nodeStatuses(
  model: GraphModel,
  state: RunStateView,
  failure?: RunFailure,
): Map<string, NodeStatus> {
  const paths = [
    ...new Set([
      ...state.completed,
      ...(state.reused ?? []),
      ...state.running,
      ...state.waiting.map((w) => w.task),
      ...state.pending_gates.map((g) => g.gate),
      ...(failure?.task ? [failure.task] : []),
    ]),
  ];
  const instances = new Map<string, string[]>();
  /** Per container, per item or pass (its path prefix), the states of what ran in it. */
  const items = new Map<string, Map<string, TaskState[]>>();
  for (const path of paths) {
    const node = graphPathOf(path, model);
    if (!node) continue;
    instances.set(node, [...(instances.get(node) ?? []), path]);
    const own = instanceState(path, state, failure);
    const segments = path.split('/');
    segments.forEach((segment, i) => {
      if (!segment.endsWith(']')) return;
      const prefix = segments.slice(0, i + 1).join('/');
      const container = prefix.replace(/\[[^\]]*\]/g, '');
      const byItem = items.get(container) ?? new Map<string, TaskState[]>();
      byItem.set(prefix, [...(byItem.get(prefix) ?? []), own]);
      items.set(container, byItem);
    });
  }
  const ended = !isOpenRunStatus(state.status);
  const out = new Map<string, NodeStatus>();
  for (const n of model.nodes) {
    const seen = instances.get(n.path) ?? [];
    const states = seen.map((p) => instanceState(p, state, failure));
    let s: TaskState = seen.length ? combined(states) : ended ? 'skipped' : 'pending';
    let label = seen.length ? STATE_STYLE[s].label : ended ? 'not run' : 'pending';
    let counts: Counts | undefined;
    const byItem = items.get(n.path);
    const repeated = seen.some((p) => p.includes('['));
    if (byItem) counts = countOf([...byItem.values()].map(combined));
    else if (repeated) counts = countOf(states);
    if (counts && counts.total > 1) {
      if (n.group && byItem && s === 'done' && (counts.running || counts.gate || counts.waiting))
        s = 'running';
      label = `${label}: ${countsLabel(counts)}`;
    }
    out.set(n.path, { state: s, label, instances: seen, ...(counts ? { counts } : {}) });
  }
  return out;
}

function countOf(states: TaskState[]): Counts {
  const counts: Counts = { total: states.length };
  for (const s of states) counts[s] = (counts[s] ?? 0) + 1;
  return counts;
}
