/**
 * A compiled definition as a Mermaid `flowchart TD`: tasks in sequence, jumps and routes as labelled
 * edges, tasks with nested tasks as subgraphs (fan-out and fan-in for tasks that run alone, a chain
 * for a sequence, a back edge for a repeated pass), error edges dashed, gates marked. The layout
 * follows the field roles of each type, so it names no task type.
 */
import type { CompiledDefinition, CompiledTask } from '../contract/compiled';
import type { TaskTypeRegistry } from '../contract/registry';
import { expressionOf } from '../expressions';
import { validatorFor, type Validator } from './validate';
import { jumpFields, layoutOf, routeTargets } from './graph-roles';

const START = 'start';
const END = 'finish';

/** Render a compiled definition (tasks of the registry's types) as Mermaid flowchart text. */
export function toMermaid(def: CompiledDefinition, types: TaskTypeRegistry): string {
  return new Graph(def, validatorFor(types)).render();
}

interface Placed {
  task: CompiledTask;
  node: string;
  /** Where edges into the task arrive and where the edges out of it leave. */
  entry: string;
  exit: string;
}

class Graph {
  private readonly lines: string[] = [];
  private readonly edges: string[] = [];
  private readonly gates: string[] = [];
  private readonly byId = new Map<string, Placed>();
  /** Edges drawn once every task is placed (to tasks after the one they leave). */
  private readonly later: Array<() => string> = [];
  private counter = 0;

  constructor(
    private readonly def: CompiledDefinition,
    private readonly validator: Validator,
  ) {}

  render(): string {
    this.lines.push('flowchart TD', `  ${START}(["${label(`${this.def.id}@${this.def.version}`)}"])`);
    const top = this.def.tasks.map((t) => this.place(t, '  '));
    this.lines.push(`  ${END}(["end"])`);
    if (top.length > 0) this.edges.push(`${START} --> ${top[0].entry}`);
    this.sequence(top, END);
    for (const edge of this.later) this.edges.push(edge());
    if (this.def.outputTask)
      this.lines.push(`  %% output: ${oneLine(JSON.stringify(this.def.outputTask.spec.outputs))}`);
    const out = [...this.lines, ...this.edges.map((e) => `  ${e}`)];
    if (this.gates.length > 0)
      out.push(
        '  classDef gate fill:#fff4d6,stroke:#c98a00,stroke-width:2px',
        `  class ${this.gates.join(',')} gate`,
      );
    return `${out.join('\n')}\n`;
  }

  /** Declare a task (and its children) and return where its edges attach. */
  private place(task: CompiledTask, indent: string): Placed {
    const node = `t${++this.counter}`;
    const text = this.nodeLabel(task);
    const routes = routeTargets(task.spec);
    // A task that runs another definition (a subflow) is a subroutine box naming it.
    const runsDefinition = this.validator.types.find(task.type)?.definitionField !== undefined;
    const shape =
      routes.length > 0
        ? `{"${text}"}`
        : task.children.length > 0
          ? `(["${text}"])`
          : runsDefinition
            ? `[["${text}"]]`
            : `["${text}"]`;
    if (task.acceptance) this.gates.push(node);
    if (task.children.length === 0) {
      this.lines.push(`${indent}${node}${shape}`);
      const placed = { task, node, entry: node, exit: node };
      this.byId.set(task.id, placed);
      return placed;
    }
    const join = `${node}_done`;
    this.lines.push(
      `${indent}subgraph ${node}_group["${label(task.id)}"]`,
      `${indent}  direction TB`,
      `${indent}  ${node}${shape}`,
    );
    const children = task.children.map((c) => this.place(c, `${indent}  `));
    this.lines.push(`${indent}  ${join}(("done"))`, `${indent}end`);
    const placed = { task, node, entry: node, exit: join };
    this.byId.set(task.id, placed);
    const layout = layoutOf(task, this.validator);
    if (layout.runs === 'sequence') {
      this.edges.push(`${node} --> ${children[0].entry}`);
      this.sequence(children, join);
      for (const field of layout.repeatUntil) {
        const until = typeof task.spec[field] === 'string' ? expressionOf(task.spec[field] as string) : field;
        this.edges.push(`${join} -.->|"${label(`${field}: ${until}`)}"| ${children[0].entry}`);
      }
    } else {
      const inline = new Map(routes.filter((r) => r.inline !== undefined).map((r) => [r.inline!, r]));
      children.forEach((child, i) => {
        const route = inline.get(i);
        this.edges.push(
          route === undefined
            ? `${node} --> ${child.entry}`
            : `${node} -->|"${label(route.key)}"| ${child.entry}`,
        );
        // An inline route's next and on_error name tasks of the router's sequence, placed later.
        if (route?.next) this.later.push(() => `${child.exit} -->|next| ${this.target(route.next!)}`);
        else this.leave(child, join);
        if (route?.onError)
          this.later.push(() => `${child.node} -.->|on_error| ${this.target(route.onError!)}`);
      });
    }
    return placed;
  }

