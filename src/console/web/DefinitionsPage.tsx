/** `/definitions`: the registry's definitions, and one version's graph. */
import { useEffect, useState } from 'react';
import { getJson } from './api';
import { GraphView } from './GraphView';
import { Link } from './RunsPage';
import type { GraphModel } from './types';

type Listed = { location: string; items: Array<{ id: string; versions: string[] }> };

/** The definitions page; `ref` (`id@version`) shows that definition's graph. */
export function DefinitionsPage({ ref: chosen }: { ref?: string }) {
  const [listed, setListed] = useState<Listed>();
  const [model, setModel] = useState<GraphModel>();
  const [problem, setProblem] = useState<string>();
  useEffect(() => {
    getJson<{ definitions: Listed }>('/api/definitions').then(
      (r) => setListed(r.definitions),
      (e: Error) => setProblem(e.message),
    );
  }, []);
  useEffect(() => {
    setModel(undefined);
    if (!chosen) return;
    const [id, version] = chosen.split('@');
    getJson<GraphModel>(
      `/api/definitions/${encodeURIComponent(id)}/${encodeURIComponent(version)}/graph`,
    ).then(setModel, (e: Error) => setProblem(e.message));
  }, [chosen]);
  return (
    <main aria-labelledby="defs-title">
      <h1 id="defs-title">Definitions</h1>
      {problem ? <p role="alert">{problem}</p> : null}
      {listed ? <p>Registry: {listed.location}</p> : null}
      {listed && listed.items.length === 0 ? (
        <p>No definitions pushed yet: npx flowstate push &lt;file&gt;.</p>
      ) : null}
      <ul>
        {listed?.items.map((d) => (
          <li key={d.id}>
            {d.id}:{' '}
            {d.versions.map((v) => (
              <span key={v}>
                <Link to={`/definitions/${encodeURIComponent(`${d.id}@${v}`)}`}>{v}</Link>{' '}
              </span>
            ))}
          </li>
        ))}
      </ul>
      {model ? (
        <section aria-labelledby="def-graph-title">
          <h2 id="def-graph-title">
            {model.definition}@{model.version}
          </h2>
          <div className="def-graph">
            <GraphView model={model} />
          </div>
        </section>
      ) : null}
    </main>
  );
}
