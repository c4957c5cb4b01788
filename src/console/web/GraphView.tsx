/**
 * A definition's graph, each task coloured by its state with the state in words: containers as
 * boxes (branches, items with counts, passes), subflows naming the definition they run, gates marked.
 */
import { useEffect, useMemo, useState } from 'react';
import { ReactFlow, Background, Controls, Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { layoutGraph, type NodeData } from './layout';
import { STATE_STYLE, type NodeStatus } from './status';
import type { GraphModel, GraphNode } from './types';

type Drawn = NodeData & { status?: NodeStatus; selected?: boolean };

const GROUP_WORDS: Record<string, string> = {
  branches: 'parallel branches',
  items: 'once per item',
  passes: 'pass after pass',
  sequence: 'in sequence',
};

function Title({ node, status }: { node: GraphNode; status?: NodeStatus }) {
  return (
    <>
      <div className="node-title">
        <strong>{node.id}</strong> <span className="node-type">{node.type}</span>
        {node.group ? <span className="node-type"> · {GROUP_WORDS[node.group]}</span> : null}
      </div>
      {node.runs ? <div className="node-line">runs {node.runs}</div> : null}
      {node.gate ? <div className="node-line">gate: {node.gate.acceptors.join(', ') || 'anyone'}</div> : null}
      {status ? (
        <div className="node-state" data-state={status.state}>
          {status.label}
        </div>
      ) : null}
    </>
  );
}

function styleOf(status: NodeStatus | undefined, selected: boolean, group: boolean) {
  const s = STATE_STYLE[status?.state ?? 'pending'];
  return {
    background: group ? `${s.fill}88` : status ? s.fill : '#ffffff',
    borderColor: status ? s.border : '#64748b',
    borderStyle: status?.state === 'skipped' || (!status && group) ? 'dashed' : 'solid',
    outline: selected ? '3px solid #1e3a8a' : undefined,
  };
}

function TaskNode({ data }: NodeProps<Node<Drawn>>) {
  const subflow = data.node.runs !== undefined;
  return (
    <div
      className={`task-node${subflow ? ' subflow' : ''}${data.node.gate ? ' gated' : ''}`}
      style={styleOf(data.status, !!data.selected, false)}
      data-path={data.node.path}
    >
      <Handle type="target" position={Position.Top} />
      <Title node={data.node} status={data.status} />
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

function GroupNode({ data }: NodeProps<Node<Drawn>>) {
  return (
    <div
      className="group-node"
      style={styleOf(data.status, !!data.selected, true)}
      data-path={data.node.path}
    >
      <Handle type="target" position={Position.Top} />
      <Title node={data.node} status={data.status} />
      <Handle type="source" position={Position.Bottom} />
    </div>
  );
}

const nodeTypes = { task: TaskNode, 'group-task': GroupNode };

/** The graph of `model`, coloured by `statuses` when given (a run), plain otherwise (a definition). */
export function GraphView(props: {
  model: GraphModel;
  statuses?: Map<string, NodeStatus>;
  selected?: string;
  onSelect?: (path: string) => void;
}) {
  const { model, statuses, selected, onSelect } = props;
  const [laid, setLaid] = useState<Awaited<ReturnType<typeof layoutGraph>>>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    let live = true;
    layoutGraph(model).then(
      (l) => live && setLaid(l),
      (e: Error) => live && setProblem(`the graph could not be laid out: ${e.message}`),
    );
    return () => {
      live = false;
    };
  }, [model]);
  const nodes = useMemo(
    () =>
      (laid?.nodes ?? []).map((n) => {
        const status = statuses?.get(n.id);
        return {
          ...n,
          ariaLabel: `${n.data.node.path} (${n.data.node.type})${status ? `: ${status.label}` : ''}`,
          data: { ...n.data, status, selected: n.id === selected },
        };
      }),
    [laid, statuses, selected],
  );
  if (problem) return <p role="alert">{problem}</p>;
  if (!laid) return <p>Laying out the graph…</p>;
  return (
    <div className="graph" aria-label={`graph of ${model.definition}@${model.version}`} role="figure">
      <ReactFlow
        nodes={nodes}
        edges={laid.edges}
        nodeTypes={nodeTypes}
        fitView
        fitViewOptions={{ maxZoom: 1 }}
        minZoom={0.2}
        nodesDraggable={false}
        nodesConnectable={false}
        onNodeClick={(_, n) => onSelect?.(n.id)}
        proOptions={{ hideAttribution: true }}
      >
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}