  /** Edges of a sequence: to the next task, jumps, `final`, errors; the last one goes on to `after`. */
  private sequence(tasks: Placed[], after: string): void {
    tasks.forEach((placed, i) => this.leave(placed, tasks[i + 1]?.entry ?? after));
  }

  /** Edges out of one task; `following` is where it goes when it neither jumps nor ends the run. */
  private leave(placed: Placed, following: string): void {
    const { task, node, exit } = placed;
    const target = (id: string) => this.target(id);
    const routes = routeTargets(task.spec);
    for (const r of routes)
      if (r.goto !== undefined) this.edges.push(`${node} -->|"${label(r.key)}"| ${target(r.goto)}`);
    if (task.final) this.edges.push(`${exit} -->|final| ${END}`);
    else if (task.next) this.edges.push(`${exit} -->|next| ${target(task.next)}`);
    else if (routes.length === 0 || routes.some((r) => r.inline !== undefined))
      this.edges.push(`${exit} --> ${following}`);
    if (task.onError) this.edges.push(`${node} -.->|on_error| ${target(task.onError)}`);
    for (const j of jumpFields(task, this.validator))
      this.edges.push(`${node} -.->|${j.field}| ${target(j.target)}`);
    if (task.acceptance?.onTimeout)
      this.edges.push(`${node} -.->|gate timeout| ${target(task.acceptance.onTimeout)}`);
  }

  /** Where an edge to the task `id` arrives. */
  private target(id: string): string {
    return this.byId.get(id)?.entry ?? this.ghost(id);
  }

  /** A jump to a task the definition does not have (only in hand-made definitions): shown as such. */
  private ghost(id: string): string {
    const node = `missing${++this.counter}`;
    this.lines.push(`  ${node}["${label(`? ${id}`)}"]`);
    return node;
  }

  private nodeLabel(task: CompiledTask): string {
    const parts = [`<b>${label(task.id)}</b>`, label(task.type)];
    const orchestrator = this.validator.types.find(task.type);
    for (const field of orchestrator?.expressionFields ?? []) {
      const value = task.spec[field];
      if (typeof value === 'string') parts.push(label(`${field}: ${expressionOf(value)}`));
    }
    const field = orchestrator?.definitionField;
    if (field && typeof task.spec[field] === 'string') {
      const pinned = task.spec.pinned as { id?: string; version?: string } | undefined;
      const named = pinned?.id ? `${pinned.id}@${pinned.version}` : (task.spec[field] as string);
      parts.push(label(`runs ${named}`));
    }
    if (task.acceptance) parts.push(label(`gate: ${task.acceptance.acceptors.join(', ') || 'anyone'}`));
    return parts.join('<br/>');
  }
}

/** Text safe inside a quoted Mermaid label. */
function label(text: string): string {
  const short = oneLine(text);
  return (short.length > 60 ? `${short.slice(0, 57)}...` : short)
    .replace(/&/g, '#amp;')
    .replace(/"/g, '#quot;')
    .replace(/</g, '#lt;')
    .replace(/>/g, '#gt;')
    .replace(/\|/g, '#124;');
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
