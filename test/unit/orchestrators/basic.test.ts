/**
 * basic: one tool, agent or HTTP call with the rendered `with`. Tools are a real registry; HTTP goes
 * through the built-in `http` tool to a node:http server on 127.0.0.1.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { defineTool } from '../../../src/activities/tools';
import type { ToolCall } from '../../../src/activities/tools';
import { basic } from '../../../src/orchestrators/basic';
import type { AgentCaller } from '../../../src/contract/orchestrator';
import { z } from 'zod';
import { addTool, applicationFailure, expectKind, rejection, taskContext } from './context';

// ---- A loopback HTTP server ------------------------------------------------------------------------

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
type Answer = { status: number; body?: unknown; type?: string } | 'hang';

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((resolve) => {
          s.closeAllConnections();
          s.close(() => resolve());
        }),
    ),
  );
});

/** A server answering each request with `answer(req)`; `received` records the requests. */
async function server(answer: (req: Received) => Answer) {
  const received: Received[] = [];
  const s = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const r = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      received.push(r);
      const a = answer(r);
      if (a === 'hang') return;
      const text = typeof a.body === 'string' ? a.body : JSON.stringify(a.body ?? null);
      res.writeHead(a.status, { 'content-type': a.type ?? 'application/json' });
      res.end(text);
    });
  });
  servers.push(s);
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return { base: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, received };
}

const httpTask = (method = 'GET') => `
- id: fetch
  http:
    url: "{{ input.base }}/items/{{ input.id }}"
    method: ${method}
    headers: { x-trace: "t-{{ input.id }}" }
    body: { name: "{{ input.name }}", count: "{{ input.count }}" }
`;

// ---- Tools -----------------------------------------------------------------------------------------

describe('basic: tool', () => {
  it('calls the tool with `with` rendered from the scope (a whole template keeps its type)', async () => {
    const ctx = taskContext(
      `
      - { id: prev, tool: echo }
      - id: greet
        tool: echo
        with:
          greeting: "hello {{ input.name }}"
          count: "{{ input.n + 1 }}"
          tags: ["{{ tasks.prev.output.tag }}", fixed]
          nested: { flag: "{{ input.n > 1 }}" }
      `,
      'greet',
      { input: { name: 'Ada', n: 2 }, tasks: { prev: { output: { tag: 'urgent' } } } },
    );
    const d = expectKind(await basic.start(ctx), 'done');
    expect(d.output).toEqual({
      greeting: 'hello Ada',
      count: 3,
      tags: ['urgent', 'fixed'],
      nested: { flag: true },
    });
    expect(d.next).toBeUndefined();
    expect(d.meta).toBeUndefined();
  });

  it('hands the tool the task path and the run (idempotency key)', async () => {
    const seen: ToolCall[] = [];
    const spy = defineTool({
      name: 'spy',
      input: z.unknown(),
      run: (_input, call) => {
        seen.push(call);
        return 'ok';
      },
    });
    const ctx = taskContext('- { id: s, tool: spy }', 's', {}, { tools: [spy], path: 'outer/s', attempt: 2 });
    expect(expectKind(await basic.start(ctx), 'done').output).toBe('ok');
    expect(seen).toHaveLength(1);
    expect(seen[0].taskPath).toBe('outer/s');
    expect(seen[0].run.idempotencyKey).toBe('wf-1/outer/s');
  });

  it('calls a tool without `with` with null input, and a tool result of undefined is null', async () => {
    const inputs: unknown[] = [];
    const nothing = defineTool({ name: 'nothing', input: z.unknown(), run: (i) => void inputs.push(i) });
    const ctx = taskContext('- { id: n, tool: nothing }', 'n', {}, { tools: [nothing] });
    expect(expectKind(await basic.start(ctx), 'done').output).toBeNull();
    expect(inputs).toEqual([null]);
  });

  it('validates the rendered input against the tool schema and returns the parsed output', async () => {
    const ctx = taskContext(
      '- { id: sum, tool: add, with: { a: "{{ input.a }}", b: 4 } }',
      'sum',
      { input: { a: 3 } },
      { tools: [addTool] },
    );
    expect(expectKind(await basic.start(ctx), 'done').output).toBe(7);
  });

  it('an unknown tool is a non-retryable ToolNotFound naming the tool and the registered ones', async () => {
    const ctx = taskContext('- { id: x, tool: nope }', 'x');
    const e = await applicationFailure(basic.start(ctx));
    expect(e.type).toBe('ToolNotFound');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).toContain("'nope'");
    expect(e.message).toContain('echo, http');
  });

  it('input failing the tool schema is a non-retryable ToolInputInvalid naming the field', async () => {
    const ctx = taskContext(
      '- { id: sum, tool: add, with: { a: "{{ input.a }}", b: 4 } }',
      'sum',
      { input: { a: 'three' } },
      { tools: [addTool] },
    );
    const e = await applicationFailure(basic.start(ctx));
    expect(e.type).toBe('ToolInputInvalid');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).toContain("tool 'add'");
    expect(e.message).toMatch(/\ba\b/);
  });

  it('a tool output failing its schema is a non-retryable ToolOutputInvalid', async () => {
    const liar = defineTool({
      name: 'liar',
      input: z.unknown(),
      output: z.number(),
      run: () => 'not a number' as never,
    });
    const e = await applicationFailure(
      basic.start(taskContext('- { id: l, tool: liar }', 'l', {}, { tools: [liar] })),
    );
    expect(e.type).toBe('ToolOutputInvalid');
    expect(e.nonRetryable).toBe(true);
  });

  it("a tool's own error goes through unchanged (createTaskState types it)", async () => {
    const boom = defineTool({
      name: 'boom',
      input: z.unknown(),
      run: () => {
        throw ApplicationFailure.create({ type: 'Quota', message: 'over quota', nonRetryable: false });
      },
    });
    const e = await applicationFailure(
      basic.start(taskContext('- { id: b, tool: boom }', 'b', {}, { tools: [boom] })),
    );
    expect(e.type).toBe('Quota');
    expect(e.message).toBe('over quota');
  });
});

