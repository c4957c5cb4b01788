/** A fake task context for driving the spec-session orchestrator without a worker. */
import fs from 'node:fs';
import path from 'node:path';
import { evaluate, expressionOf, render } from '../../../src/expressions';
import type { Directive, Json, Response } from '../../../src/contract/directive';
import { specSession } from '../../../src/orchestrators/spec-session';
import type { SpecSessionSpec } from '../../../src/orchestrators/spec-session/schema';
import type { TaskContext } from '../../../src/contract/orchestrator';

export const SAMPLE_INPUT = JSON.parse(
  fs.readFileSync(path.resolve(__dirname, '../../../definitions/spec-execution.input.json'), 'utf8'),
) as { tasks_md: string; agent: string };

export function context(
  spec: Partial<SpecSessionSpec>,
  input: unknown = SAMPLE_INPUT,
): TaskContext<SpecSessionSpec> {
  const scope = { input };
  const full: SpecSessionSpec = { parser: 'spec-tasks', source: 'input.tasks_md', ...spec };
  return {
    spec: full,
    task: { id: 'session', type: 'spec-session', path: 'session', children: [] },
    scope,
    evaluate: (e, extra) => evaluate(expressionOf(e), { ...scope, ...extra }),
    render: (v, extra) => render(v, { ...scope, ...extra }),
    run: {
      workflowId: 'wf',
      runId: 'r',
      attempt: 1,
      idempotencyKey: 'wf/session/1',
      heartbeat: () => undefined,
      cancelled: new AbortController().signal,
    },
    tools: undefined as never,
  };
}

export const start = (ctx: TaskContext<SpecSessionSpec>) => specSession.start(ctx);

/** Send `complete-phase` with a payload to a waiting directive. */
export function complete(
  ctx: TaskContext<SpecSessionSpec>,
  waiting: Directive,
  payload: unknown,
): Promise<Directive> {
  if (waiting.kind !== 'await_update') throw new Error(`not waiting: ${JSON.stringify(waiting)}`);
  const response: Response = {
    kind: 'update',
    name: 'complete-phase',
    payload: payload as Json,
    state: waiting.state,
  };
  return specSession.respond!(ctx, response);
}

/** Evidence addressing every criterion of a gate by number. */
export const allOf = (n: number, note = 'done') => ({
  evidence: {
    criteria: Object.fromEntries(Array.from({ length: n }, (_, i) => [String(i + 1), `${note} ${i + 1}`])),
  },
});
