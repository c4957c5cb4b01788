/** router: the value of `condition` picks a route; a task id is jumped to, an inline task runs. */
import { router } from '../../../src/orchestrators/router';
import { cancelled, childrenResponse, completed, expectKind, failed, taskContext } from './context';

const TRIAGE = `
- id: route
  type: router
  condition: input.category
  routes:
    bug: { id: file-bug, tool: echo, with: "{{ input.text }}" }
    "needs review": { id: escalate, tool: echo }
    question: answer
    1: one
    2.5: answer
    true: yes-task
    false: no-task
- { id: answer, tool: echo }
- { id: one, tool: echo }
- { id: yes-task, tool: echo }
- { id: no-task, tool: echo }
`;

const WITH_DEFAULT_GOTO = `
- id: route
  type: router
  condition: "{{ input.category }}"
  routes:
    bug: answer
  default: fallback
- { id: answer, tool: echo }
- { id: fallback, tool: echo }
`;

const WITH_DEFAULT_INLINE = `
- id: route
  type: router
  condition: input.category
  routes:
    bug: { id: file-bug, tool: echo }
  default: { id: triage-by-hand, tool: echo }
`;

const JUMPING = `
- id: route
  type: router
  condition: input.category
  routes:
    small: { id: on-small, tool: echo, on_success: { next: summary }, on_error: { next: recover } }
  default: { id: on-other, tool: echo, on_success: { next: summary } }
- { id: recover, tool: echo }
- { id: summary, tool: echo }
`;

const route = (yaml: string, category: unknown) =>
  taskContext(yaml, 'route', { input: { category, text: 't' } });

describe('router: start', () => {
  it('a route to a task id is done at once: output { route }, next = the task id', async () => {
    const d = expectKind(await router.start(route(TRIAGE, 'question')), 'done');
    expect(d).toEqual({
      kind: 'done',
      output: { route: 'question' },
      next: 'answer',
      events: [{ type: 'branch.chosen', data: { route: 'question', value: 'question', next: 'answer' } }],
    });
  });

  it('an inline route runs its task as one child run, exported, and remembers the route in state', async () => {
    const ctx = route(TRIAGE, 'bug');
    const d = expectKind(await router.start(ctx), 'children');
    expect(d.runs).toHaveLength(1);
    expect(d.runs[0]).toMatchObject({ key: 'bug' });
    expect(ctx.task.children[d.runs[0].tasks[0]].id).toBe('file-bug');
    expect(d.exportOutputs).toBe(true);
    expect(d.state).toEqual({ route: 'bug' });
  });

  it('each inline route runs its own task (not the first inline one)', async () => {
    const ctx = route(TRIAGE, 'needs review');
    const d = expectKind(await router.start(ctx), 'children');
    expect(d.runs.map((r) => r.tasks.map((i) => ctx.task.children[i].id))).toEqual([['escalate']]);
    expect(d.runs[0].key).toBe('needs review');
  });

  it('the condition may be written as one {{ }} template', async () => {
    expect(await router.start(route(WITH_DEFAULT_GOTO, 'bug'))).toEqual({
      kind: 'done',
      output: { route: 'bug' },
      next: 'answer',
      events: [{ type: 'branch.chosen', data: { route: 'bug', value: 'bug', next: 'answer' } }],
    });
  });

  it('no matching route: the default (a task id) is taken and reported as route "default"', async () => {
    expect(await router.start(route(WITH_DEFAULT_GOTO, 'feature'))).toEqual({
      kind: 'done',
      output: { route: 'default' },
      next: 'fallback',
      events: [{ type: 'branch.chosen', data: { route: 'default', value: 'feature', next: 'fallback' } }],
    });
  });

  it('no matching route: an inline default runs', async () => {
    const ctx = route(WITH_DEFAULT_INLINE, 'feature');
    const d = expectKind(await router.start(ctx), 'children');
    expect(d.runs.map((r) => [r.key, ctx.task.children[r.tasks[0]].id])).toEqual([
      ['default', 'triage-by-hand'],
    ]);
    expect(d.state).toEqual({ route: 'default' });
  });

  it('a missing value (null) takes the default', async () => {
    expect(expectKind(await router.start(route(WITH_DEFAULT_GOTO, undefined)), 'done').next).toBe('fallback');
  });

  it('no match and no default: fail NoRoute naming the value and the routes', async () => {
    const d = expectKind(await router.start(route(TRIAGE, 'feature')), 'fail');
    expect(d.error.type).toBe('NoRoute');
    expect(d.error.message).toContain('feature');
    for (const r of ['bug', 'needs review', 'question', '1', '2.5', 'true', 'false'])
      expect(d.error.message).toContain(r);
  });

  it('NoRoute names a non-string value by its JSON text', async () => {
    const d = expectKind(await router.start(route(TRIAGE, { kind: 'x' })), 'fail');
    expect(d.error.message).toContain('{"kind":"x"}');
  });

  it.each([
    [1, 'one', '1'],
    [2.5, 'answer', '2.5'],
    [true, 'yes-task', 'true'],
    [false, 'no-task', 'false'],
    ['1', 'one', '1'],
  ])('value %p matches route by its JSON text → %s', async (value, next, name) => {
    const d = expectKind(await router.start(route(TRIAGE, value)), 'done');
    expect(d.next).toBe(next);
    expect(d.output).toEqual({ route: name });
  });

  it('a key inherited from Object.prototype is not a route', async () => {
    const d = expectKind(await router.start(route(TRIAGE, 'constructor')), 'fail');
    expect(d.error.type).toBe('NoRoute');
  });
});

