/**
 * `/runs/<workflow id>`: the definition's graph with every task coloured by its live state (server-sent
 * events), the list of tasks with their states, the selected task, the gates, the decisions.
 */
import { useEffect, useMemo, useState } from 'react';
import { getJson } from './api';
import { GraphView } from './GraphView';
import { GatePanel } from './GatePanel';
import { TaskPanel } from './TaskPanel';
import { nodeStatuses, STATE_STYLE } from './status';
import type { GraphModel, RunView } from './types';

/** Follow a run: its view now and each time it changes. */
function useRun(workflowId: string): { view?: RunView; problem?: string } {
  const [view, setView] = useState<RunView>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    const source = new EventSource(`/api/runs/${encodeURIComponent(workflowId)}/events`);
    source.addEventListener('run', (e) => {
      setView(JSON.parse((e as MessageEvent<string>).data) as RunView);
      setProblem(undefined);
    });
    source.addEventListener('problem', (e) =>
      setProblem((JSON.parse((e as MessageEvent<string>).data) as { error: string }).error),
    );
    return () => source.close();
  }, [workflowId]);
  return { view, problem };
}

/** The page of one run. */
export function RunPage({ workflowId }: { workflowId: string }) {
  const { view, problem } = useRun(workflowId);
  const [model, setModel] = useState<GraphModel>();
  const [graphProblem, setGraphProblem] = useState<string>();
  const [selected, setSelected] = useState<string>();
  useEffect(() => {
    getJson<GraphModel>(`/api/runs/${encodeURIComponent(workflowId)}/graph`).then(setModel, (e: Error) =>
      setGraphProblem(e.message),
    );
  }, [workflowId]);
  const statuses = useMemo(
    () => (model && view ? nodeStatuses(model, view.state, view.failure) : undefined),
    [model, view],
  );
  const node = model?.nodes.find((n) => n.path === selected);
  return (
    <main aria-labelledby="run-title">
      <h1 id="run-title">
        Run <code>{workflowId}</code>
      </h1>
      {problem ? <p role="alert">{problem}</p> : null}
      {graphProblem ? <p role="alert">{graphProblem}</p> : null}
      {view ? (
        <p className="run-line">
          {view.state.definition}@{view.state.version} ·{' '}
          <span data-testid="run-status">{view.state.status}</span>
          {view.state.paused ? ' (paused)' : ''} · started {new Date(view.run.startTime).toLocaleString()}
          {view.failure
            ? ` · failed${view.failure.task ? ` at ${view.failure.task}` : ''}: ${view.failure.message}`
            : ''}
        </p>
      ) : (
        !problem && <p>Loading the run…</p>
      )}
      <div className="run-layout">
        <div className="run-graph">
          {model ? (
            <GraphView model={model} statuses={statuses} selected={selected} onSelect={setSelected} />
          ) : null}
        </div>
        <div className="run-side">
          {view ? <GatePanel workflowId={workflowId} gates={view.state.pending_gates} /> : null}
          {view ? (
            <TaskPanel
              workflowId={workflowId}
              node={node}
              status={node && statuses?.get(node.path)}
              view={view}
            />
          ) : null}
        </div>
      </div>
      {model && statuses ? (
        <section aria-labelledby="tasks-title">
          <h2 id="tasks-title">Tasks</h2>
          <table className="tasks">
            <thead>
              <tr>
                <th scope="col">Task</th>
                <th scope="col">Type</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {model.nodes.map((n) => {
                const s = statuses.get(n.path)!;
                return (
                  <tr key={n.path} data-testid="task-row" data-path={n.path} data-state={s.state}>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => setSelected(n.path)}
                        aria-pressed={selected === n.path}
                      >
                        {n.path}
                      </button>
                    </td>
                    <td>{n.type}</td>
                    <td>
                      <span
                        className="swatch"
                        style={{
                          background: STATE_STYLE[s.state].fill,
                          borderColor: STATE_STYLE[s.state].border,
                        }}
                        aria-hidden="true"
                      />
                      <span data-testid="task-state">{s.label}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </section>
      ) : null}
      {view && view.state.decisions.length ? (
        <section aria-labelledby="decisions-title">
          <h2 id="decisions-title">Decisions</h2>
          <ul>
            {view.state.decisions.map((d, i) => (
              <li key={i}>
                {d.at} · <code>{d.gate}</code> {d.decision} by {d.decided_by}
                {d.verified === undefined ? '' : d.verified ? ' (verified)' : ' (not verified)'}
                {d.comment ? `: ${d.comment}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </main>
  );
}
