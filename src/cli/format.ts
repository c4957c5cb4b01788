/** Human-readable views of a run's state for the CLI. */
import type { RunState } from '../workflows/api';
import type { FlowEvent } from '../events/types';
import type { RunFailure } from '../client/index';

/** One line of progress: `3 done, running: analyse/security, analyse/style`. */
export function progressLine(state: RunState): string {
  const parts = [`${state.status}`, `${state.completed.length} done`];
  if (state.running.length) parts.push(`running: ${state.running.join(', ')}`);
  if (state.waiting.length)
    parts.push(`waiting: ${state.waiting.map((w) => `${w.task} for ${waitsFor(w)}`).join(', ')}`);
  if (state.pending_gates.length) parts.push(`gates: ${state.pending_gates.map((g) => g.gate).join(', ')}`);
  return parts.join(' · ');
}

/**
 * The `status` view: a tree of task paths with their states (loop passes and items under their
 * `[n]`), the failed task and its error, pending gates and how to decide them.
 */
export function statusText(
  workflowId: string,
  state: RunState,
  failure?: RunFailure,
  /** The user has a token (`FLOWSTATE_TOKEN`): the decide hints send it instead of `--by`. */
  withToken = false,
): string {
  const paused = state.paused && state.status !== 'paused' ? ' (paused)' : '';
  const redrives = state.redrives ? `  (redrive of ${state.redrives})` : '';
  const lines = [`${workflowId}  ${state.definition}@${state.version}  ${state.status}${paused}${redrives}`];
  if (state.started_by) {
    const { subject, verified, issuer } = state.started_by;
    lines.push(`started by ${subject}${verified ? ` (verified${issuer ? `, ${issuer}` : ''})` : ''}`);
  }
  const rows = new Map<string, string>();
  for (const path of state.completed) rows.set(path, 'done');
  for (const path of state.reused ?? []) rows.set(path, 'reused');
  const closed = ['terminated', 'timed_out', 'continued_as_new'].includes(state.status);
  for (const path of state.running)
    rows.set(path, closed ? `running when the run was ${state.status}` : 'running');
  for (const w of state.waiting) rows.set(w.task, `waiting for ${waitsFor(w)}`);
  for (const g of state.pending_gates) rows.set(g.gate, `waiting for approval (revision ${g.revision})`);
  if (failure?.task) rows.set(failure.task, failedText(failure));
  for (const node of treeOrder(withAncestors([...rows.keys()]))) {
    const parts = segments(node);
    const row = rows.get(node);
    lines.push(`${'  '.repeat(parts.length)}${parts[parts.length - 1]}${row ? `  ${row}` : ''}`);
  }
  if (failure) {
    const where = failure.task ? ` at ${failure.task}` : '';
    lines.push(
      '',
      `${state.status}${where}: ${failure.type ? `[${failure.type}] ` : ''}${errorMessage(failure)}`,
    );
    lines.push(`once fixed, run it again from there: npx flowstate redrive ${workflowId}`);
  }
  for (const g of closed ? [] : state.pending_gates) {
    const who = g.acceptors.length ? ` (acceptors: ${g.acceptors.join(', ')})` : '';
    lines.push('', `gate ${g.gate} is waiting for a decision${who}. Output to review:`);
    lines.push(indent(JSON.stringify(g.output, null, 2), 4));
    // A worker that verifies deciders takes the decider from the token, and refuses `--by` alone.
    const decider = withToken ? '--token "$FLOWSTATE_TOKEN"' : `--by ${g.acceptors[0] ?? '<your name>'}`;
    lines.push(`  approve: npx flowstate approve ${workflowId} --gate '${g.gate}' ${decider}`);
    lines.push(
      `  reject:  npx flowstate reject ${workflowId} --gate '${g.gate}' ${decider} --comment '<what to change>'`,
    );
  }
  if (state.decisions.length) {
    lines.push('', 'decisions:');
    for (const d of state.decisions) {
      lines.push(
        `  ${d.at}  ${d.gate}  ${d.decision} by ${d.decided_by}${d.verified ? ` (verified${d.issuer ? `, ${d.issuer}` : ''})` : ''} (revision ${d.revision})${d.comment ? `: ${d.comment}` : ''}`,
      );
    }
  }
  return lines.join('\n');
}

function waitsFor(w: RunState['waiting'][number]): string {
  return 'signal' in w
    ? `signal '${w.signal}'`
    : `update '${w.update}'${w.views.length ? ` (queries: ${w.views.join(', ')})` : ''}`;
}

function indent(text: string, n: number): string {
  return text
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

/** A failed task's state: `failed (revisions exhausted): ...` or `failed: [Type] message`. */
function failedText(failure: RunFailure): string {
  if (failure.type === 'RevisionsExhausted') return `failed (revisions exhausted): ${errorMessage(failure)}`;
  return `failed: ${failure.type ? `[${failure.type}] ` : ''}${errorMessage(failure)}`;
}

/** The error's message without the task path it starts with (`probe: until ...` -> `until ...`). */
function errorMessage(failure: RunFailure): string {
  const prefix = failure.task ? `${failure.task}: ` : '';
  return prefix && failure.message.startsWith(prefix)
    ? failure.message.slice(prefix.length)
    : failure.message;
}

/**
 * A path's levels in the tree: a loop pass or an item is a level of its own under its task
 * (`probe[1]/check` -> `probe`, `probe[1]`, `check`).
 */
function segments(path: string): string[] {
  return path.split('/').flatMap((part) => {
    const at = part.indexOf('[');
    return at > 0 ? [part.slice(0, at), part] : [part];
  });
}

/** The paths with every level above them (so a pass `probe[1]` shows even when only its tasks ran). */
function withAncestors(paths: string[]): string[] {
  const all = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    parts.forEach((part, i) => {
      const above = parts.slice(0, i).join('/');
      const at = part.indexOf('[');
      if (at > 0) all.add((above ? `${above}/` : '') + part.slice(0, at));
      all.add(parts.slice(0, i + 1).join('/'));
    });
  }
  return [...all];
}

/**
 * Order paths as a tree: a parent before its children (a loop pass `probe[1]` under `probe`), and
 * siblings in the order anything under them was first seen (execution order), not alphabetically.
 */
export function treeOrder(paths: string[]): string[] {
  const first = new Map<string, number>();
  paths.forEach((p, i) => {
    const parts = segments(p);
    for (let n = 1; n <= parts.length; n++) {
      const prefix = parts.slice(0, n).join('/');
      if (!first.has(prefix)) first.set(prefix, i);
    }
  });
  const key = (p: string) => segments(p).map((_, n, parts) => first.get(parts.slice(0, n + 1).join('/'))!);
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
