/**
 * A compiled definition as a graph model (src/contract/graph.ts): every task by its static path,
 * containers with how their tasks run (in sequence, as branches, once per item, pass after pass),
 * subflows naming the definition they run, gates, and the edges between tasks. Like the Mermaid
 * graph (graph.ts) it reads each type's field roles, so it names no task type.
 */
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';
import type { GraphEdge, GraphModel, GraphNode, GroupKind } from '../contract/graph';
import type { TaskTypeRegistry } from '../contract/registry';
import { expressionOf } from '../expressions';
import { validatorFor, type Validator } from './validate';
import { jumpFields, layoutOf, routeTargets } from './graph-roles';

/** The graph model of a compiled definition (tasks of the registry's types). */
export function toGraphModel(def: CompiledDefinition, types: TaskTypeRegistry): GraphModel {
  const builder = new ModelBuilder(validatorFor(types));
  builder.sequence(def.tasks, undefined, 'sequence');
  builder.resolveJumps();
  return { definition: def.id, version: def.version, nodes: builder.nodes, edges: builder.edges };
}

class ModelBuilder {
  readonly nodes: GraphNode[] = [];
  readonly edges: GraphEdge[] = [];
  /** Jumps by task id, resolved to paths once every task is placed (the nearest in scope). */
  private readonly jumps: Array<{
    from: string;
    scope?: string;
    target: string;
    label: string;
    kind: GraphEdge['kind'];
  }> = [];
  private readonly byScope = new Map<string, string>();

  constructor(private readonly validator: Validator) {}

  /** Place the tasks of one container (or the top level); edges between them when they run in order. */
  sequence(tasks: CompiledTask[], parent: string | undefined, kind: GroupKind): void {
    const paths = tasks.map((t) => this.place(t, parent));
    if (kind !== 'sequence' && kind !== 'passes') return;
    tasks.forEach((task, i) => {
      const from = paths[i];
      const routes = routeTargets(task.spec);
      if (task.final) this.jumps.push({ from, scope: parent, target: '', label: 'final', kind: 'jump' });
      else if (task.next)
        this.jumps.push({ from, scope: parent, target: task.next, label: 'next', kind: 'jump' });
      else if (i + 1 < paths.length && routes.every((r) => r.goto === undefined))
        this.edges.push({ from, to: paths[i + 1], kind: 'flow' });
    });
    if (kind === 'passes' && paths.length > 0 && parent)
      this.edges.push({ from: paths[paths.length - 1], to: paths[0], label: 'next pass', kind: 'repeat' });
  }

  private place(task: CompiledTask, parent: string | undefined): string {
    const path = parent ? `${parent}/${task.id}` : task.id;
    const orchestrator = this.validator.types.find(task.type);
    const details: string[] = [];
    for (const field of orchestrator?.expressionFields ?? []) {
      const value = task.spec[field];
      if (typeof value === 'string') details.push(`${field}: ${expressionOf(value)}`);
    }
    const node: GraphNode = { path, id: task.id, type: task.type, ...(parent ? { parent } : {}), details };
    const field = orchestrator?.definitionField;
    if (field && typeof task.spec[field] === 'string') {
      const pinned = task.spec.pinned as { id?: string; version?: string } | undefined;
      node.runs = pinned?.id ? `${pinned.id}@${pinned.version}` : (task.spec[field] as string);
    }
    const input = task.spec.with ?? task.spec.http;
    if (input !== undefined) node.input = input;
    if (task.acceptance) node.gate = { acceptors: [...task.acceptance.acceptors] };
    this.nodes.push(node);
    this.byScope.set(`${parent ?? ''}\u0000${task.id}`, path);
    for (const r of routeTargets(task.spec))
      if (r.goto !== undefined)
        this.jumps.push({ from: path, scope: parent, target: r.goto, label: r.key, kind: 'jump' });
    if (task.onError)
      this.jumps.push({ from: path, scope: parent, target: task.onError, label: 'on_error', kind: 'error' });
    for (const j of jumpFields(task, this.validator))
      this.jumps.push({ from: path, scope: parent, target: j.target, label: j.field, kind: 'error' });
    if (task.acceptance?.onTimeout)
      this.jumps.push({
        from: path,
        scope: parent,
        target: task.acceptance.onTimeout,
        label: 'gate timeout',
        kind: 'error',
      });
    if (task.children.length > 0) {
      const layout = layoutOf(task, this.validator);
      const group: GroupKind =
        layout.repeatUntil.length > 0
          ? 'passes'
          : layout.perItem
            ? 'items'
            : layout.runs === 'sequence'
              ? 'sequence'
              : 'branches';
      node.group = group;
      // A collection's body of several tasks runs them in order for each item.
      this.sequence(
        task.children,
        path,
        group === 'items' && layout.runs === 'sequence' ? 'sequence' : group,
      );
    }
    return path;
  }

  /** Turn jumps by id into edges: the target in the jumping task's own sequence, else any task with that id. */
  resolveJumps(): void {
    for (const j of this.jumps) {
      if (j.label === 'final') continue;
      const to =
        this.byScope.get(`${j.scope ?? ''}\u0000${j.target}`) ??
        this.nodes.find((n) => n.id === j.target)?.path;
      if (to) this.edges.push({ from: j.from, to, label: j.label, kind: j.kind });
    }
  }
}
