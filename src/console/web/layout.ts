/**
 * Lay a definition's graph out with ELK (layered, top to bottom, containers as boxes around their
 * tasks) and turn it into @xyflow/react nodes and edges.
 */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { ElkNode } from 'elkjs/lib/elk-api';
import type { Edge, Node } from '@xyflow/react';
import type { GraphModel, GraphNode } from './types';

const elk = new ELK();
/** A task's box. */
const LEAF = { width: 220, height: 92 };
/** Room for a container's title above its tasks. */
const GROUP_PADDING = '[top=64,left=16,bottom=16,right=16]';

/** What each drawn node carries. */
export type NodeData = { node: GraphNode };

/** Positions (relative to the container) and sizes of every task, and the edges, ready to draw. */
export async function layoutGraph(model: GraphModel): Promise<{ nodes: Node<NodeData>[]; edges: Edge[] }> {
  const byParent = new Map<string | undefined, GraphNode[]>();
  for (const n of model.nodes) byParent.set(n.parent, [...(byParent.get(n.parent) ?? []), n]);
  const toElk = (n: GraphNode): ElkNode => {
    const children = byParent.get(n.path) ?? [];
    return children.length
      ? { id: n.path, children: children.map(toElk), layoutOptions: { 'elk.padding': GROUP_PADDING } }
      : { id: n.path, ...LEAF };
  };
  const edges = model.edges.filter((e) => e.from !== e.to);
  const root = await elk.layout({
    id: '__root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'DOWN',
      'elk.hierarchyHandling': 'INCLUDE_CHILDREN',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.spacing.nodeNode': '28',
    },
    children: (byParent.get(undefined) ?? []).map(toElk),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  const nodes: Node<NodeData>[] = [];
  const byPath = new Map(model.nodes.map((n) => [n.path, n]));
  const walk = (elkNode: ElkNode, parent?: string) => {
    for (const child of elkNode.children ?? []) {
      const node = byPath.get(child.id)!;
      const isGroup = (child.children?.length ?? 0) > 0;
      nodes.push({
        id: child.id,
        type: isGroup ? 'group-task' : 'task',
        position: { x: child.x ?? 0, y: child.y ?? 0 },
        ...(parent ? { parentId: parent, extent: 'parent' as const } : {}),
        data: { node },
        style: { width: child.width, height: child.height },
        // Sizes known from the layout: React Flow draws the node at once instead of hiding it until it
        // has measured it (a node re-created by a live update could stay hidden, unmeasured).
        width: child.width,
        height: child.height,
        draggable: false,
      });
      walk(child, child.id);
    }
  };
  walk(root);
  return {
    nodes,
    edges: edges.map((e, i) => ({
      id: `e${i}`,
      source: e.from,
      target: e.to,
      ...(e.label ? { label: e.label } : {}),
      animated: e.kind === 'repeat',
      style: e.kind === 'error' ? { strokeDasharray: '6 4', stroke: '#b91c1c' } : { stroke: '#475569' },
    })),
  };
}
