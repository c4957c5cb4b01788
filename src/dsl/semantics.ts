/**
 * Step two of loading: what the schema cannot say. Task ids are unique; jumps name a task of the same
 * sequence; tasks nothing can reach are reported (warning); `input` is a JSON Schema; every
 * expression parses and is deterministic; every name it uses resolves (functions, `$variables`, no
 * `x['key']` filter taken for a lookup, no `$eval`: `src/expressions/references.ts`); every
 * `tasks.<id>` names a task that can have run before; comparisons with input values the input schema
 * does not require are warned about (`missing-values.ts`). The workflow's hooks are checked too.
 *
 * Scoping: a sequence is a list of tasks one run walks (the top-level tasks, a composite's or a
 * loop pass's tasks...); a task that runs alone (a parallel branch, an inline route) is a sequence of
 * one, except that an inline route's `on_success`/`on_error` name tasks of its router's sequence
 * (field role `jumps: 'container'`). A task sees the tasks of its sequence that can run before it (following the task order and the
 * jumps), the tasks its enclosing tasks see, and the nested tasks those earlier tasks export (field
 * role `exported`). A container's expression fields named in a role's `visibleIn` also see that
 * group's tasks (a loop's `until`).
 */
import { SCOPE_ROOTS } from './compile';
import { ancestorSets, type AncestorSet } from './ancestors';
import { checkInputSchema } from './input-schema';
import {
  NOTHING,
  checkExpressions,
  checkOutput,
  checkWorkflowHooks,
  list,
  type Context,
  type Finding,
  type Scope,
} from './expression-checks';

import { formatPath } from './paths';
import type { WorkflowDocument } from './schema';
import { allTasks, exportedIds, type JumpSite, type TaskNode } from './structure';
import { didYouMean } from '../contract/suggest';

export type { Finding } from './expression-checks';

/** Roots a task's variable (`item_var`, `index_var`) may not take: it would hide what they hold. */
const RESERVED_VARIABLES = [
  ...SCOPE_ROOTS.filter((r) => !['item', 'index', 'previous'].includes(r)),
  'output',
];

function checkVariableNames(tasks: TaskNode[], findings: Finding[]): void {
  for (const t of tasks)
    for (const v of t.variables)
      if (RESERVED_VARIABLES.includes(v.name))
        findings.push({
          path: v.path,
          anchor: 'value',
          severity: 'error',
          message: `'${v.name}' is a root every expression reads (${RESERVED_VARIABLES.join(', ')}): name the variable something else, e.g. '${v.name}_item'`,
        });
}

/** Run every semantic check on a validated document and its task tree. */
export function checkSemantics(document: WorkflowDocument, tree: TaskNode[]): Finding[] {
  const findings: Finding[] = [];
  const everyTask = allTasks(tree);
  const ids = new Set(everyTask.map((t) => t.id));
  checkUniqueIds(everyTask, findings);
  checkVariableNames(everyTask, findings);
  if (document.input)
    for (const p of checkInputSchema(document.input, ['input'])) findings.push({ ...p, severity: 'error' });
  const roots = new Set([
    ...SCOPE_ROOTS,
    'output',
    ...everyTask.flatMap((t) => t.variables.map((v) => v.name)),
  ]);
  const context: Context = {
    findings,
    ids,
    byId: new Map(),
    parents: new Map(),
    input: document.input,
    roots,
  };
  for (const t of everyTask) if (!context.byId.has(t.id)) context.byId.set(t.id, t);
  for (const t of everyTask)
    for (const group of t.groups)
      for (const child of group.tasks) context.parents.set(child, { parent: t, group });
  checkSequence(tree, NOTHING, context);
  if (document.output !== undefined) checkOutput(document.output, tree, context);
  if (document.hooks !== undefined) checkWorkflowHooks(document.hooks, context);
  return findings;
}

function checkUniqueIds(tasks: TaskNode[], findings: Finding[]): void {
  const first = new Map<string, TaskNode>();
  for (const t of tasks) {
    const earlier = first.get(t.id);
    if (!earlier) first.set(t.id, t);
    else
      findings.push({
        path: [...t.path, 'id'],
        anchor: 'value',
        severity: 'error',
        message: `duplicate task id '${t.id}': ${formatPath(earlier.path)} already uses it; task ids must be unique in the whole definition`,
      });
  }
}

/**
 * Jumps, reachability and references of one sequence, then of the sequences nested in it. `alone`:
 * the sequence is one task that runs by itself (a branch, a route, an item's body).
 */
