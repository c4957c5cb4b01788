/**
 * loop: passes of its tasks until `until` holds (checked after each pass, seeing `index` and the pass's
 * `tasks.<id>`), at most `max_iterations`; each pass sees the previous pass's outputs as `previous`.
 * Responses carry back the directive's state, as the interpreter does.
 */
import { loop } from '../../../src/orchestrators/loop';
import type { Directive, Json } from '../../../src/contract/directive';
import { cancelled, childrenResponse, completed, expectKind, failed, taskContext } from './context';

const loopTask = (until = 'tasks.review.output.score >= 8', max = 3, extra = '') => `
- { id: spec, tool: echo }
- id: refine
  type: loop
  until: ${until}
  max_iterations: ${max}${extra}
  tasks:
    - { id: draft, tool: echo, with: "{{ previous.review }}" }
    - { id: review, tool: echo, with: "{{ tasks.draft.output }}" }
`;

const ctxFor = (until?: string, max?: number, scope = {}, extra = '') =>
  taskContext(loopTask(until, max, extra), 'refine', scope);

/** The pass's outputs, as a run of the loop body reports them. */
const passOutputs = (score: number): Record<string, Json> => ({ draft: `d${score}`, review: { score } });

/** Respond to `d` with one completed pass. */
async function pass(ctx: ReturnType<typeof ctxFor>, d: Directive, outputs: Record<string, Json>) {
  const children = expectKind(d, 'children');
  return loop.respond!(ctx, childrenResponse([completed(children.runs[0].key, outputs)], d));
}