// ---- Agents ----------------------------------------------------------------------------------------

describe('basic: agent', () => {
  const agentTask = `
  - id: review
    agent: code-review
    with: { diff: "{{ input.diff }}" }
  `;

  it('calls the agent by skill with the rendered input and records which agent answered in meta.agent', async () => {
    const calls: Array<{ skill: string; input: unknown; taskPath: string; key: string }> = [];
    const agents: AgentCaller = {
      async call(skill, input, call) {
        calls.push({ skill, input, taskPath: call.taskPath, key: call.run.idempotencyKey });
        return { output: { verdict: 'lgtm' }, agent: 'reviewer-1' };
      },
    };
    const ctx = taskContext(
      agentTask,
      'review',
      { input: { diff: '+1 -1' } },
      { agents, path: 'checks/review' },
    );
    const d = expectKind(await basic.start(ctx), 'done');
    expect(d.output).toEqual({ verdict: 'lgtm' });
    expect(d.meta).toEqual({ agent: 'reviewer-1' });
    expect(calls).toEqual([
      {
        skill: 'code-review',
        input: { diff: '+1 -1' },
        taskPath: 'checks/review',
        key: 'wf-1/checks/review',
      },
    ]);
  });

  it('an agent answering undefined gives output null', async () => {
    const agents: AgentCaller = { call: async () => ({ output: undefined, agent: 'quiet' }) };
    const d = expectKind(
      await basic.start(taskContext(agentTask, 'review', { input: {} }, { agents })),
      'done',
    );
    expect(d.output).toBeNull();
    expect(d.meta).toEqual({ agent: 'quiet' });
  });

  it('without an agent registry: non-retryable AgentNotFound naming the skill and FLOWSTATE_AGENTS', async () => {
    const e = await applicationFailure(basic.start(taskContext(agentTask, 'review', { input: {} })));
    expect(e.type).toBe('AgentNotFound');
    expect(e.nonRetryable).toBe(true);
    expect(e.message).toContain("'code-review'");
    expect(e.message).toContain('FLOWSTATE_AGENTS');
  });

  it("an agent caller's failure goes through unchanged", async () => {
    const agents: AgentCaller = {
      call: async () => {
        throw ApplicationFailure.create({ type: 'AgentUnreachable', message: 'all down' });
      },
    };
    const e = await applicationFailure(
      basic.start(taskContext(agentTask, 'review', { input: {} }, { agents })),
    );
    expect(e.type).toBe('AgentUnreachable');
  });
});

// ---- HTTP ------------------------------------------------------------------------------------------