function checkSequence(
  seq: TaskNode[],
  outer: Scope,
  context: Context,
  alone = false,
  jumpsOut = false,
): void {
  const index = new Map(seq.map((t, i) => [t.id, i]));
  let brokenJumps = 0;
  const successors = seq.map((task, i) => {
    const next: number[] = [];
    if (fallsThrough(task) && i + 1 < seq.length) next.push(i + 1);
    for (const jump of sequenceJumps(task, jumpsOut)) {
      const target = index.get(jump.target);
      if (target !== undefined) {
        next.push(target);
      } else {
        context.findings.push(jumpProblem(task, jump, seq, context.ids, alone));
        brokenJumps++;
      }
    }
    return next;
  });
  const fromStart = reachable(successors, 0);
  // With a broken jump, what is reachable is unknown: the jump's error says enough.
  if (brokenJumps === 0) {
    seq.forEach((_, i) => {
      if (!fromStart.has(i)) context.findings.push(unreachableProblem(seq, i, fromStart));
    });
  }
  const before = ancestors(successors);
  // Which task of this sequence makes each id visible: the task itself or the nested tasks it exports.
  const owner = new Map<string, number>();
  seq.forEach((t, k) => [t.id, ...exportedIds(t)].forEach((id) => owner.has(id) || owner.set(id, k)));
  seq.forEach((task, i) => {
    // An unreachable task is checked as if the tasks above it had run, to report it only once.
    const ran = (k: number) => before[i].has(k) || (!fromStart.has(i) && k < i);
    const scope: Scope = {
      has: (id) => outer.has(id) || (owner.has(id) && ran(owner.get(id)!)),
      ids: () => [...outer.ids(), ...seq.flatMap((t, k) => (ran(k) ? [t.id, ...exportedIds(t)] : []))],
    };
    checkExpressions(task, scope, context);
    for (const group of task.groups) {
      if (group.role.runs === 'sequence') checkSequence(group.tasks, scope, context);
      else
        for (const child of group.tasks)
          checkSequence([child], scope, context, true, group.role.jumps === 'container');
    }
  });
}

/** The jumps a task runs as the next task of its container's sequence leaves to the container. */
const CONTAINER_JUMPS = new Set(['on_success.next', 'on_error.next']);

/** A jump, and the nested task that makes it when it is not the task itself (an inline route). */
type SequenceJump = JumpSite & { from?: TaskNode };

/**
 * The jumps a task makes within its sequence: its own (less its `on_success`/`on_error` when
 * `jumpsOut`: its container's sequence checked those), plus the `on_success`/`on_error` of its
 * nested tasks that run as the next task of this sequence (a router's inline routes).
 */
function sequenceJumps(task: TaskNode, jumpsOut: boolean): SequenceJump[] {
  const own = jumpsOut ? task.jumps.filter((j) => !CONTAINER_JUMPS.has(j.label)) : task.jumps;
  const nested = task.groups
    .filter((g) => g.role.jumps === 'container')
    .flatMap((g) => g.tasks)
    .flatMap((child) =>
      child.jumps
        .filter((j) => CONTAINER_JUMPS.has(j.label))
        .map((j) => ({ ...j, label: j.path.slice(task.path.length).join('.'), from: child })),
    );
  return [...own, ...nested];
}

/** Without `final` or `on_success.next`, a task goes on to the task after it. */
function fallsThrough(task: TaskNode): boolean {
  return task.task.final !== true && task.task.on_success === undefined;
}

function jumpProblem(
  task: TaskNode,
  jump: SequenceJump,
  seq: TaskNode[],
  ids: Set<string>,
  alone: boolean,
): Finding {
  const here = [...new Set(seq.map((t) => t.id))];
  const base = { path: jump.path, anchor: 'value' as const, severity: 'error' as const };
  if (!ids.has(jump.target)) {
    const hint = didYouMean(jump.target, new Set(here)) || didYouMean(jump.target, ids);
    return {
      ...base,
      message: `${jump.label} names no task '${jump.target}'${hint} (tasks it can jump to: ${list(here)})`,
    };
  }
  const who = jump.from ? jump.from.id : task.id;
  const why = jump.from
    ? `'${who}' runs as the next task of '${task.id}', so its next names a task of that sequence: ${list(here)}`
    : alone
      ? `'${task.id}' runs alone (a branch, a route or an item's body), so it can only name itself`
      : `a jump stays within one sequence: '${task.id}' can jump to ${list(here)}`;
  return {
    ...base,
    message: `${jump.label} '${jump.target}' is not in the same sequence as '${who}': ${why}`,
  };
}

function unreachableProblem(seq: TaskNode[], i: number, fromStart: Set<number>): Finding {
  const task = seq[i];
  const previous = seq[i - 1];
  let why: string;
  if (!fromStart.has(i - 1)) why = `it follows '${previous.id}', which is unreachable too`;
  else if (previous.task.final === true) why = `it follows '${previous.id}', which is final`;
  else
    why = `it follows '${previous.id}', which always jumps to '${previous.task.on_success?.next}' (on_success.next)`;
  return {
    path: [...task.path, 'id'],
    anchor: 'value',
    severity: 'warning',
    message: `task '${task.id}' is unreachable: ${why}, and no reachable task jumps to it`,
  };
}

/** Indices reachable from `start` (itself included). */
function reachable(successors: number[][], start: number): Set<number> {
  const seen = new Set<number>(successors.length > 0 ? [start] : []);
  const stack = [...seen];
  while (stack.length > 0) {
    for (const n of successors[stack.pop()!]) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}

/** For each task, the tasks from which it can be reached in one step or more (they can run before it). */
function ancestors(successors: number[][]): AncestorSet[] {
  return ancestorSets(successors); // near-linear: a fixpoint of sets is quadratic on 20,000 tasks
}
