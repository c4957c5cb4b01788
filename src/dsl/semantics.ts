/**
 * Step two of loading: what the schema cannot say. Task ids are unique; jumps name a task of the same
 * sequence; tasks nothing can reach are reported (warning); `input` is a JSON Schema; every
 * expression parses and is deterministic; every `tasks.<id>` names a task that can have run before.
 *
 * Scoping: a sequence is a list of tasks one run walks (the top-level tasks, a composite's or a
 * loop pass's tasks...); a task that runs alone (a parallel branch, an inline route) is a sequence of
 * one. A task sees the tasks of its sequence that can run before it (following the task order and the
 * jumps), the tasks its enclosing tasks see, and the nested tasks those earlier tasks export (field
 * role `exported`). A container's expression fields named in a role's `visibleIn` also see that
 * group's tasks (a loop's `until`).
 */
import {
  ExpressionError,
  compileExpression,
  hasTemplate,
  hasUnclosedTemplate,
  readsOf,
  wholeExpression,
} from '../expressions';
import { ancestorSets, type AncestorSet } from './ancestors';
import type { Severity } from './diagnostics';
import type { Problem } from './issues';
import { checkInputSchema } from './input-schema';
import { formatPath, type DocPath } from './paths';
import type { WorkflowDocument } from './schema';
import {
  allTasks,
  exportedIds,
  siteExpressions,
  type ExpressionSite,
  type TaskGroup,
  type TaskNode,
} from './structure';
import { didYouMean } from '../contract/suggest';

/** A problem found by the semantic checks. */
export interface Finding extends Problem {
  severity: Severity;
}

/** The task ids visible at one place. */
interface Scope {
  has(id: string): boolean;
  ids(): string[];
}

const NOTHING: Scope = { has: () => false, ids: () => [] };
const TASKS_ONLY = new Set(['tasks']);

/** Run every semantic check on a validated document and its task tree. */
export function checkSemantics(document: WorkflowDocument, tree: TaskNode[]): Finding[] {
  const findings: Finding[] = [];
  const everyTask = allTasks(tree);
  const ids = new Set(everyTask.map((t) => t.id));
  checkUniqueIds(everyTask, findings);
  if (document.input)
    for (const p of checkInputSchema(document.input, ['input'])) findings.push({ ...p, severity: 'error' });
  const context: Context = { findings, ids, byId: new Map(), parents: new Map() };
  for (const t of everyTask) if (!context.byId.has(t.id)) context.byId.set(t.id, t);
  for (const t of everyTask)
    for (const group of t.groups)
      for (const child of group.tasks) context.parents.set(child, { parent: t, group });
  checkSequence(tree, NOTHING, context);
  if (document.output !== undefined) checkOutput(document.output, tree, context);
  return findings;
}

