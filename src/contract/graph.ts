/**
 * A definition's graph as data (plain JSON): what the console draws and colours by a run's state.
 * Built by `src/dsl/graph-model.ts`; the console's page reads it without knowing any task type.
 */

/** How a container's nested tasks run. */
export type GroupKind = 'sequence' | 'branches' | 'items' | 'passes';

/** One task of the definition, by its static path (ids joined with `/`, no item or pass index). */
export interface GraphNode {
  /** `analyse/security`; a run's paths map to it by dropping `[key]` segments. */
  path: string;
  id: string;
  type: string;
  /** Path of the container it is nested in. */
  parent?: string;
  /** Set for a container: how its nested tasks run. */
  group?: GroupKind;
  /** The definition a subflow runs (`id@version` when pinned). */
  runs?: string;
  /** Who may decide its acceptance gate (empty: anyone). */
  gate?: { acceptors: string[] };
  /** Short lines to show under the name (`items: ...`, `until: ...`). */
  details: string[];
  /**
   * What the task is called with, as the definition gives it (its `with`, or its `http` request),
   * templates unrendered: a run records its tasks' outputs, not their rendered inputs.
   */
  input?: unknown;
}

/** An edge between two tasks (by static path). */
export interface GraphEdge {
  from: string;
  to: string;
  label?: string;
  /** `flow`: the next task; `jump`: next/route/final; `error`: on_error and timeouts; `repeat`: a loop's next pass. */
  kind: 'flow' | 'jump' | 'error' | 'repeat';
}

/** A definition's tasks and edges. */
export interface GraphModel {
  definition: string;
  version: string;
  nodes: GraphNode[];
  edges: GraphEdge[];
}
