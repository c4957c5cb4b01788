import { graphPathOf, instanceState, nodeStatuses, STATE_STYLE } from '../../../src/console/web/status';
import type { GraphModel, RunStateView } from '../../../src/console/web/types';

const model: GraphModel = {
  definition: 'd',
  version: '1.0.0',
  nodes: [
    { path: 'analyse', id: 'analyse', type: 'parallel', group: 'branches', details: [] },
    { path: 'analyse/a', id: 'a', type: 'basic', parent: 'analyse', details: [] },
    { path: 'analyse/b', id: 'b', type: 'basic', parent: 'analyse', details: [] },
    { path: 'docs', id: 'docs', type: 'collection', group: 'items', details: [] },
    {
      path: 'docs/write',
      id: 'write',
      type: 'basic',
      parent: 'docs',
      gate: { acceptors: ['x'] },
      details: [],
    },
    { path: 'probe', id: 'probe', type: 'loop', group: 'passes', details: [] },
    { path: 'probe/check', id: 'check', type: 'basic', parent: 'probe', details: [] },
    { path: 'last', id: 'last', type: 'basic', details: [] },
  ],
  edges: [],
};

const state = (s: Partial<RunStateView>): RunStateView => ({
  status: 'running',
  definition: 'd',
  version: '1.0.0',
  paused: false,
  running: [],
  completed: [],
  waiting: [],
  pending_gates: [],
  outputs: {},
  decisions: [],
  ...s,
});

const gate = (path: string) => ({
  gate: path,
  task: path,
  status: 'pending',
  output: {},
  acceptors: ['x'],
  revision: 0,
  max_revisions: 3,
});

describe("a run's state on the graph", () => {
  it('maps run paths to graph paths: items and passes dropped, a one-task item is that task', () => {
    expect(graphPathOf('analyse/a', model)).toBe('analyse/a');
    expect(graphPathOf('docs[epic-1]', model)).toBe('docs/write');
    expect(graphPathOf('probe[2]/check', model)).toBe('probe/check');
    expect(graphPathOf('nowhere', model)).toBeUndefined();
  });

  it('gives each instance one state: failed before a gate before waiting before running before done', () => {
    const s = state({
      completed: ['a', 'g', 'n'],
      running: ['r'],
      pending_gates: [gate('g')],
      outputs: { a: 1, n: null },
    });
    expect(instanceState('a', s)).toBe('done');
    expect(instanceState('g', s)).toBe('gate');
    expect(instanceState('r', s)).toBe('running');
    expect(instanceState('n', s)).toBe('skipped');
    expect(instanceState('r', s, { message: 'boom', task: 'r' })).toBe('failed');
    expect(instanceState('x', s)).toBe('pending');
  });

  it('colours every task, counts items by state, and says each state in words', () => {
    const s = state({
      running: ['analyse', 'analyse/b', 'docs'],
      completed: ['analyse/a', 'docs[e1]', 'docs[e2]'],
      pending_gates: [gate('docs[e2]')],
      outputs: { 'analyse/a': {}, 'docs[e1]': {}, 'docs[e2]': {} },
    });
    const st = nodeStatuses(model, s);
    expect(st.get('analyse/a')).toMatchObject({ state: 'done', label: 'done' });
    expect(st.get('analyse/b')).toMatchObject({ state: 'running', label: 'running' });
    expect(st.get('last')).toMatchObject({ state: 'pending', label: 'pending' });
    expect(st.get('docs/write')).toMatchObject({
      state: 'gate',
      counts: { total: 2, done: 1, gate: 1 },
      label: 'waiting at gate: 1 waiting at gate · 1 done of 2',
    });
    expect(st.get('docs')?.label).toBe('running: 1 waiting at gate · 1 done of 2');
    for (const v of Object.values(STATE_STYLE)) expect(v.label).toMatch(/\w/);
  });

  it('counts loop passes, and shows the tasks a finished run never reached as not run', () => {
    const s = state({
      status: 'failed',
      completed: ['probe[0]/check', 'probe[1]/check'],
      outputs: { 'probe[0]/check': {}, 'probe[1]/check': {} },
    });
    const st = nodeStatuses(model, s, { message: 'until was false', task: 'probe' });
    expect(st.get('probe/check')).toMatchObject({ state: 'done', counts: { total: 2, done: 2 } });
    expect(st.get('probe')?.state).toBe('failed');
    expect(st.get('last')).toMatchObject({ state: 'skipped', label: 'not run' });
  });
});
