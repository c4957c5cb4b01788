/** `/`: runs, newest first, filtered by definition, status, or the gates waiting for the viewer. */
import { useState } from 'react';
import { RUN_STATUSES } from '../../contract/run-status';
import { navigate } from './api';
import { usePolled } from './polled';
import type { RunSummary } from './types';

// Every status but continued_as_new: a continued run lives on under the same id, as its new run.
const STATUSES = ['', ...RUN_STATUSES.filter((s) => s !== 'continued_as_new')];

/** A link to a page of the console (no reload). */
export function Link({ to, children }: { to: string; children: React.ReactNode }) {
  return (
    <a
      href={to}
      onClick={(e) => {
        if (e.metaKey || e.ctrlKey || e.shiftKey || e.button !== 0) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** The runs page. */
export function RunsPage() {
  const params = new URLSearchParams(location.search);
  const [definition, setDefinition] = useState(params.get('definition') ?? '');
  const [status, setStatus] = useState(params.get('status') ?? '');
  const [me, setMe] = useState(params.get('me') ?? '');
  const [groups, setGroups] = useState(params.get('groups') ?? '');
  const [query, setQuery] = useState(location.search.slice(1));
  const { data, problem } = usePolled<{ runs: RunSummary[] }>(`/api/runs?${query}`);
  const runs = data?.runs;
  const apply = (e: React.FormEvent) => {
    e.preventDefault();
    const q = new URLSearchParams();
    if (definition) q.set('definition', definition);
    if (status) q.set('status', status);
    if (me) q.set('me', me);
    if (groups) q.set('groups', groups);
    history.replaceState(null, '', `/?${q}`);
    setQuery(q.toString());
  };
  return (
    <main aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter runs">
        <label htmlFor="f-definition">Definition</label>
        <input
          id="f-definition"
          value={definition}
          onChange={(e) => setDefinition(e.target.value)}
          placeholder="e.g. parallel-analysis"
        />
        <label htmlFor="f-status">Status</label>
        <select id="f-status" value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {s || 'any'}
            </option>
          ))}
        </select>
        <label htmlFor="f-me">Waiting for (name)</label>
        <input id="f-me" value={me} onChange={(e) => setMe(e.target.value)} placeholder="your name" />
        <label htmlFor="f-groups">and groups</label>
        <input
          id="f-groups"
          value={groups}
          onChange={(e) => setGroups(e.target.value)}
          placeholder="legal, ops"
        />
        <button type="submit">Filter</button>
      </form>
      {problem ? <p role="alert">{problem}</p> : null}
      {runs ? (
        <table className="runs">
          <caption>{runs.length} runs</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Definition</th>
              <th scope="col">Status</th>
              <th scope="col">Started</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.workflowId}>
                <td>
                  <Link to={`/runs/${encodeURIComponent(r.workflowId)}`}>{r.workflowId}</Link>
                </td>
                <td>{r.definition ? `${r.definition}@${r.version}` : '?'}</td>
                <td>{r.status}</td>
                <td>{new Date(r.startTime).toLocaleString()}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        !problem && <p>Loading runs…</p>
      )}
    </main>
  );
}
