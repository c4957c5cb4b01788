/**
 * The agent caller against real loopback HTTP servers: selection order, fail-over on connection
 * problems only, the typed errors, heartbeats, timeouts and cancellation.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AgentRegistry, HttpAgentCaller, parseAgentsFile, type Unreachable } from '../../../src/agents';
import { closeAll, deadUrl, loopback, runInfo, type Handler } from './loopback';

afterEach(closeAll);

interface Agent {
  name: string;
  url: string;
  skills?: string[];
  priority?: number;
  timeout?: string;
}

/** A caller over these agents (an in-memory agents file named `agents.yaml`), recording fail-overs. */
function callerFor(agents: Agent[], options: { heartbeatMs?: number } = {}) {
  const entries = agents.map((a) => ({ skills: ['review'], ...a }));
  const failovers: Unreachable[] = [];
  const caller = new HttpAgentCaller(
    new AgentRegistry(parseAgentsFile(JSON.stringify({ agents: entries }), 'agents.yaml')),
    {
      ...options,
      onFailover: (e) => void failovers.push(e.failed),
    },
  );
  return { caller, failovers };
}

/** The typed failure a call ends with. */
async function failure(p: Promise<unknown>): Promise<ApplicationFailure> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApplicationFailure);
  return e as ApplicationFailure;
}

const answer =
  (output: unknown): Handler =>
  () => ({ body: { output } });

describe('a call', () => {
  test('POSTs the skill, input, task path and idempotency key, and returns the output and who answered', async () => {
    const agent = await loopback(answer({ verdict: 'approved' }));
    const { caller } = callerFor([{ name: 'reviewer', url: agent.url }]);
    const run = runInfo();
    const result = await caller.call('review', { code: 'x' }, { taskPath: 'develop[0]/review', run });
    expect(result).toEqual({ output: { verdict: 'approved' }, agent: 'reviewer' });
    expect(agent.received).toHaveLength(1);
    const [req] = agent.received;
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe('wf-1/review/1');
    expect(req.body).toEqual({
      skill: 'review',
      input: { code: 'x' },
      task: 'develop[0]/review',
      idempotency_key: 'wf-1/review/1',
      workflow_id: 'wf-1',
    });
  });

  test('picks by priority (lower first), then file order; agents without the skill are skipped', async () => {
    const [a, b, c, d] = await Promise.all([
      loopback(answer('a')),
      loopback(answer('b')),
      loopback(answer('c')),
      loopback(answer('d')),
    ]);
    const { caller } = callerFor([
      { name: 'a', url: a.url, priority: 5 },
      { name: 'b', url: b.url, priority: 1 },
      { name: 'c', url: c.url, priority: 1 },
      { name: 'd', url: d.url, priority: 0, skills: ['other'] },
    ]);
    expect(await caller.call('review', {}, { taskPath: 't', run: runInfo() })).toEqual({
      output: 'b',
      agent: 'b',
    });
    expect([a, c, d].map((s) => s.received.length)).toEqual([0, 0, 0]);
  });
});

