/**
 * The inbox's pure parts: who a person matches (`alice`, `group:legal`, `*`), the visibility query,
 * each gate listed once (a subflow child's gate is also its parent's `review/legal`), the command to
 * decide, and what is shown of the output under review.
 */
import {
  acceptorValues,
  decideCommand,
  distinctGates,
  entriesOf,
  inboxQuery,
  InboxError,
  matchingAcceptor,
  trimForDisplay,
  type InboxEntry,
} from '../../../src/client/inbox';
import type { GateView } from '../../../src/workflows/api';

const gate = (over: Partial<GateView> = {}): GateView => ({
  gate: 'draft',
  task: 'draft',
  status: 'pending',
  output: { title: 'Q3 plan' },
  acceptors: ['alice'],
  revision: 0,
  max_revisions: 3,
  since: '2026-11-30T03:00:00.000Z',
  ...over,
});

const run = { workflowId: 'doc-1', startTime: new Date('2026-11-30T02:00:00.000Z') };
const state = (...pending_gates: GateView[]) => ({ definition: 'doc', version: '1.0.0', pending_gates });

describe('who a person is, as acceptor values', () => {
  test('me, group:<g> for each group (prefixed or not), and * (gates open to anyone)', () => {
    expect(acceptorValues({ me: 'alice', groups: ['legal', 'group:finance'] })).toEqual([
      'alice',
      'group:legal',
      'group:finance',
      '*',
    ]);
    expect(acceptorValues({ groups: ['legal'] })).toEqual(['group:legal', '*']);
  });

  test('nobody named is an InboxError', () => {
    expect(() => acceptorValues({})).toThrow(InboxError);
    expect(() => acceptorValues({ me: ' ', groups: [''] })).toThrow(/give me .* or groups/);
  });

  test('a gate matches through me, a group, or because it names no acceptors', () => {
    const values = acceptorValues({ me: 'alice', groups: ['legal'] });
    expect(matchingAcceptor(['bob', 'alice'], values)).toBe('alice');
    expect(matchingAcceptor(['group:legal'], values)).toBe('group:legal');
    expect(matchingAcceptor([], values)).toBe('*');
    expect(matchingAcceptor(['bob', 'group:finance'], values)).toBeUndefined();
    expect(matchingAcceptor(['*'], values)).toBeUndefined(); // a name, not a wildcard, in acceptors
  });

  test('the visibility query: running interpret runs whose FlowstateAcceptors holds one of the values', () => {
    expect(inboxQuery(['alice', "o'hara", '*'])).toBe(
      "WorkflowType = 'interpret' AND ExecutionStatus = 'Running' AND FlowstateAcceptors IN ('alice', 'o\\'hara', '*')",
    );
  });
});

describe('entries of a run', () => {
  const values = acceptorValues({ me: 'alice', groups: ['legal'] });

  test('only pending gates this person may decide, with the command to decide as whom', () => {
    const entries = entriesOf(
      run,
      state(
        gate(),
        gate({ gate: 'legal', acceptors: ['group:legal'] }),
        gate({ gate: 'finance', acceptors: ['bob'] }),
        gate({ gate: 'done', status: 'approved' }),
        gate({ gate: 'open', acceptors: [] }),
      ),
      values,
      'alice',
    );
    expect(entries.map((e) => [e.gate, e.command])).toEqual([
      ['draft', 'npx flowstate approve doc-1 --gate draft --by alice'],
      ['legal', 'npx flowstate approve doc-1 --gate legal --by group:legal'],
      ['open', 'npx flowstate approve doc-1 --gate open --by alice'],
    ]);
    expect(entries[0]).toEqual({
      workflowId: 'doc-1',
      definition: 'doc',
      version: '1.0.0',
      gate: 'draft',
      task: 'draft',
      acceptors: ['alice'],
      since: '2026-11-30T03:00:00.000Z',
      revision: 0,
      review: { title: 'Q3 plan' },
      command: 'npx flowstate approve doc-1 --gate draft --by alice',
    });
  });

  test("a gate from before gates recorded since: the run's start", () => {
    const [entry] = entriesOf(run, state(gate({ since: undefined })), values);
    expect(entry!.since).toBe('2026-11-30T02:00:00.000Z');
  });

  test('shell words are quoted in the command', () => {
    expect(decideCommand('map-1', 'summarise[3]/count', "o'hara")).toBe(
      "npx flowstate approve map-1 --gate 'summarise[3]/count' --by 'o'\\''hara'",
    );
    expect(decideCommand('p/review', 'legal')).toBe('npx flowstate approve p/review --gate legal');
  });
});

describe('each gate once', () => {
  const entry = (workflowId: string, gate: string, since: string): InboxEntry => ({
    workflowId,
    definition: 'd',
    version: '1',
    gate,
    task: gate,
    acceptors: ['alice'],
    since,
    revision: 0,
    review: null,
    command: `npx flowstate approve ${workflowId} --gate ${gate}`,
  });

  test("a subflow child's gate is kept on the child's run, not again as the parent's review/legal", () => {
    const parent = entry('p', 'review/legal', '2026-11-30T03:00:00.000Z');
    const child = entry('p/review', 'legal', '2026-11-30T03:00:00.000Z');
    const own = entry('p', 'draft', '2026-11-30T02:00:00.000Z');
    expect(distinctGates([parent, own, child])).toEqual([own, child]);
    expect(distinctGates([parent])).toEqual([parent]); // the child's run not found: the parent's stays
  });

  test('oldest first', () => {
    const a = entry('a', 'g', '2026-11-30T03:00:00.000Z');
    const b = entry('b', 'g', '2026-11-30T01:00:00.000Z');
    expect(distinctGates([a, b])).toEqual([b, a]);
  });
});

describe('what is under review, trimmed for display', () => {
  test('small outputs are shown as they are', () => {
    const output = { title: 'Q3', items: [1, 2, 3], ok: true, none: null };
    expect(trimForDisplay(output)).toEqual(output);
  });

  test('long strings, long arrays, many keys and deep nesting are cut, saying so', () => {
    const trimmed = trimForDisplay({
      body: 'x'.repeat(500),
      list: Array.from({ length: 15 }, (_, i) => i),
      deep: { a: { b: { c: { d: 1 } } } },
      wide: Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`k${i}`, i])),
    }) as Record<string, unknown>;
    expect(trimmed.body).toBe(`${'x'.repeat(200)}…`);
    expect(trimmed.list).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, '… 5 more']);
    expect(trimmed.deep).toEqual({ a: { b: { c: '{…}' } } });
    expect(Object.keys(trimmed.wide as object)).toHaveLength(21);
    expect((trimmed.wide as Record<string, unknown>)['…']).toBe('5 more keys');
  });
});