describe('router: respond', () => {
  it('the inline route completed: done { route } with no jump', async () => {
    const ctx = route(TRIAGE, 'bug');
    const start = await router.start(ctx);
    const d = await router.respond!(ctx, childrenResponse([completed('bug', { 'file-bug': 't' })], start));
    expect(d).toEqual({ kind: 'done', output: { route: 'bug' } });
  });

  it('the inline default completed: done { route: "default" }', async () => {
    const ctx = route(WITH_DEFAULT_INLINE, 'zzz');
    const start = await router.start(ctx);
    const d = await router.respond!(
      ctx,
      childrenResponse([completed('default', { 'triage-by-hand': 1 })], start),
    );
    expect(d).toEqual({ kind: 'done', output: { route: 'default' } });
  });

  it("the inline route failed: fail with the child's type and `path: message`", async () => {
    const ctx = route(TRIAGE, 'bug');
    const start = await router.start(ctx);
    const error = { type: 'ToolNotFound', message: "no tool 'x'", task: 'route/file-bug' };
    const d = await router.respond!(ctx, childrenResponse([failed('bug', error)], start));
    expect(d).toEqual({
      kind: 'fail',
      error: { type: 'ToolNotFound', message: "route/file-bug: no tool 'x'" },
    });
  });

  it("the inline route's on_success.next: done { route } jumping there (a task of the router's sequence)", async () => {
    const ctx = route(JUMPING, 'small');
    const start = await router.start(ctx);
    expect(expectKind(start, 'children').state).toEqual({
      route: 'small',
      next: 'summary',
      onError: 'recover',
    });
    const d = await router.respond!(ctx, childrenResponse([completed('small', { 'on-small': 1 })], start));
    expect(d).toEqual({ kind: 'done', output: { route: 'small' }, next: 'summary' });
  });

  it('the inline route failed and has on_error.next: fail, handled by going there', async () => {
    const ctx = route(JUMPING, 'small');
    const start = await router.start(ctx);
    const error = { type: 'Boom', message: 'no', task: 'route/on-small' };
    const d = await router.respond!(ctx, childrenResponse([failed('small', error)], start));
    expect(d).toEqual({
      kind: 'fail',
      error: { type: 'Boom', message: 'route/on-small: no' },
      next: 'recover',
    });
  });

  it('the inline route failed without on_error: fail, for the router to handle or not', async () => {
    const ctx = route(JUMPING, 'other');
    const start = await router.start(ctx);
    const error = { type: 'Boom', message: 'no', task: 'route/on-other' };
    const d = expectKind(
      await router.respond!(ctx, childrenResponse([failed('default', error)], start)),
      'fail',
    );
    expect(d.next).toBeUndefined();
    // ...but its on_success still applies when it completes.
    const ok = await router.respond!(ctx, childrenResponse([completed('default', {})], start));
    expect(ok).toEqual({ kind: 'done', output: { route: 'default' }, next: 'summary' });
  });

  it('the inline route was cancelled: fail Cancelled', async () => {
    const ctx = route(TRIAGE, 'bug');
    const start = await router.start(ctx);
    const d = expectKind(await router.respond!(ctx, childrenResponse([cancelled('bug')], start)), 'fail');
    expect(d.error.type).toBe('Cancelled');
  });

  it('a response that is not children results: fail UnexpectedResponse', async () => {
    const ctx = route(TRIAGE, 'bug');
    const d = expectKind(await router.respond!(ctx, { kind: 'signal', payload: 1 }), 'fail');
    expect(d.error.type).toBe('UnexpectedResponse');
  });
});