describe('fail-over', () => {
  test('to the next agent when one refuses connections, answers 502/503/504/429, or 500 without an error body', async () => {
    const statuses = [503, 502, 504, 429];
    const busy = await Promise.all(
      statuses.map((status) => loopback(() => ({ status, body: { error: 'busy' } }))),
    );
    const crashed = await loopback(() => ({ status: 500, raw: '<html>Internal Server Error</html>' }));
    const good = await loopback(answer('done'));
    const dead = await deadUrl();
    const { caller, failovers } = callerFor([
      { name: 'dead', url: dead },
      ...busy.map((s, i) => ({ name: `busy-${statuses[i]}`, url: s.url })),
      { name: 'crashed', url: crashed.url },
      { name: 'good', url: good.url },
    ]);
    expect(await caller.call('review', {}, { taskPath: 't', run: runInfo() })).toEqual({
      output: 'done',
      agent: 'good',
    });
    expect(failovers.map((f) => f.agent)).toEqual([
      'dead',
      'busy-503',
      'busy-502',
      'busy-504',
      'busy-429',
      'crashed',
    ]);
    expect(failovers[0].reason).toMatch(/ECONNREFUSED/);
    expect(failovers[1].reason).toBe('answered 503 Service Unavailable');
    expect(failovers[5].reason).toBe(
      'answered 500 without an error body: <html>Internal Server Error</html>',
    );
    expect([...busy, crashed, good].map((s) => s.received.length)).toEqual([1, 1, 1, 1, 1, 1]);
  });

  test('to the next agent when one does not answer within its timeout', async () => {
    const slow = await loopback(() => ({ delayMs: 2_000, body: { output: 'late' } }));
    const fast = await loopback(answer('in time'));
    const { caller, failovers } = callerFor([
      { name: 'slow', url: slow.url, timeout: '200ms' },
      { name: 'fast', url: fast.url },
    ]);
    const started = Date.now();
    expect(await caller.call('review', {}, { taskPath: 't', run: runInfo() })).toEqual({
      output: 'in time',
      agent: 'fast',
    });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(failovers).toEqual([{ agent: 'slow', url: slow.url, reason: 'no answer within 200ms' }]);
  });

  test('not on a 4xx: AgentError, non-retryable, with the agent’s own error type; the next agent is not called', async () => {
    const strict = await loopback(() => ({
      status: 422,
      body: { error: { type: 'CodeTooLong', message: 'over 10k lines' } },
    }));
    const other = await loopback(answer('never'));
    const { caller, failovers } = callerFor([
      { name: 'strict', url: strict.url },
      { name: 'other', url: other.url },
    ]);
    const e = await failure(caller.call('review', {}, { taskPath: 't', run: runInfo() }));
    expect(e).toMatchObject({
      type: 'AgentError',
      nonRetryable: true,
      message: "agent 'strict' (skill 'review') answered 422 with an error: CodeTooLong: over 10k lines",
    });
    expect(e.details).toEqual([
      {
        agent: 'strict',
        skill: 'review',
        status: 422,
        type: 'CodeTooLong',
        message: 'over 10k lines',
        retryable: false,
      },
    ]);
    expect(other.received).toHaveLength(0);
    expect(failovers).toEqual([]);
  });

  test('not on a 500 with a typed error body: AgentError, retryable unless the agent says otherwise', async () => {
    const flaky = await loopback(() => ({
      status: 500,
      body: { error: { type: 'ModelOverloaded', message: 'try later' } },
    }));
    const other = await loopback(answer('never'));
    const { caller } = callerFor([
      { name: 'flaky', url: flaky.url },
      { name: 'other', url: other.url },
    ]);
    const e = await failure(caller.call('review', {}, { taskPath: 't', run: runInfo() }));
    expect(e).toMatchObject({ type: 'AgentError', nonRetryable: false });
    expect(e.message).toContain('ModelOverloaded: try later');
    expect(other.received).toHaveLength(0);

    const final = await loopback(() => ({
      status: 500,
      body: { error: { type: 'Refused', message: 'no', retryable: false } },
    }));
    const { caller: c2 } = callerFor([{ name: 'final', url: final.url }]);
    expect(await failure(c2.call('review', {}, { taskPath: 't', run: runInfo() }))).toMatchObject({
      type: 'AgentError',
      nonRetryable: true,
    });
  });

  test('a 2xx that is not { output } is an AgentError, not a fail-over', async () => {
    const odd = await loopback(() => ({ body: { result: 'wrong shape' } }));
    const { caller } = callerFor([{ name: 'odd', url: odd.url }]);
    const e = await failure(caller.call('review', {}, { taskPath: 't', run: runInfo() }));
    expect(e).toMatchObject({ type: 'AgentError', nonRetryable: true });
    expect(e.message).toContain(
      `invalid answer: expected a JSON object with 'output', got {"result":"wrong shape"}`,
    );
  });
});

describe('errors when no agent can answer', () => {
  test('all agents with the skill down: AgentUnavailable (retryable) naming the skill, the file and each agent with why', async () => {
    const dead1 = await deadUrl();
    const busy = await loopback(() => ({ status: 503 }));
    const { caller } = callerFor([
      { name: 'first', url: dead1 },
      { name: 'second', url: busy.url, priority: 1 },
    ]);
    const e = await failure(caller.call('review', {}, { taskPath: 't', run: runInfo() }));
    expect(e.type).toBe('AgentUnavailable');
    expect(e.nonRetryable).toBe(false);
    expect(e.message).toMatch(
      new RegExp(
        `^no agent with skill 'review' in agents\\.yaml could be reached: first \\(${dead1}\\): connect ECONNREFUSED [\\d.:]+; second \\(${busy.url}\\): answered 503 Service Unavailable$`,
      ),
    );
  });

  test('no agent with the skill: AgentNotFound (non-retryable) naming the skill, the file and the skills there', async () => {
    const { caller } = callerFor([
      { name: 'a', url: 'http://127.0.0.1:9/', skills: ['review', 'plan'] },
      { name: 'b', url: 'http://127.0.0.1:9/', skills: ['classify'] },
    ]);
    const e = await failure(caller.call('translate', {}, { taskPath: 't', run: runInfo() }));
    expect(e).toMatchObject({
      type: 'AgentNotFound',
      nonRetryable: true,
      message:
        "no agent has skill 'translate' in agents.yaml (skills there: classify, plan, review); add an agent with that skill or fix the task's `agent:`",
    });
  });
});

describe('while waiting', () => {
  test('heartbeats every second', async () => {
    const slow = await loopback(() => ({ delayMs: 2_300, body: { output: 'ok' } }));
    const { caller } = callerFor([{ name: 'slow', url: slow.url }], { heartbeatMs: 1_000 });
    const run = runInfo();
    await caller.call('review', {}, { taskPath: 't', run });
    // One as the call starts, then one per second of waiting.
    expect(run.heartbeats.length).toBeGreaterThanOrEqual(3);
    expect(run.heartbeats.length).toBeLessThanOrEqual(4);
    expect(run.heartbeats[0]).toEqual({ skill: 'review', agent: 'slow' });
  });

  test('cancellation aborts the request at once and does not fail over', async () => {
    const slow = await loopback(() => ({ delayMs: 5_000, body: { output: 'late' } }));
    const other = await loopback(answer('never'));
    const { caller, failovers } = callerFor([
      { name: 'slow', url: slow.url },
      { name: 'other', url: other.url },
    ]);
    const run = runInfo();
    setTimeout(() => run.abort(), 200);
    const started = Date.now();
    await expect(caller.call('review', {}, { taskPath: 't', run })).rejects.toThrow('cancelled by the test');
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(other.received).toHaveLength(0);
    expect(failovers).toEqual([]);
  });
});