describe('loop', () => {
  it('start: the first pass, [0], over all its tasks, with index 0 and previous null; not exported', async () => {
    const ctx = ctxFor();
    const d = expectKind(await loop.start(ctx), 'children');
    expect(d.runs).toEqual([{ key: '0', segment: '[0]', tasks: [0, 1], vars: { index: 0, previous: null } }]);
    expect(d.exportOutputs).toBeFalsy();
    expect(d.maxConcurrency ?? 1).toBe(1);
  });

  it('until true after a pass: done with the array of pass outputs', async () => {
    const ctx = ctxFor();
    const d = await pass(ctx, await loop.start(ctx), passOutputs(9));
    expect(d).toEqual({
      kind: 'done',
      output: [passOutputs(9)],
      events: [{ type: 'loop.pass', data: { index: 0, until: true } }],
    });
  });

  it('until false: the next pass, [1], with index 1 and previous = the last pass outputs', async () => {
    const ctx = ctxFor();
    const d = expectKind(await pass(ctx, await loop.start(ctx), passOutputs(3)), 'children');
    expect(d.runs).toEqual([
      { key: '1', segment: '[1]', tasks: [0, 1], vars: { index: 1, previous: passOutputs(3) } },
    ]);
  });

  it('several passes: previous is always the pass just before; the output lists every pass in order', async () => {
    const ctx = ctxFor(undefined, 5);
    let d = await loop.start(ctx);
    d = await pass(ctx, d, passOutputs(2));
    d = await pass(ctx, d, passOutputs(5));
    expect(expectKind(d, 'children').runs[0].vars).toEqual({ index: 2, previous: passOutputs(5) });
    d = await pass(ctx, d, passOutputs(8));
    expect(d).toEqual({
      kind: 'done',
      output: [passOutputs(2), passOutputs(5), passOutputs(8)],
      events: [{ type: 'loop.pass', data: { index: 2, until: true } }],
    });
  });

  it('until sees index (the pass number, from 0)', async () => {
    const ctx = ctxFor('index >= 1', 5);
    let d = await pass(ctx, await loop.start(ctx), { draft: 'a' });
    expect(d.kind).toBe('children');
    d = await pass(ctx, d, { draft: 'b' });
    expect(d).toEqual({
      kind: 'done',
      output: [{ draft: 'a' }, { draft: 'b' }],
      events: [{ type: 'loop.pass', data: { index: 1, until: true } }],
    });
  });

  it("until sees the pass's tasks over the outer scope's tasks (outer ones still visible)", async () => {
    const ctx = ctxFor('tasks.review.output.score >= tasks.spec.output.bar', 3, {
      tasks: { spec: { output: { bar: 4 } }, review: { output: { score: 100 } } },
    });
    const d = expectKind(await pass(ctx, await loop.start(ctx), passOutputs(3)), 'children');
    expect(d.runs[0].key).toBe('1');
    expect(await pass(ctx, d, passOutputs(4))).toEqual({
      kind: 'done',
      output: [passOutputs(3), passOutputs(4)],
      events: [{ type: 'loop.pass', data: { index: 1, until: true } }],
    });
  });

  it('max_iterations passes and until still false: fail MaxIterationsExceeded naming until and the limit', async () => {
    const ctx = ctxFor(undefined, 2);
    let d = await loop.start(ctx);
    d = await pass(ctx, d, passOutputs(1));
    d = await pass(ctx, d, passOutputs(2));
    const f = expectKind(d, 'fail');
    expect(f.error.type).toBe('MaxIterationsExceeded');
    expect(f.error.message).toContain('tasks.review.output.score >= 8');
    expect(f.error.message).toContain('2');
  });

  it('on_exhausted: fail (written out) is the default: MaxIterationsExceeded, naming the way out', async () => {
    const ctx = ctxFor(undefined, 1, {}, '\n  on_exhausted: fail');
    const f = expectKind(await pass(ctx, await loop.start(ctx), passOutputs(1)), 'fail');
    expect(f.error.type).toBe('MaxIterationsExceeded');
    expect(f.error.message).toContain('on_exhausted: continue');
  });

  it('on_exhausted: continue: the passes run out and the loop succeeds with every pass output', async () => {
    const ctx = ctxFor(undefined, 2, {}, '\n  on_exhausted: continue');
    let d = await loop.start(ctx);
    d = await pass(ctx, d, passOutputs(1));
    d = await pass(ctx, d, passOutputs(2));
    expect(d).toEqual({
      kind: 'done',
      output: [passOutputs(1), passOutputs(2)],
      events: [{ type: 'loop.pass', data: { index: 1, until: false } }],
    });
  });

  it('on_exhausted takes only fail or continue, said at validate time', () => {
    expect(() => ctxFor(undefined, 2, {}, '\n  on_exhausted: skip')).toThrow(
      /on_exhausted is fail \(the default: MaxIterationsExceeded\) or continue/,
    );
  });

  it('until true on the last allowed pass: done, not MaxIterationsExceeded', async () => {
    const ctx = ctxFor(undefined, 1);
    expect(await pass(ctx, await loop.start(ctx), passOutputs(8))).toEqual({
      kind: 'done',
      output: [passOutputs(8)],
      events: [{ type: 'loop.pass', data: { index: 0, until: true } }],
    });
  });

  it("a failed pass: fail with the task's type and `path: message`", async () => {
    const ctx = ctxFor();
    const start = await loop.start(ctx);
    const error = { type: 'AgentUnreachable', message: 'all down', task: 'refine[0]/review' };
    const d = await loop.respond!(ctx, childrenResponse([failed('0', error, { draft: 'x' })], start));
    expect(d).toEqual({
      kind: 'fail',
      error: { type: 'AgentUnreachable', message: 'refine[0]/review: all down' },
    });
  });

  it('a cancelled pass: fail Cancelled', async () => {
    const ctx = ctxFor();
    const start = await loop.start(ctx);
    const d = expectKind(await loop.respond!(ctx, childrenResponse([cancelled('0')], start)), 'fail');
    expect(d.error.type).toBe('Cancelled');
  });

  it('the state it hands the interpreter is plain JSON (it travels in workflow history)', async () => {
    const ctx = ctxFor();
    const d = expectKind(await pass(ctx, await loop.start(ctx), passOutputs(1)), 'children');
    expect(JSON.parse(JSON.stringify(d.state))).toEqual(d.state);
  });

  it('anything but children results: fail UnexpectedResponse', async () => {
    const d = expectKind(await loop.respond!(ctxFor(), { kind: 'signal', payload: 1 }), 'fail');
    expect(d.error.type).toBe('UnexpectedResponse');
  });
});