interface Context {
  findings: Finding[];
  /** Every task id in the definition. */
  ids: Set<string>;
  /** The first task with each id. */
  byId: Map<string, TaskNode>;
  /** The task holding each nested task, and the group it is in. */
  parents: Map<TaskNode, { parent: TaskNode; group: TaskGroup }>;
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
function checkSequence(seq: TaskNode[], outer: Scope, context: Context, alone = false): void {
  const index = new Map(seq.map((t, i) => [t.id, i]));
  let brokenJumps = 0;
  const successors = seq.map((task, i) => {
    const next: number[] = [];
    if (fallsThrough(task) && i + 1 < seq.length) next.push(i + 1);
    for (const jump of task.jumps) {
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
      else for (const child of group.tasks) checkSequence([child], scope, context, true);
    }
  });
}

/** Without `final` or `on_success.next`, a task goes on to the task after it. */
function fallsThrough(task: TaskNode): boolean {
  return task.task.final !== true && task.task.on_success === undefined;
}

function jumpProblem(
  task: TaskNode,
  jump: TaskNode['jumps'][number],
  seq: TaskNode[],
  ids: Set<string>,
  alone: boolean,
): Finding {
  const here = [...new Set(seq.map((t) => t.id))];
  const base = { path: jump.path, anchor: 'value' as const, severity: 'error' as const };
  if (!ids.has(jump.target)) {
    return {
      ...base,
      message: `${jump.label} names no task '${jump.target}'${didYouMean(jump.target, ids)} (tasks it can jump to: ${list(here)})`,
    };
  }
  const why = alone
    ? `'${task.id}' runs alone (a branch, a route or an item's body), so it can only name itself`
    : `a jump stays within one sequence: '${task.id}' can jump to ${list(here)}`;
  return {
    ...base,
    message: `${jump.label} '${jump.target}' is not in the same sequence as '${task.id}': ${why}`,
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

/** Every expression of a task parses, and its `tasks.<id>` reads name tasks in scope. */
function checkExpressions(task: TaskNode, scope: Scope, context: Context): void {
  for (const site of task.expressions) {
    const extra = task.groups.filter((g) => g.role.visibleIn?.includes(site.field));
    const own = extra.flatMap((g) => g.tasks.flatMap((t) => [t.id, ...exportedIds(t)]));
    const seen: Scope =
      own.length === 0
        ? scope
        : { has: (id) => own.includes(id) || scope.has(id), ids: () => [...scope.ids(), ...own] };
    checkSite(site, seen, task, context);
  }
}

function checkOutput(output: unknown, tree: TaskNode[], context: Context): void {
  const visible = tree.flatMap((t) => [t.id, ...exportedIds(t)]);
  const scope: Scope = { has: (id) => visible.includes(id), ids: () => visible };
  const visit = (value: unknown, path: DocPath): void => {
    if (typeof value === 'string') {
      if (value.includes('{{'))
        checkSite({ path, field: 'output', bare: false, text: value }, scope, undefined, context);
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) visit(v, [...path, Array.isArray(value) ? Number(k) : k]);
    }
  };
  visit(output, ['output']);
}

/** Check one expression site; `reader` is the task holding it (none for the workflow output). */
function checkSite(site: ExpressionSite, scope: Scope, reader: TaskNode | undefined, context: Context): void {
  const report = (message: string, severity: Severity = 'error') =>
    context.findings.push({ path: site.path, anchor: 'value', severity, message });
  if (site.bare && hasTemplate(site.text) && wholeExpression(site.text) === undefined) {
    report(
      `${site.field} must be one expression, written bare (input.n > 3) or as one {{ input.n > 3 }}, not text around {{ }}`,
    );
    return;
  }
  if (!site.bare && hasUnclosedTemplate(site.text))
    report(`${site.field} has '{{' without a matching '}}': that part is kept as plain text`, 'warning');
  for (const expression of siteExpressions(site)) {
    try {
      compileExpression(expression);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      report(`invalid expression in ${site.field}: ${e.message}`);
      continue;
    }
    const read = new Set(
      readsOf(expression, TASKS_ONLY)
        .filter((r) => r.startsWith('tasks.'))
        .map((r) => r.slice(6)),
    );
    for (const id of read) {
      if (scope.has(id)) continue;
      if (!context.ids.has(id)) {
        const hyphenated = [...context.ids].find(
          (known) => known.startsWith(`${id}-`) && expression.includes(`tasks.${known}`),
        );
        if (hyphenated) {
          report(
            `${site.field} reads tasks.${hyphenated} as tasks.${id} minus ${hyphenated.slice(id.length + 1)}: ` +
              `a task id with '-' must be quoted in expressions: tasks.\`${hyphenated}\``,
          );
          continue;
        }
        const hint = didYouMean(id, context.ids);
        report(`${site.field} reads tasks.${id}, but no task has id '${id}'${hint || inScope(scope)}`);
      } else {
        const who = reader ? `'${reader.id}'` : 'the workflow output';
        const why = whyNotVisible(context.byId.get(id)!, reader, context);
        report(
          `${site.field} reads tasks.${id}, but '${id}' cannot have run before ${who}${why}${inScope(scope)}`,
        );
      }
    }
  }
}

/** Why a task that exists is out of scope for `reader`, as a clause for the message. */
function whyNotVisible(target: TaskNode, reader: TaskNode | undefined, context: Context): string {
  if (target === reader) return ': a task cannot read its own output (in outputs, use output)';
  const within = (node: TaskNode | undefined, ancestor: TaskNode): boolean => {
    for (let n = node; n; n = context.parents.get(n)?.parent) if (n === ancestor) return true;
    return false;
  };
  for (let n: TaskNode | undefined = target; n;) {
    const link = context.parents.get(n);
    if (!link) break;
    if (link.parent === reader)
      return `: it runs inside '${reader.id}', after ${reader.id}'s own fields are evaluated`;
    if (!link.group.role.exported && !within(reader, link.parent)) {
      return `: it runs inside '${link.parent.id}', whose tasks are visible only inside it (read tasks.${link.parent.id}.output instead)`;
    }
    if (reader && link.group.role.runs === 'each' && context.parents.get(reader)?.group === link.group) {
      return `: both run alone under '${link.parent.id}', so neither sees the other`;
    }
    n = link.parent;
  }
  if (reader && context.parents.get(target)?.group === context.parents.get(reader)?.group) {
    const later = Number(target.path[target.path.length - 1]) > Number(reader.path[reader.path.length - 1]);
    return later
      ? ': it comes later in the same sequence and no jump leads back from it'
      : ': no path through the sequence (following the order, final and the jumps) leads from it to here';
  }
  return '';
}

function inScope(scope: Scope): string {
  const ids = [...new Set(scope.ids())];
  return ids.length === 0 ? ' (no task runs before it)' : ` (tasks in scope: ${list(ids)})`;
}

/** A list for messages, cut after a dozen names. */
function list(ids: string[]): string {
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')}, and ${ids.length - 12} more`;
}
