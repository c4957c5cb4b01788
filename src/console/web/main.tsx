/** The console's page: a small router over the runs, run, inbox and definitions pages. */
import { StrictMode, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { RunsPage, Link } from './RunsPage';
import { RunPage } from './RunPage';
import { InboxPage } from './InboxPage';
import { DefinitionsPage } from './DefinitionsPage';
import './styles.css';

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => setPath(location.pathname);
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  return path;
}

function Page({ path }: { path: string }) {
  const run = /^\/runs\/(.+)$/.exec(path);
  if (run) return <RunPage key={run[1]} workflowId={decodeURIComponent(run[1])} />;
  if (path === '/inbox') return <InboxPage />;
  const def = /^\/definitions(?:\/(.+))?$/.exec(path);
  if (def) return <DefinitionsPage ref={def[1] ? decodeURIComponent(def[1]) : undefined} />;
  return <RunsPage />;
}

function App() {
  const path = usePath();
  return (
    <>
      <a className="skip" href="#content">
        Skip to content
      </a>
      <header>
        <nav aria-label="Console">
          <strong>Flowstate</strong>
          <Link to="/">Runs</Link>
          <Link to="/inbox">Inbox</Link>
          <Link to="/definitions">Definitions</Link>
        </nav>
      </header>
      <div id="content">
        <Page path={path} />
      </div>
    </>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
