/**
 * A task that runs as a local activity (aggregate, router...) fails like any other task: its failure
 * is the task's, so `best_effort` keeps going, `on_error` catches it, and the run's error names the
 * task's path. Found while building tolerated_failures: such a failure used to fail the whole run.
 */
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';

const env = useTestEnv();

test('an aggregate that fails inside a best_effort parallel is that branch failing, not the run', async () => {
  const def = compileYaml(`
id: local-failure-best-effort
version: 1.0.0
tasks:
  - id: fan
    type: parallel
    strategy: best_effort
    tasks:
      - { id: good, tool: echo, with: { v: 1 } }
      - { id: bad, type: aggregate, outputs: { x: "{{ $error('no such value') }}" } }
`);
  const { output } = await env.run(def);
  expect(output).toEqual({
    good: { ok: true, output: { v: 1 } },
    bad: {
      ok: false,
      error: expect.objectContaining({ task: 'fan/bad', message: expect.stringContaining('no such value') }),
    },
  });
});

test("an aggregate's failure goes to its on_error, with the error in scope", async () => {
  const def = compileYaml(`
id: local-failure-on-error
version: 1.0.0
tasks:
  - { id: bad, type: aggregate, outputs: { x: "{{ $error('broken') }}" }, on_error: { next: handle } }
  - { id: never, tool: echo, with: { v: 0 } }
  - { id: handle, type: aggregate, outputs: { caught: "{{ error.task }}" } }
`);
  const { output } = await env.run(def);
  expect(output).toEqual({ caught: 'bad' });
});

test("a run that ends on an aggregate's failure names the task", async () => {
  const def = compileYaml(`
id: local-failure-run
version: 1.0.0
tasks:
  - { id: sum, type: aggregate, outputs: { x: "{{ $error('broken') }}" } }
`);
  const failed = await env.run(def).catch((e: unknown) => e);
  expect(failed).toBeInstanceOf(WorkflowFailedError);
  const cause = (failed as WorkflowFailedError).cause as { type?: string; message: string };
  expect(cause.type).toBe('ExpressionError');
  expect(cause.message).toMatch(/^sum: /);
});
