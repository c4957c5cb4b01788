/**
 * aggregate: the orchestrator's raw result is null; `createTaskState` renders `outputs` over it (for
 * every type). That step needs the Temporal activity Context, so here it is done the same way by hand:
 * `ctx.render(spec.outputs, { output })` on the compiled spec.
 */
import { aggregate } from '../../../src/orchestrators/aggregate';
import { expectKind, taskContext } from './context';

const YAML = `
- { id: security, tool: echo }
- { id: style, tool: echo }
- id: report
  type: aggregate
  outputs:
    findings: "{{ $append(tasks.security.output.findings, tasks.style.output.findings) }}"
    count: "{{ $count(tasks.security.output.findings) + $count(tasks.style.output.findings) }}"
    title: "Report for {{ input.repo }}"
    raw: "{{ output }}"
`;

const scope = {
  input: { repo: 'flowstate' },
  tasks: {
    security: { output: { findings: ['xss'] } },
    style: { output: { findings: ['tabs', 'long line'] } },
  },
};

describe('aggregate', () => {
  it('start: done(null), whatever the scope; no jump', async () => {
    const d = await aggregate.start(taskContext(YAML, 'report', scope));
    expect(d).toEqual({ kind: 'done', output: null });
  });

  it('has no respond (it never asks the interpreter for anything)', () => {
    expect(aggregate.respond).toBeUndefined();
  });

  it('the compiled spec keeps `outputs`, which renders over the scope to typed values', async () => {
    const ctx = taskContext(YAML, 'report', scope);
    const d = expectKind(await aggregate.start(ctx), 'done');
    const spec = ctx.spec as { outputs: unknown };
    expect(await ctx.render(spec.outputs, { output: d.output })).toEqual({
      findings: ['xss', 'tabs', 'long line'],
      count: 3,
      title: 'Report for flowstate',
      raw: null,
    });
  });
});