describe('basic: http', () => {
  it('GET: renders url and headers, returns status, headers and the JSON body parsed', async () => {
    const srv = await server(() => ({ status: 200, body: { id: 7, ok: true } }));
    const ctx = taskContext(httpTask('GET'), 'fetch', {
      input: { base: srv.base, id: 7, name: 'x', count: 2 },
    });
    const d = expectKind(await basic.start(ctx), 'done');
    expect(d.output).toMatchObject({ status: 200, body: { id: 7, ok: true } });
    expect((d.output as { headers: Record<string, string> }).headers['content-type']).toBe(
      'application/json',
    );
    expect(srv.received).toHaveLength(1);
    expect(srv.received[0]).toMatchObject({ method: 'GET', url: '/items/7', body: '' });
    expect(srv.received[0].headers['x-trace']).toBe('t-7');
  });

  it('method defaults to GET', async () => {
    const srv = await server(() => ({ status: 200, body: [] }));
    const ctx = taskContext('- { id: get, http: { url: "{{ input.base }}/" } }', 'get', {
      input: { base: srv.base },
    });
    expect(expectKind(await basic.start(ctx), 'done').output).toMatchObject({ status: 200, body: [] });
    expect(srv.received[0].method).toBe('GET');
  });

  it('POST: sends the rendered body as JSON with content-type application/json', async () => {
    const srv = await server((r) => ({ status: 201, body: { received: JSON.parse(r.body) } }));
    const ctx = taskContext(httpTask('POST'), 'fetch', {
      input: { base: srv.base, id: 1, name: 'Ada', count: 2 },
    });
    const d = expectKind(await basic.start(ctx), 'done');
    expect(d.output).toMatchObject({ status: 201, body: { received: { name: 'Ada', count: 2 } } });
    expect(srv.received[0].method).toBe('POST');
    expect(srv.received[0].headers['content-type']).toBe('application/json');
  });

  it('sends idempotency-key = run.idempotencyKey (workflowId/path, the same on every attempt)', async () => {
    const srv = await server(() => ({ status: 200, body: {} }));
    const ctx = taskContext(
      httpTask('POST'),
      'fetch',
      { input: { base: srv.base, id: 1, name: 'a', count: 1 } },
      { workflowId: 'order-42', path: 'pay/fetch', attempt: 3 },
    );
    await basic.start(ctx);
    expect(ctx.run.idempotencyKey).toBe('order-42/pay/fetch');
    expect(srv.received[0].headers['idempotency-key']).toBe('order-42/pay/fetch');
  });

  it('a non-JSON body is returned as text', async () => {
    const srv = await server(() => ({ status: 200, body: 'plain words', type: 'text/plain' }));
    const ctx = taskContext('- { id: get, http: { url: "{{ input.base }}/" } }', 'get', {
      input: { base: srv.base },
    });
    expect(expectKind(await basic.start(ctx), 'done').output).toMatchObject({
      status: 200,
      body: 'plain words',
    });
  });

  it.each([
    [400, true],
    [404, true],
    [422, true],
    [429, false],
    [500, false],
    [503, false],
  ])(
    'status %i is an HttpError, nonRetryable=%s, with the status and parsed body in details',
    async (status, nonRetryable) => {
      const srv = await server(() => ({ status, body: { problem: `p${status}` } }));
      const ctx = taskContext('- { id: get, http: { url: "{{ input.base }}/thing" } }', 'get', {
        input: { base: srv.base },
      });
      const e = await applicationFailure(basic.start(ctx));
      expect(e.type).toBe('HttpError');
      expect(e.nonRetryable).toBe(nonRetryable);
      expect(e.message).toContain(`GET ${srv.base}/thing answered ${status}`);
      expect(e.details).toEqual([{ status, body: { problem: `p${status}` } }]);
    },
  );

  it('a refused connection is a retryable HttpConnectionError', async () => {
    const srv = await server(() => ({ status: 200 }));
    await new Promise<void>((resolve) => servers.pop()!.close(() => resolve()));
    const ctx = taskContext('- { id: get, http: { url: "{{ input.base }}/" } }', 'get', {
      input: { base: srv.base },
    });
    const e = await applicationFailure(basic.start(ctx));
    expect(e.type).toBe('HttpConnectionError');
    expect(e.nonRetryable).toBeFalsy();
  });

  it('cancelling the run aborts the request and the abort surfaces as such (Temporal records a cancellation)', async () => {
    const srv = await server(() => 'hang');
    const ctx = taskContext('- { id: get, http: { url: "{{ input.base }}/" } }', 'get', {
      input: { base: srv.base },
    });
    const pending = rejection(basic.start(ctx));
    while (srv.received.length === 0) await new Promise((r) => setTimeout(r, 5));
    ctx.abort.abort();
    const e = (await pending) as Error;
    // createTaskState lets an AbortError through untyped so Temporal completes the activity as
    // cancelled; a retryable ApplicationFailure instead records the cancelled call as a failure.
    expect(e instanceof ApplicationFailure ? `${e.type}: ${e.message}` : e.name).toBe('AbortError');
  });
});
