/** Human-readable views of a run's state for the CLI. */
import type { RunState } from '../workflows/api';
import type { FlowEvent } from '../events/types';

/** One line of progress: `3 done, running: analyse/security, analyse/style`. */
export function progressLine(state: RunState): string {
  const parts = [`${state.status}`, `${state.completed.length} done`];
  if (state.running.length) parts.push(`running: ${state.running.join(', ')}`);
  if (state.waiting.length) parts.push(`waiting: ${state.waiting.map((w) => `${w.task} for ${waitsFor(w)}`).join(', ')}`);
  if (state.pending_gates.length) parts.push(`gates: ${state.pending_gates.map((g) => g.gate).join(', ')}`);
  return parts.join(' · ');
}

/** The `status` view: a tree of task paths with their states, pending gates and how to decide them. */
export function statusText(workflowId: string, state: RunState): string {
  const lines = [`${workflowId}  ${state.definition}@${state.version}  ${state.status}${state.paused ? ' (paused)' : ''}`];
  const rows = new Map<string, string>();
  for (const path of state.completed) rows.set(path, 'done');
  for (const path of state.running) rows.set(path, 'running');
  for (const w of state.waiting) rows.set(w.task, `waiting for ${waitsFor(w)}`);
  for (const g of state.pending_gates) rows.set(g.gate, `waiting for approval (revision ${g.revision})`);
  for (const path of treeOrder([...rows.keys()])) {
    const depth = path.split('/').length - 1;
    lines.push(`${'  '.repeat(depth + 1)}${path.split('/').pop()}  ${rows.get(path)}`);
  }
  for (const g of state.pending_gates) {
    const who = g.acceptors.length ? ` (acceptors: ${g.acceptors.join(', ')})` : '';
    lines.push('', `gate ${g.gate} is waiting for a decision${who}. Output to review:`);
    lines.push(indent(JSON.stringify(g.output, null, 2), 4));
    const by = g.acceptors[0] ?? '<your name>';
    lines.push(`  approve: npx flowstate approve ${workflowId} --gate '${g.gate}' --by ${by}`);
    lines.push(`  reject:  npx flowstate reject ${workflowId} --gate '${g.gate}' --by ${by} --comment '<what to change>'`);
  }
  if (state.decisions.length) {
    lines.push('', 'decisions:');
    for (const d of state.decisions) {
      lines.push(`  ${d.at}  ${d.gate}  ${d.decision} by ${d.decided_by}${d.comment ? `: ${d.comment}` : ''}`);
    }
  }
  return lines.join('\n');
}

function waitsFor(w: RunState['waiting'][number]): string {
  return 'signal' in w ? `signal '${w.signal}'` : `update '${w.update}'${w.views.length ? ` (queries: ${w.views.join(', ')})` : ''}`;
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

/**
 * Order paths as a tree: a parent before its children, and siblings in the order anything under
 * them was first seen (execution order), not alphabetically.
 */
export function treeOrder(paths: string[]): string[] {
  const first = new Map<string, number>();
  paths.forEach((p, i) => {
    const parts = p.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (!first.has(prefix)) first.set(prefix, i);
    }
  });
  const key = (p: string) => p.split('/').map((_, n, parts) => first.get(parts.slice(0, n + 1).join('/'))!);
  return [...paths].sort((a, b) => {
    const [ka, kb] = [key(a), key(b)];
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i] - kb[i];
    return ka.length - kb.length;
  });
}

/** One event as a line: `  7  12:00:01.250  task.completed  analyse/security  {"type":"basic"}`. */
export function eventLine(e: FlowEvent): string {
  const time = e.at.slice(11, 23);
  return `${String(e.seq).padStart(4)}  ${time}  ${e.type.padEnd(15)}  ${e.path ?? '-'}${e.data ? `  ${JSON.stringify(e.data)}` : ''}`;
}
