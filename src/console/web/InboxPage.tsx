/** `/inbox`: the pending gates a person (or their groups) may decide, across runs. */
import { useState } from 'react';
import { usePolled } from './polled';
import { Link } from './RunsPage';

/** One pending gate in the inbox. */
export interface InboxItem {
  workflowId: string;
  definition: string;
  version: string;
  gate: string;
  acceptors: string[];
  revision: number;
  since: string;
  review: unknown;
}

/** The inbox page. */
export function InboxPage() {
  const params = new URLSearchParams(location.search);
  const [me, setMe] = useState(params.get('me') ?? sessionStorage.getItem('flowstate.name') ?? '');
  const [groups, setGroups] = useState(params.get('groups') ?? '');
  const [query, setQuery] = useState<string | undefined>(
    params.get('me') || params.get('groups') ? location.search.slice(1) : undefined,
  );
  const { data, problem } = usePolled<{ entries: InboxItem[] }>(
    query === undefined ? undefined : `/api/inbox?${query}`,
  );
  const items = data?.entries;
  return (
    <main aria-labelledby="inbox-title">
      <h1 id="inbox-title">Inbox</h1>
      <form
        className="filters"
        aria-label="Whose inbox"
        onSubmit={(e) => {
          e.preventDefault();
          const q = new URLSearchParams({ me, groups });
          history.replaceState(null, '', `/inbox?${q}`);
          setQuery(q.toString());
        }}
      >
        <label htmlFor="i-me">Name</label>
        <input id="i-me" value={me} onChange={(e) => setMe(e.target.value)} />
        <label htmlFor="i-groups">Groups (comma-separated)</label>
        <input id="i-groups" value={groups} onChange={(e) => setGroups(e.target.value)} />
        <button type="submit">Show my gates</button>
      </form>
      {problem ? <p role="alert">{problem}</p> : null}
      {items ? (
        <table>
          <caption>{items.length} gates waiting</caption>
          <thead>
            <tr>
              <th scope="col">Run</th>
              <th scope="col">Gate</th>
              <th scope="col">Definition</th>
              <th scope="col">Waiting since</th>
              <th scope="col">Under review</th>
              <th scope="col">May decide</th>
              <th scope="col">Revision</th>
            </tr>
          </thead>
          <tbody>
            {items.map((i) => (
              <tr key={`${i.workflowId}/${i.gate}`}>
                <td>
                  <Link to={`/runs/${encodeURIComponent(i.workflowId)}`}>{i.workflowId}</Link>
                </td>
                <td>
                  <code>{i.gate}</code>
                </td>
                <td>
                  {i.definition}@{i.version}
                </td>
                <td>{new Date(i.since).toLocaleString()}</td>
                <td>
                  <code>{JSON.stringify(i.review).slice(0, 120)}</code>
                </td>
                <td>{i.acceptors.join(', ') || 'anyone'}</td>
                <td>{i.revision}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </main>
  );
}
