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
