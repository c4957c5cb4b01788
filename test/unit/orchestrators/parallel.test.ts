/** parallel: one run per branch, cancelled and combined per `strategy`. */
import { parallel } from '../../../src/orchestrators/parallel';
import { cancelled, childrenResponse, completed, expectKind, failed, taskContext } from './context';

const branches = (strategy?: string, maxWorkers?: number) => `
- id: analyse
  type: parallel
  ${strategy ? `strategy: ${strategy}` : ''}
  ${maxWorkers ? `max_workers: ${maxWorkers}` : ''}
  tasks:
    - { id: security, tool: echo, with: sec }
    - { id: style, tool: echo, with: sty }
    - id: perf
      type: composite
      tasks:
        - { id: bench, tool: echo }
`;

const ctxFor = (strategy?: string, maxWorkers?: number) =>
  taskContext(branches(strategy, maxWorkers), 'analyse');

const err = (task: string, type = 'Boom', message = 'it broke') => ({ type, message, task });

describe('parallel: start', () => {
  it('one run per branch, keyed by the branch id, each walking just that branch; outputs exported', async () => {
    const ctx = ctxFor();
    const d = expectKind(await parallel.start(ctx), 'children');
    expect(d.runs).toEqual([
      { key: 'security', tasks: [0] },
      { key: 'style', tasks: [1] },
      { key: 'perf', tasks: [2] },
    ]);
    expect(d.runs.map((r) => ctx.task.children[r.tasks[0]].id)).toEqual(['security', 'style', 'perf']);
    expect(d.exportOutputs).toBe(true);
  });

  it('no max_workers: all at once (maxConcurrency omitted)', async () => {
    expect(expectKind(await parallel.start(ctxFor()), 'children').maxConcurrency).toBeUndefined();
  });

  it('maxConcurrency = max_workers', async () => {
    expect(expectKind(await parallel.start(ctxFor('wait_all', 2)), 'children').maxConcurrency).toBe(2);
  });

  it.each([
    [undefined, undefined],
    ['wait_all', undefined],
    ['fail_fast', 'first_failure'],
    ['race', 'first_success'],
    ['best_effort', undefined],
  ])('strategy %s → stopOn %s', async (strategy, stopOn) => {
    const d = expectKind(await parallel.start(ctxFor(strategy)), 'children');
    expect(d.stopOn).toBe(stopOn);
  });
});

describe('parallel: respond', () => {
  const all = [
    completed('security', { security: 'sec' }),
    completed('style', { style: 'sty' }),
    completed('perf', { perf: { bench: null }, bench: null }),
  ];

  it.each(['wait_all', 'fail_fast'])('%s, all completed: { <branch id>: its output }', async (strategy) => {
    const ctx = ctxFor(strategy);
    const d = await parallel.respond!(ctx, childrenResponse(all));
    expect(d).toEqual({ kind: 'done', output: { security: 'sec', style: 'sty', perf: { bench: null } } });
  });

  it('a branch that completed without an output of its own id (skipped) gives null', async () => {
    const d = await parallel.respond!(
      ctxFor(),
      childrenResponse([completed('security', {}), all[1], all[2]]),
    );
    expect(expectKind(d, 'done').output).toEqual({ security: null, style: 'sty', perf: { bench: null } });
  });

  it("wait_all, a branch failed: fail with the branch's type and `path: message`", async () => {
    const results = [
      all[0],
      failed('style', err('analyse/style', 'HttpError', 'GET / answered 500')),
      all[2],
    ];
    const d = await parallel.respond!(ctxFor('wait_all'), childrenResponse(results));
    expect(d).toEqual({
      kind: 'fail',
      error: { type: 'HttpError', message: 'analyse/style: GET / answered 500' },
    });
  });

  it('wait_all, several failed: the first in branch order', async () => {
    const results = [
      all[0],
      failed('style', err('analyse/style', 'A')),
      failed('perf', err('analyse/perf/bench', 'B')),
    ];
    const d = expectKind(await parallel.respond!(ctxFor('wait_all'), childrenResponse(results)), 'fail');
    expect(d.error.type).toBe('A');
  });

  it('fail_fast: the failure, not the branches it cancelled, even when they come first', async () => {
    const results = [
      cancelled('security'),
      cancelled('style'),
      failed('perf', err('analyse/perf/bench', 'Timeout', 'slow')),
    ];
    const d = await parallel.respond!(ctxFor('fail_fast'), childrenResponse(results));
    expect(d).toEqual({ kind: 'fail', error: { type: 'Timeout', message: 'analyse/perf/bench: slow' } });
  });

  it('wait_all with a cancelled branch and no failure: fail Cancelled naming the branch', async () => {
    const d = expectKind(
      await parallel.respond!(ctxFor(), childrenResponse([all[0], cancelled('style'), all[2]])),
      'fail',
    );
    expect(d.error.type).toBe('Cancelled');
    expect(d.error.message).toContain('style');
  });

  it('best_effort: every branch as { ok, output } or { ok: false, error }', async () => {
    const error = err('analyse/style', 'HttpError', '503');
    const results = [all[0], failed('style', error), cancelled('perf')];
    const d = await parallel.respond!(ctxFor('best_effort'), childrenResponse(results));
    expect(d).toEqual({
      kind: 'done',
      output: {
        security: { ok: true, output: 'sec' },
        style: { ok: false, error: { type: 'HttpError', message: '503', task: 'analyse/style' } },
        perf: { ok: false, error: { type: 'Cancelled', message: 'cancelled', task: 'perf' } },
      },
    });
  });

  it('best_effort, all completed: all ok', async () => {
    const d = expectKind(await parallel.respond!(ctxFor('best_effort'), childrenResponse(all)), 'done');
    expect(Object.values(d.output as object).every((e: { ok: boolean }) => e.ok)).toBe(true);
  });

  it("race: the winner's output alone (not keyed)", async () => {
    const results = [cancelled('security'), completed('style', { style: 'sty' }), cancelled('perf')];
    const d = await parallel.respond!(ctxFor('race'), childrenResponse(results));
    expect(d).toEqual({ kind: 'done', output: 'sty' });
  });

  it('race: a failure before the winner does not matter', async () => {
    const results = [
      failed('security', err('analyse/security')),
      completed('style', { style: 'sty' }),
      cancelled('perf'),
    ];
    expect(await parallel.respond!(ctxFor('race'), childrenResponse(results))).toEqual({
      kind: 'done',
      output: 'sty',
    });
  });

  it('race, all failed: fail with the first failure', async () => {
    const results = [
      failed('security', err('analyse/security', 'First', 'one')),
      failed('style', err('analyse/style', 'Second', 'two')),
      failed('perf', err('analyse/perf/bench', 'Third', 'three')),
    ];
    const d = await parallel.respond!(ctxFor('race'), childrenResponse(results));
    expect(d).toEqual({ kind: 'fail', error: { type: 'First', message: 'analyse/security: one' } });
  });

  it('race, none completed and none failed: fail RaceLost', async () => {
    const results = [cancelled('security'), cancelled('style'), cancelled('perf')];
    const d = expectKind(await parallel.respond!(ctxFor('race'), childrenResponse(results)), 'fail');
    expect(d.error.type).toBe('RaceLost');
  });

  it('a response that is not children results: fail UnexpectedResponse', async () => {
    const d = expectKind(await parallel.respond!(ctxFor(), { kind: 'signal', payload: null }), 'fail');
    expect(d.error.type).toBe('UnexpectedResponse');
  });
});
