/**
 * Gate bookkeeping: which gate a decision is about and who may take it, the record it leaves, and
 * what the outcome means for the task (approve, jump on timeout, fail, or revise).
 */
import type { CompiledAcceptance } from '../../../src/contract/compiled';
import type { DecisionRecord } from '../../../src/workflows/api';
import {
  decisionRecord,
  gateToDecide,
  gateVerdict,
  openGate,
  viewOf,
  type Gate,
} from '../../../src/workflows/gates';

const acceptance = (over: Partial<CompiledAcceptance> = {}): CompiledAcceptance => ({
  acceptors: ['editor'],
  onReject: 'revise',
  maxRevisions: 2,
  ...over,
});

function openGates(...gates: Gate[]): Map<string, Gate> {
  return new Map(gates.map((g) => [g.gate, g]));
}

const draft = () => openGate('draft', 'draft', { text: 'v1' }, acceptance(), 0);

const decision = (over: Partial<DecisionRecord> = {}): DecisionRecord => ({
  gate: 'draft',
  decision: 'reject',
  decided_by: 'editor',
  at: '2026-01-01T00:00:00.000Z',
  revision: 0,
  ...over,
});

describe('openGate and viewOf', () => {
  test('a gate opens pending, with the acceptance it waits under', () => {
    expect(openGate('a/b', 'b', 'out', acceptance({ acceptors: [], maxRevisions: 3 }), 1)).toEqual({
      gate: 'a/b',
      task: 'b',
      status: 'pending',
      output: 'out',
      acceptors: [],
      revision: 1,
      max_revisions: 3,
      since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
  });

  test('the view leaves the decision out', () => {
    const gate: Gate = { ...draft(), status: 'approved', decision: decision({ decision: 'approve' }) };
    expect(viewOf(gate)).not.toHaveProperty('decision');
    expect(viewOf(gate)).toMatchObject({ gate: 'draft', status: 'approved' });
  });
});

describe('gateToDecide', () => {
  test('the only open gate is the one a decision without `gate` is about', () => {
    const gate = draft();
    expect(gateToDecide({ decision: 'approve', by: 'editor' }, openGates(gate))).toBe(gate);
  });

  test('with several open gates, the decision must name one', () => {
    const a = draft();
    const b = openGate('legal', 'legal', null, acceptance({ acceptors: [] }), 0);
    expect(() => gateToDecide({ decision: 'approve', by: 'editor' }, openGates(a, b))).toThrow(
      'several gates are pending (draft, legal): name one with gate',
    );
    expect(gateToDecide({ gate: 'legal', decision: 'approve', by: 'anyone' }, openGates(a, b))).toBe(b);
  });

  test('no open gate, an unknown gate, or one already decided: a readable refusal', () => {
    expect(() => gateToDecide({ decision: 'approve', by: 'editor' }, openGates())).toThrow(
      'no gate is pending in this run',
    );
    expect(() =>
      gateToDecide({ gate: 'nope', decision: 'approve', by: 'editor' }, openGates(draft())),
    ).toThrow("gate 'nope' is not pending; pending gates: draft");
    const decided: Gate = { ...draft(), status: 'timed_out' };
    expect(() =>
      gateToDecide({ gate: 'draft', decision: 'reject', by: 'editor' }, openGates(decided)),
    ).toThrow("gate 'draft' is not pending; pending gates: none");
  });

  test('a second decision in the same activation names the first, not a contradiction (issue 18 row 12)', () => {
    // Two `decide` updates delivered together both pass the validator; the first decides the gate,
    // which stays in the open map until its task wakes up. The second used to read
    // "gate 'draft' is not pending; pending gates: draft".
    const gate = draft();
    const open = openGates(gate);
    gateToDecide({ decision: 'approve', by: 'editor' }, open);
    gate.decision = decisionRecord(gate, { decision: 'approve', by: 'editor' }, '2026-01-01T00:00:00Z');
    gate.status = 'approved';
    for (const second of [
      { decision: 'reject', by: 'editor' },
      { gate: 'draft', decision: 'reject', by: 'editor' },
    ])
      expect(() => gateToDecide(second, open)).toThrow(
        "gate 'draft' was just approved by editor (revision 0): the first decision counts",
      );
  });

  test('only an acceptor may decide; a gate without acceptors takes anyone', () => {
    expect(() => gateToDecide({ decision: 'approve', by: 'intern' }, openGates(draft()))).toThrow(
      "'intern' may not decide gate 'draft': acceptors are editor",
    );
    const open = openGate('draft', 'draft', null, acceptance({ acceptors: [] }), 0);
    expect(gateToDecide({ decision: 'approve', by: 'intern' }, openGates(open))).toBe(open);
  });

  test('a malformed decision says what is wrong and what is expected', () => {
    expect(() => gateToDecide({ decision: 'maybe', by: '' }, openGates(draft()))).toThrow(
      /^malformed decision: decision: .*; by: by: name who decides; expected \{ gate, decision: approve\|reject, by, comment, token \}$/,
    );
    expect(() => gateToDecide({ decision: 'approve', by: 'editor', extra: 1 }, openGates(draft()))).toThrow(
      /malformed decision/,
    );
    expect(() => gateToDecide(undefined, openGates(draft()))).toThrow(/^malformed decision: decision: /);
  });
});

describe('decisionRecord', () => {
  test('records who decided what on which revision, and when', () => {
    const gate = { ...draft(), revision: 2 };
    expect(decisionRecord(gate, { decision: 'reject', by: 'editor', comment: 'shorter' }, 'T')).toEqual({
      gate: 'draft',
      decision: 'reject',
      decided_by: 'editor',
      verified: false,
      comment: 'shorter',
      at: 'T',
      revision: 2,
    });
  });

  test('a verified decider: the subject and issuer, never the by text', () => {
    const who = { name: 'alice', verified: true, issuer: 'corp' };
    expect(decisionRecord(draft(), { decision: 'approve', by: 'mallory' }, 'T', who)).toMatchObject({
      decided_by: 'alice',
      verified: true,
      issuer: 'corp',
    });
  });

  test('no comment: no comment key (the record travels in the run result)', () => {
    expect(decisionRecord(draft(), { decision: 'approve', by: 'editor' }, 'T')).not.toHaveProperty('comment');
  });
});

describe('gateVerdict', () => {
  test('approve: the output stands', () => {
    expect(gateVerdict(decision({ decision: 'approve' }), acceptance(), 0, 'draft')).toEqual({
      kind: 'approved',
    });
  });

  test('timeout: jump to on_timeout, or fail with GateTimeout', () => {
    expect(gateVerdict(undefined, acceptance({ onTimeout: 'escalate' }), 0, 'draft')).toEqual({
      kind: 'jump',
      next: 'escalate',
    });
    expect(gateVerdict(undefined, acceptance(), 0, 'draft')).toEqual({
      kind: 'failed',
      error: { type: 'GateTimeout', message: 'no decision before the gate timed out', task: 'draft' },
    });
  });

  test('reject with on_reject fail: GateRejected, naming who and why', () => {
    const verdict = gateVerdict(
      decision({ comment: 'off topic' }),
      acceptance({ onReject: 'fail' }),
      0,
      'a/draft',
    );
    expect(verdict).toEqual({
      kind: 'failed',
      error: { type: 'GateRejected', message: 'rejected by editor: off topic', task: 'a/draft' },
    });
  });

  test('reject with revisions left: revise, numbering the next revision', () => {
    expect(gateVerdict(decision({ comment: 'shorter' }), acceptance(), 0, 'draft')).toEqual({
      kind: 'revise',
      revision: { number: 1, comment: 'shorter', by: 'editor' },
    });
    expect(gateVerdict(decision(), acceptance(), 1, 'draft')).toEqual({
      kind: 'revise',
      revision: { number: 2, comment: '', by: 'editor' },
    });
  });

  test('reject on the last revision allowed: RevisionsExhausted', () => {
    expect(gateVerdict(decision(), acceptance({ maxRevisions: 2 }), 2, 'draft')).toEqual({
      kind: 'failed',
      error: {
        type: 'RevisionsExhausted',
        message: 'rejected by editor; no revisions left (max_revisions: 2)',
        task: 'draft',
      },
    });
    expect(gateVerdict(decision(), acceptance({ maxRevisions: 0 }), 0, 'draft').kind).toBe('failed');
  });
});
