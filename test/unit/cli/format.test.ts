/** The `status` view: what a user reads of a run's tree, a failure and a pause. */
import { statusText } from '../../../src/cli/format';
import type { RunState } from '../../../src/workflows/api';

const state = (over: Partial<RunState>): RunState => ({
  status: 'running',
  definition: 'd',
  version: '1.0.0',
  hash: 'h',
  paused: false,
  running: [],
  completed: [],
  waiting: [],
  pending_gates: [],
  outputs: {},
  meta: {},
  decisions: [],
  ...over,
});

test('loop passes show under their task with their [n]', () => {
  const text = statusText('r', state({ completed: ['probe[0]/check', 'probe[1]/check', 'probe'] }));
  expect(text.split('\n').slice(1)).toEqual([
    '  probe  done',
    '    probe[0]',
    '      check  done',
    '    probe[1]',
    '      check  done',
  ]);
});

test('a failed run shows the failed task and the error; exhausted revisions read as such', () => {
  const failed = statusText('r', state({ status: 'failed', completed: ['draft'] }), {
    type: 'RevisionsExhausted',
    message: 'draft: rejected by ed; no revisions left (max_revisions: 1)',
    task: 'draft',
  });
  expect(failed).toContain(
    '  draft  failed (revisions exhausted): rejected by ed; no revisions left (max_revisions: 1)',
  );
  expect(failed).toContain('failed at draft: [RevisionsExhausted] rejected by ed');
  expect(failed).not.toContain('done');
  expect(failed).toContain('once fixed, run it again from there: npx flowstate redrive r');
});

test('a redrive names the run it redrives and marks the tasks it reused', () => {
  const text = statusText(
    'r2',
    state({ status: 'completed', completed: ['fetch', 'store'], reused: ['fetch'], redrives: 'r1' }),
  );
  expect(text.split('\n')).toEqual([
    'r2  d@1.0.0  completed  (redrive of r1)',
    '  fetch  reused',
    '  store  done',
  ]);
});

test('a paused run says paused once', () => {
  expect(statusText('r', state({ status: 'paused', paused: true })).split('\n')[0]).toBe(
    'r  d@1.0.0  paused',
  );
  expect(statusText('r', state({ status: 'waiting_acceptance', paused: true })).split('\n')[0]).toBe(
    'r  d@1.0.0  waiting_acceptance (paused)',
  );
});

test('the decide hints of a pending gate send the token when the user has one, the name otherwise', () => {
  const gate = {
    gate: 'draft',
    task: 'draft',
    status: 'pending' as const,
    output: { text: 'hi' },
    acceptors: ['editor'],
    revision: 0,
    max_revisions: 3,
  };
  const s = state({ status: 'waiting_acceptance', pending_gates: [gate] });
  const hints = (text: string) => text.split('\n').filter((l) => /^ {2}(approve|reject):/.test(l));
  expect(hints(statusText('r', s))).toEqual([
    "  approve: npx flowstate approve r --gate 'draft' --by editor",
    "  reject:  npx flowstate reject r --gate 'draft' --by editor --comment '<what to change>'",
  ]);
  expect(hints(statusText('r', s, undefined, true))).toEqual([
    `  approve: npx flowstate approve r --gate 'draft' --token "$FLOWSTATE_TOKEN"`,
    `  reject:  npx flowstate reject r --gate 'draft' --token "$FLOWSTATE_TOKEN" --comment '<what to change>'`,
  ]);
});
