/**
 * The shape of a validated definition as the checks and the compiler need it: for each task, its
 * nested task groups, its jumps, the variables it adds to its children's scope, and every string that
 * holds an expression, each with its document path. Read from the field roles the types mark on their
 * schemas, so nothing here knows a task type.
 */
import type { z } from 'zod';
import type { Orchestrator } from '../contract/orchestrator';
import type { FieldRole, JumpRole, NestedTasksRole, VariableRole } from '../contract/fields';
import { expressionOf, templateExpressions } from '../expressions';
import type { DocPath } from './paths';
import type { TaskDocument, WorkflowDocument } from './schema';
import type { Validator } from './validate';
import { childSchema, optionFor, rolesOf, wraps } from './zod-walk';

/** A string holding one or more expressions. */
export interface ExpressionSite {
  /** Path of the string in the document. */
  path: DocPath;
  /** The task field it sits under: `with`, `outputs`, `if`, `condition`... */
  field: string;
  /** A bare expression field (`if`, a type's `expressionFields`), else a string with `{{ }}` templates. */
  bare: boolean;
  text: string;
}

/** A field naming the task to go to next (`on_success.next`, a route, `on_timeout`). */
export interface JumpSite {
  path: DocPath;
  /** Path relative to the task, for messages: `on_success.next`, `routes.bug`. */
  label: string;
  target: string;
}

/** A variable the task adds to its nested tasks' scope (a collection's `item_var`). */
export interface VariableSite {
  name: string;
  /** Where the name is given (`item_var`), for errors. */
  path: DocPath;
  visibleIn: readonly string[];
}

/** Nested tasks held by one field. */
export interface TaskGroup {
  field: string;
  role: NestedTasksRole;
  tasks: TaskNode[];
}

export interface TaskNode {
  id: string;
  type: string;
  orchestrator: Orchestrator;
  /** Path of the task in the document, e.g. `['tasks', 2, 'routes', 'bug']`. */
  path: DocPath;
  /** The validated fields. */
  task: TaskDocument;
  groups: TaskGroup[];
  jumps: JumpSite[];
  variables: VariableSite[];
  expressions: ExpressionSite[];
}

/** Role assumed for nested tasks under a field no role marks: one sequence, visible afterwards. */
const UNMARKED: NestedTasksRole = { role: 'tasks', runs: 'sequence', exported: true };

/** Fields that never hold expressions. */
const PLAIN_FIELDS = new Set(['id', 'type', 'description']);

/** The task tree of a validated document (validated by `validator`). */
export function buildTree(document: WorkflowDocument, validator: Validator): TaskNode[] {
  return document.tasks.map((task, i) => buildTask(task, ['tasks', i], validator));
}

/** One validated task and everything under it. */
export function buildTask(task: TaskDocument, path: DocPath, validator: Validator): TaskNode {
  const orchestrator = validator.types.find(task.type);
  if (!orchestrator)
    throw new Error(`task ${task.id}: unknown type '${task.type}' (validate before building the tree)`);
  const node: TaskNode = {
    id: task.id,
    type: task.type,
    orchestrator,
    path,
    task,
    groups: [],
    jumps: [],
    variables: [],
    expressions: [],
  };
  const shape = validator.shapeFor(orchestrator);
  const bare = new Set(['if', ...(orchestrator.expressionFields ?? [])]);
  for (const [field, value] of Object.entries(task)) {
    if (PLAIN_FIELDS.has(field) || value === undefined) continue;
    const visitor = new FieldVisitor(node, field, bare.has(field), validator);
    visitor.visit(value, shape[field] as z.ZodType | undefined, [...path, field], undefined);
  }
  return node;
}

class FieldVisitor {
  constructor(
    private readonly node: TaskNode,
    private readonly field: string,
    private readonly bare: boolean,
    private readonly validator: Validator,
  ) {}

  private isTask = (schema: z.ZodType) => wraps(schema, this.validator.nestedTask);

  visit(
    value: unknown,
    schema: z.ZodType | undefined,
    path: DocPath,
    group: NestedTasksRole | undefined,
  ): void {
    // Roles may sit on the field (a union of task id or task) and on the union's option that fits.
    const option = schema && optionFor(schema, value, this.isTask);
    const roles = [
      ...(schema ? rolesOf(schema) : []),
      ...(option && option !== schema ? rolesOf(option) : []),
    ];
    const tasksRole = find<NestedTasksRole>(roles, 'tasks') ?? group;
    if (option && this.isTask(option)) {
      this.addChild(buildTask(value as TaskDocument, path, this.validator), tasksRole ?? UNMARKED);
      return;
    }
    if (typeof value === 'string') {
      this.visitString(value, path, roles);
      return;
    }
    if (value === null || typeof value !== 'object') return;
    const entries: Array<[string | number, unknown]> = Array.isArray(value)
      ? value.map((v, i) => [i, v])
      : Object.entries(value);
    for (const [segment, child] of entries)
      this.visit(child, childSchema(option, segment), [...path, segment], tasksRole);
  }

  private visitString(value: string, path: DocPath, roles: FieldRole[]): void {
    const jump = find<JumpRole>(roles, 'jump');
    if (jump) {
      if (!jump.except?.includes(value)) {
        const label = path.slice(this.node.path.length).join('.');
        this.node.jumps.push({ path, label, target: value });
      }
      return;
    }
    const variable = find<VariableRole>(roles, 'variable');
    if (variable) {
      this.node.variables.push({ name: value, path, visibleIn: variable.visibleIn ?? [] });
      return;
    }
    const bare = this.bare && path.length === this.node.path.length + 1;
    if (bare || value.includes('{{'))
      this.node.expressions.push({ path, field: this.field, bare, text: value });
  }

  private addChild(child: TaskNode, role: NestedTasksRole): void {
    let group = this.node.groups.find((g) => g.field === this.field);
    if (!group) this.node.groups.push((group = { field: this.field, role, tasks: [] }));
    group.tasks.push(child);
  }
}

function find<R extends FieldRole>(roles: FieldRole[], role: R['role']): R | undefined {
  return roles.find((r) => r.role === role) as R | undefined;
}

/** Every task of the tree, depth first, in document order. */
export function allTasks(nodes: readonly TaskNode[]): TaskNode[] {
  return nodes.flatMap((n) => [n, ...allTasks(n.groups.flatMap((g) => g.tasks))]);
}

/** Ids of the nested tasks whose outputs become visible after `node` (recursively). */
export function exportedIds(node: TaskNode): string[] {
  return node.groups
    .filter((g) => g.role.exported)
    .flatMap((g) => g.tasks.flatMap((t) => [t.id, ...exportedIds(t)]));
}

/**
 * The expressions a site holds: a bare field holds one (written bare or as one `{{ }}`), any other
 * string one per `{{ }}`.
 */
export function siteExpressions(site: Pick<ExpressionSite, 'bare' | 'text'>): string[] {
  return site.bare ? [expressionOf(site.text)] : templateExpressions(site.text);
}
