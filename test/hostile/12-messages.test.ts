/**
 * Row 12 of issue 18: messages that misled. A range over the sequence limit named the size asked for
 * as "the maximum sequence length"; the loser of concurrent decisions on one gate read "gate 'draft'
 * is not pending; pending gates: draft" (the gate was decided in the same activation and stayed in
 * the open map until its task woke up).
 */
import { WorkflowFailedError } from '@temporalio/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { eventually } from '../harness/eventually';

const env = useTestEnv();

const ranged = compileYaml(
  'id: ranged\nversion: 1.0.0\ntasks:\n  - { id: count, tool: echo, with: "{{ $count([1..9000000]) }}" }\n',
);
const small = compileYaml('id: small\nversion: 1.0.0\ntasks:\n  - { id: say, tool: echo, with: ok }\n');
const gated = compileYaml(
  'id: gated\nversion: 1.0.0\ntasks:\n  - id: draft\n    tool: echo\n    with: { text: v1 }\n    acceptance: { acceptors: [editor, chief], on_reject: fail }\n',
);

async function failureOf(p: Promise<unknown>): Promise<Error> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(WorkflowFailedError);
  return (e as WorkflowFailedError).cause as Error;
}

test('a range over the sequence limit names the limit, fails at once, and the worker goes on', async () => {
  const started = Date.now();
  const cause = await failureOf(env.run(ranged));
  expect(cause.message).toContain('a sequence of 9,000,000 items is over the limit of 1,000,000 items');
  expect(cause.message).not.toContain('maximum sequence length of 9000000');
  expect(Date.now() - started).toBeLessThan(20_000);
  expect((await env.run(small)).output).toBe('ok');
});

test('concurrent decisions on one gate: one wins, the others say who decided first', async () => {
  const fs = env.flowstate;
  const { workflowId: id } = await env.start(gated);
  await eventually(
    () => fs.state(id),
    (s) => s.pending_gates.length === 1,
  );
  const deciders = ['editor', 'chief', 'editor', 'chief', 'editor', 'chief'];
  const settled = await Promise.allSettled(
    deciders.map((by, i) => fs.decide(id, { gate: 'draft', decision: i % 2 ? 'reject' : 'approve', by })),
  );
  expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
  const reasons = settled
    .filter((s): s is PromiseRejectedResult => s.status === 'rejected')
    .map((s) => ((s.reason as Error).cause as Error | undefined)?.message ?? (s.reason as Error).message);
  for (const reason of reasons) {
    expect(reason).not.toMatch(/is not pending; pending gates: .*draft/);
    expect(reason).toMatch(
      /^gate 'draft' was just (approved|rejected) by (editor|chief) \(revision 0\): the first decision counts$|^no gate is pending in this run$|^gate 'draft' is not pending; pending gates: none$|^workflow update was aborted by closing workflow$/,
    );
  }
  await fs.result(id).catch(() => undefined);
});
