/**
 * Behaviour the definition language promises, on the real dev server: a loop that runs out of
 * passes fails (`on_exhausted: fail`, the default) or succeeds with its passes (`continue`); a
 * router's inline route runs as the next task of the router's sequence, and its `on_success` /
 * `on_error` jump to tasks of that sequence.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';

const env = useTestEnv();

const loopDef = (onExhausted?: string) =>
  compileYaml(`
id: loop-runs-out
version: 1.0.0
tasks:
  - id: poll
    type: loop
    max_iterations: 3
    until: "{{ tasks.check.output.ready }}"
${onExhausted ? `    on_exhausted: ${onExhausted}\n` : ''}    tasks:
      - { id: check, tool: echo, with: { ready: false, pass: "{{ index }}" } }
  - id: after
    type: aggregate
    outputs: { passes: "{{ $count(tasks.poll.output) }}", last: "{{ tasks.poll.output[-1].check.pass }}" }
`);

describe('a loop that runs out of passes', () => {
  test('on_exhausted omitted (fail): the run fails with MaxIterationsExceeded naming the way out', async () => {
    const err = await env.run(loopDef()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WorkflowFailedError);
    expect((err as WorkflowFailedError).cause).toMatchObject({
      type: 'MaxIterationsExceeded',
      message: expect.stringContaining('after max_iterations (3) passes (on_exhausted: continue'),
    });
  });

  test('on_exhausted: continue: the loop succeeds with every pass output and the run goes on', async () => {
    const result = await env.run(loopDef('continue'));
    expect(result.output).toEqual({ passes: 3, last: 2 });
  });
});

const routes = compileYaml(`
id: route-jumps
version: 1.0.0
tasks:
  - id: pick
    type: router
    condition: "{{ input.size }}"
    routes:
      small: { id: on-small, tool: echo, with: { size: small }, on_success: { next: summary } }
      broken: { id: on-broken, tool: no-such-tool, on_error: { next: recover } }
    default: { id: on-big, tool: echo, with: { size: big } }
  - { id: big-only, tool: echo, with: { big: true }, final: true }
  - id: recover
    type: aggregate
    outputs: { type: "{{ error.type }}", message: "{{ error.message }}" }
    on_success: { next: summary }
  - id: summary
    type: aggregate
    outputs: { route: "{{ tasks.pick.output.route }}", recovered: "{{ tasks.recover.output.type }}" }
`);

describe("a router's inline route runs as the next task of the router's sequence", () => {
  const ranFor = async (size: string) => {
    const { workflowId } = await env.start(routes, { size });
    const result = await env.flowstate.result(workflowId);
    const state = await env.flowstate.state(workflowId);
    return { output: result.output, completed: [...state.completed].sort() };
  };

  test('its on_success.next jumps past the tasks in between', async () => {
    expect(await ranFor('small')).toEqual({
      output: { route: 'small', recovered: null },
      completed: ['pick', 'pick/on-small', 'summary'],
    });
  });

  test('without a jump, the walk goes on after the router', async () => {
    expect(await ranFor('big')).toEqual({
      output: { big: true },
      completed: ['big-only', 'pick', 'pick/on-big'],
    });
  });

  test("its on_error.next handles its failure in the router's sequence, with error in scope", async () => {
    const { output, completed } = await ranFor('broken');
    expect(output).toEqual({ route: null, recovered: 'ToolNotFound' });
    expect(completed).toEqual(['recover', 'summary']);
  });
});
