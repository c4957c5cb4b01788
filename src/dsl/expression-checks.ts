/**
 * The expression checks of step two of loading (`semantics.ts` walks the sequences and calls them):
 * every expression parses and is deterministic, every name it uses resolves, every `tasks.<id>` names
 * a task that can have run before the reader, and comparisons with input values the input schema does
 * not require are warned about.
 */
import {
  ExpressionError,
  expressionAst,
  hasTemplate,
  hasUnclosedTemplate,
  readsOf,
  unresolvedReferences,
  wholeExpression,
} from '../expressions';
import { didYouMean } from '../contract/suggest';
import { hyphenatedInputKeys, missingValueWarnings } from './missing-values';
import type { Severity } from './diagnostics';
import type { Problem } from './issues';
import type { DocPath } from './paths';
import {
  exportedIds,
  siteExpressions,
  type ExpressionSite,
  type TaskGroup,
  type TaskNode,
} from './structure';

/** A problem found by the semantic checks. */
export interface Finding extends Problem {
  severity: Severity;
}

/** The task ids visible at one place. */
export interface Scope {
  has(id: string): boolean;
  ids(): string[];
}

export const NOTHING: Scope = { has: () => false, ids: () => [] };

const TASKS_ONLY = new Set(['tasks']);

/** What the checks share while walking one definition. */
export interface Context {
  findings: Finding[];
  /** Every task id in the definition. */
  ids: Set<string>;
  /** The first task with each id. */
  byId: Map<string, TaskNode>;
  /** The task holding each nested task, and the group it is in. */
  parents: Map<TaskNode, { parent: TaskNode; group: TaskGroup }>;
  /** The definition's input JSON Schema, if any. */
  input: unknown;
  /** Names read without `$`: the scope roots and the variables tasks add (`item_var`). */
  roots: ReadonlySet<string>;
}

/** Every expression of a task parses, and its `tasks.<id>` reads name tasks in scope. */
export function checkExpressions(task: TaskNode, scope: Scope, context: Context): void {
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

/** The workflow `output` template sees the top-level tasks and what they export. */
export function checkOutput(output: unknown, tree: TaskNode[], context: Context): void {
  const visible = tree.flatMap((t) => [t.id, ...exportedIds(t)]);
  const scope: Scope = { has: (id) => visible.includes(id), ids: () => visible };
  checkTemplates(output, ['output'], 'output', scope, context);
}

/**
 * The workflow's hooks run for every task (and `on_complete` after the run), so their templates are
 * checked for what they reference, not for scope: any task id of the definition resolves.
 */
export function checkWorkflowHooks(hooks: unknown, context: Context): void {
  const scope: Scope = { has: (id) => context.ids.has(id), ids: () => [...context.ids] };
  checkTemplates(hooks, ['hooks'], 'hooks', scope, context);
}

/** Check every string with `{{` in a value (deeply) as a template site of `field`. */
function checkTemplates(value: unknown, path: DocPath, field: string, scope: Scope, context: Context): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) checkSite({ path, field, bare: false, text: value }, scope, undefined, context);
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      checkTemplates(v, [...path, Array.isArray(value) ? Number(k) : k], field, scope, context);
  }
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
      expressionAst(expression);
    } catch (e) {
      if (!(e instanceof ExpressionError)) throw e;
      report(`invalid expression in ${site.field}: ${e.message}`);
      continue;
    }
    const functions = reader?.orchestrator.functions?.[site.field];
    const where = (position?: number) =>
      `${site.field} '${expression}'${position === undefined ? '' : `, at character ${position}`}`;
    for (const u of unresolvedReferences(expression, { functions, roots: context.roots }))
      report(`${where(u.position)}: ${u.message}`);
    for (const h of hyphenatedInputKeys(expression, context.input))
      report(`${where(h.position)}: ${h.message}`);
    for (const w of missingValueWarnings(expression, context.input))
      report(`${where(w.position)}: ${w.message}`, 'warning');
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

/** The ids in scope, as a clause for messages. */
function inScope(scope: Scope): string {
  const ids = [...new Set(scope.ids())];
  return ids.length === 0 ? ' (no task runs before it)' : ` (tasks in scope: ${list(ids)})`;
}

/** A list for messages, cut after a dozen names. */
export function list(ids: string[]): string {
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')}, and ${ids.length - 12} more`;
}
