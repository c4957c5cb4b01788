/**
 * Decide pending gates: approve or reject with a comment, as the name given, with the viewer's
 * token (kept in this browser session) when the worker verifies identities.
 */
import { useState } from 'react';
import { postJson, TOKEN_KEY } from './api';
import type { GateView } from './types';

/** Where the page keeps the name the viewer decides as. */
const NAME_KEY = 'flowstate.name';

function Gate({ workflowId, gate }: { workflowId: string; gate: GateView }) {
  const [by, setBy] = useState(sessionStorage.getItem(NAME_KEY) ?? gate.acceptors[0] ?? '');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string }>();
  const id = gate.gate.replace(/\W+/g, '-');
  const decide = async (decision: 'approve' | 'reject') => {
    setBusy(true);
    setResult(undefined);
    sessionStorage.setItem(NAME_KEY, by);
    try {
      const answer = await postJson<{ gate: GateView }>(
        `/api/runs/${encodeURIComponent(workflowId)}/decide`,
        {
          gate: gate.gate,
          decision,
          by,
          ...(comment ? { comment } : {}),
        },
      );
      setResult({ ok: true, text: `${answer.gate.gate}: ${answer.gate.status}` });
      setComment('');
    } catch (e) {
      setResult({ ok: false, text: (e as Error).message });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="gate" aria-labelledby={`gate-${id}`}>
      <h3 id={`gate-${id}`}>
        Gate <code>{gate.gate}</code> (revision {gate.revision} of at most {gate.max_revisions})
      </h3>
      <p>May decide: {gate.acceptors.join(', ') || 'anyone'}</p>
      <details>
        <summary>Output under review</summary>
        <pre>{JSON.stringify(gate.output, null, 2)}</pre>
      </details>
      <label htmlFor={`by-${id}`}>Decide as</label>
      <input id={`by-${id}`} value={by} onChange={(e) => setBy(e.target.value)} />
      <label htmlFor={`comment-${id}`}>Comment</label>
      <textarea id={`comment-${id}`} value={comment} onChange={(e) => setComment(e.target.value)} rows={2} />
      <div className="buttons">
        <button type="button" disabled={busy} onClick={() => void decide('approve')}>
          Approve {gate.gate}
        </button>
        <button type="button" disabled={busy} onClick={() => void decide('reject')}>
          Reject {gate.gate}
        </button>
      </div>
      {result ? (
        <p role={result.ok ? 'status' : 'alert'} className={result.ok ? 'ok' : 'problem'}>
          {result.ok ? result.text : `Not decided: ${result.text}`}
        </p>
      ) : null}
    </section>
  );
}

/** The viewer's token for this browser session (sent as `Authorization: Bearer`). */
export function TokenField() {
  const [token, setToken] = useState(sessionStorage.getItem(TOKEN_KEY) ?? '');
  return (
    <div className="token">
      <label htmlFor="token">
        Your token (when the worker verifies identities; kept for this session only)
      </label>
      <input
        id="token"
        type="password"
        autoComplete="off"
        value={token}
        onChange={(e) => {
          setToken(e.target.value);
          if (e.target.value) sessionStorage.setItem(TOKEN_KEY, e.target.value);
          else sessionStorage.removeItem(TOKEN_KEY);
        }}
      />
    </div>
  );
}

/** Every pending gate of the run, each with its decide form. */
export function GatePanel({ workflowId, gates }: { workflowId: string; gates: GateView[] }) {
  return (
    <section className="panel" aria-labelledby="gates-title">
      <h2 id="gates-title">Gates</h2>
      {gates.length === 0 ? <p>No gate is waiting for a decision.</p> : null}
      {gates.length > 0 ? <TokenField /> : null}
      {gates.map((g) => (
        <Gate key={`${g.gate}#${g.revision}`} workflowId={workflowId} gate={g} />
      ))}
    </section>
  );
}
