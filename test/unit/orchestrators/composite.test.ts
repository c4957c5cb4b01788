/** composite: its tasks in order in one shared scope; output { <child id>: output }. */
import { composite } from '../../../src/orchestrators/composite';
import { cancelled, childrenResponse, completed, expectKind, failed, taskContext } from './context';

const YAML = `
- id: release
  type: composite
  tasks:
    - { id: build, tool: echo, with: built }
    - { id: test, tool: echo, with: "{{ tasks.build.output }}" }
    - { id: publish, tool: echo }
`;

const ctxFor = () => taskContext(YAML, 'release');

describe('composite', () => {
  it('start: one run over all its tasks in order, keyed by its id, outputs exported', async () => {
    const ctx = ctxFor();
    const d = expectKind(await composite.start(ctx), 'children');
    expect(d.runs).toEqual([{ key: 'release', tasks: [0, 1, 2] }]);
    expect(d.runs[0].tasks.map((i) => ctx.task.children[i].id)).toEqual(['build', 'test', 'publish']);
    expect(d.runs[0].segment).toBeUndefined();
    expect(d.runs[0].anonymous).toBeUndefined();
    expect(d.exportOutputs).toBe(true);
    expect(d.maxConcurrency).toBeUndefined();
    expect(d.stopOn).toBeUndefined();
  });

  it('respond: output { <child id>: output }', async () => {
    const outputs = { build: 'built', test: 'built', publish: { url: 'x' } };
    const d = await composite.respond!(ctxFor(), childrenResponse([completed('release', outputs)]));
    expect(d).toEqual({ kind: 'done', output: outputs });
  });

  it("respond: a failed child fails the composite with the child's type and `path: message`", async () => {
    const error = { type: 'HttpError', message: 'POST / answered 500', task: 'release/publish' };
    const d = await composite.respond!(
      ctxFor(),
      childrenResponse([failed('release', error, { build: 'built' })]),
    );
    expect(d).toEqual({
      kind: 'fail',
      error: { type: 'HttpError', message: 'release/publish: POST / answered 500' },
    });
  });

  it('respond: cancelled: fail Cancelled', async () => {
    const d = expectKind(
      await composite.respond!(ctxFor(), childrenResponse([cancelled('release')])),
      'fail',
    );
    expect(d.error.type).toBe('Cancelled');
  });

  it('respond: anything but children results: fail UnexpectedResponse', async () => {
    const d = expectKind(await composite.respond!(ctxFor(), { kind: 'signal', payload: {} }), 'fail');
    expect(d.error.type).toBe('UnexpectedResponse');
  });
});
