/** The selected task: its input as the definition gives it, and each of its run's instances with its state, output and error. */
import { useEffect, useState } from 'react';
import { getJson } from './api';
import { instanceState, STATE_STYLE, type NodeStatus } from './status';
import type { GraphNode, RunView } from './types';

type Details = { path: string; output?: unknown; error?: { type?: string; message: string } };

function Instance({ workflowId, path, view }: { workflowId: string; path: string; view: RunView }) {
  const state = instanceState(path, view.state, view.failure);
  const [details, setDetails] = useState<Details>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    if (state !== 'done' && state !== 'gate' && state !== 'failed' && state !== 'skipped') return;
    getJson<Details>(
      `/api/runs/${encodeURIComponent(workflowId)}/task?path=${encodeURIComponent(path)}`,
    ).then(setDetails, (e: Error) => setProblem(e.message));
  }, [workflowId, path, state]);
  return (
    <div className="instance">
      <h3>
        <code>{path}</code>: {STATE_STYLE[state].label}
      </h3>
      {problem ? <p role="alert">{problem}</p> : null}
      {details?.error ? (
        <>
          <h4>Error</h4>
          <pre className="problem">
            {details.error.type ? `[${details.error.type}] ` : ''}
            {details.error.message}
          </pre>
        </>
      ) : null}
      {details && 'output' in details ? (
        <>
          <h4>Output</h4>
          <pre>{JSON.stringify(details.output, null, 2)}</pre>
        </>
      ) : null}
    </div>
  );
}

/** The panel of the selected task (or a hint to select one). */
export function TaskPanel(props: {
  workflowId: string;
  node?: GraphNode;
  status?: NodeStatus;
  view: RunView;
}) {
  const { workflowId, node, status, view } = props;
  return (
    <section className="panel" aria-labelledby="task-title">
      <h2 id="task-title">{node ? `Task ${node.path}` : 'Task'}</h2>
      {!node ? <p>Select a task in the graph or the list below to see its input, output and error.</p> : null}
      {node && status ? (
        <>
          <p>
            {node.type}: {status.label}
            {node.details.length ? ` (${node.details.join('; ')})` : ''}
          </p>
          {node.input !== undefined ? (
            <>
              <h3>Input, as the definition gives it</h3>
              <pre aria-label={`input of ${node.path}`}>{JSON.stringify(node.input, null, 2)}</pre>
            </>
          ) : null}
          {status.instances.length === 0 ? <p>Not run (yet) in this run.</p> : null}
          {status.instances.slice(0, 20).map((p) => (
            <Instance key={p} workflowId={workflowId} path={p} view={view} />
          ))}
        </>
      ) : null}
    </section>
  );
}
