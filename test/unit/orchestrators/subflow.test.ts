/** subflow: renders `with`, checks it against the pinned child's input schema, runs the child. */
import type { Json } from '../../../src/contract/directive';
import { subflow } from '../../../src/orchestrators/subflow';
import type { SubflowSpec } from '../../../src/orchestrators/subflow/schema';
import { expectKind, taskContext } from './context';

const yaml = `
  - id: count
    type: subflow
    definition: ./count.yaml
    with: { words: "{{ input.words }}" }
`;
const pinned = {
  id: 'count',
  version: '1.0.0',
  hash: 'abc',
  input: { type: 'object', required: ['words'], properties: { words: { type: 'array' } } },
  tasks: [],
};

describe('subflow', () => {
  it('a child not pinned at compile fails with SubflowNotResolved, naming how to load it', async () => {
    const ctx = taskContext<SubflowSpec>(yaml, 'count', { input: { words: [] } });
    const d = expectKind(await subflow.start(ctx), 'fail');
    expect(d.error).toEqual({
      type: 'SubflowNotResolved',
      message: expect.stringContaining("count: './count.yaml' was not resolved when the definition compiled"),
    });
  });

  it('runs the pinned definition with the rendered input', async () => {
    const ctx = taskContext<SubflowSpec>(yaml, 'count', { input: { words: ['a', 'b'] } });
    ctx.spec.pinned = pinned;
    expect(await subflow.start(ctx)).toEqual({
      kind: 'run_definition',
      definition: pinned as unknown as Json,
      input: { words: ['a', 'b'] },
    });
  });

  it("an input the child's schema refuses fails the task before the child starts", async () => {
    const ctx = taskContext<SubflowSpec>(yaml, 'count', { input: { words: 'a b' } });
    ctx.spec.pinned = pinned;
    const d = expectKind(await subflow.start(ctx), 'fail');
    expect(d.error).toEqual({
      type: 'SubflowInputInvalid',
      message: "count: 'with' does not match the input schema of count@1.0.0: /words must be array",
    });
  });

  it("the child's output is the task's, its workflow id in meta", async () => {
    const ctx = taskContext<SubflowSpec>(yaml, 'count', {});
    const d = await subflow.respond!(ctx, { kind: 'workflow', output: { n: 2 }, workflowId: 'wf-1/count' });
    expect(d).toEqual({ kind: 'done', output: { n: 2 }, meta: { workflow_id: 'wf-1/count' } });
    const wrong = expectKind(await subflow.respond!(ctx, { kind: 'signal', payload: null }), 'fail');
    expect(wrong.error.type).toBe('UnexpectedResponse');
  });
});
