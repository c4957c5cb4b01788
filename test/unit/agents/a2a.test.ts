/**
 * A2A agents: skills and endpoint from the agent card (0.3 and 1.0 layouts), calls over JSON-RPC,
 * answers as a Message or a Task. Against an example agent (examples/agents) and raw loopback servers.
 */
import { ApplicationFailure } from '@temporalio/common';
import { AgentRegistry, HttpAgentCaller, parseAgentsFile, readAgentCard } from '../../../src/agents';
import { serveAgent, skills, type AgentServer } from '../../../examples/agents';
import { closeAll, deadUrl, loopback, runInfo } from './loopback';

let agent: AgentServer | undefined;
afterEach(async () => {
  await agent?.close();
  agent = undefined;
  await closeAll();
});

const callerFor = (agents: object[]) =>
  new HttpAgentCaller(new AgentRegistry(parseAgentsFile(JSON.stringify({ agents }), 'agents.yaml')), {
    onFailover: () => undefined,
  });

describe('readAgentCard', () => {
  test('0.3 layout: url (JSON-RPC), skill ids and names', () => {
    const card = readAgentCard(
      {
        name: 'Helper',
        url: 'http://h/a2a',
        preferredTransport: 'JSONRPC',
        protocolVersion: '0.3.0',
        skills: [{ id: 'general-help', name: 'General help' }],
      },
      'http://h/.well-known/agent-card.json',
    );
    expect(card).toEqual({
      name: 'Helper',
      url: 'http://h/a2a',
      skills: ['general-help', 'General help'],
      a2aMajor: 0,
    });
  });
  test('0.3 layout with another preferred transport: the JSONRPC additional interface', () => {
    const card = readAgentCard(
      {
        url: 'http://h/grpc',
        preferredTransport: 'GRPC',
        additionalInterfaces: [{ url: '/rpc', transport: 'JSONRPC' }],
        skills: [{ id: 's' }],
      },
      'http://h/.well-known/agent-card.json',
    );
    expect(card.url).toBe('http://h/rpc');
  });
  test('1.0 layout: the first JSONRPC entry of supportedInterfaces', () => {
    const card = readAgentCard(
      {
        name: 'New',
        supportedInterfaces: [
          { url: 'http://h/grpc', protocolBinding: 'GRPC', protocolVersion: '1.0' },
          { url: 'http://h/rpc', protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
        ],
        skills: [{ id: 's' }],
      },
      'http://h/.well-known/agent-card.json',
    );
    expect(card).toEqual({ name: 'New', url: 'http://h/rpc', skills: ['s'], a2aMajor: 1 });
  });
  test('no JSON-RPC endpoint, or not a card: a clear error', () => {
    expect(() =>
      readAgentCard({ supportedInterfaces: [{ url: 'x', protocolBinding: 'GRPC' }], skills: [] }, 'c.json'),
    ).toThrow('agent card c.json offers no JSONRPC interface');
    expect(() => readAgentCard({ name: 'x' }, 'c.json')).toThrow(
      /agent card c\.json is not an A2A agent card: .*the card has no skills list/s,
    );
  });
});

describe('an agent listed by its card', () => {
  test('is found by a skill of its card and called over JSON-RPC message/send', async () => {
    agent = await serveAgent({ name: 'generalist', skills: [skills.generalHelp] });
    const caller = callerFor([{ name: 'helper', card: agent.url }]);
    const run = runInfo();
    const first = await caller.call('general-help', { text: 'hello' }, { taskPath: 'route/generalist', run });
    expect(first).toEqual({ output: skills.generalHelp.run({ text: 'hello' }), agent: 'helper' });
    expect(agent.calls).toEqual([
      { protocol: 'a2a', skill: 'general-help', task: 'route/generalist', idempotencyKey: 'wf-1/review/1' },
    ]);
    await caller.call('general-help', { text: 'again' }, { taskPath: 't', run });
    expect(caller.registry.knownSkills()).toEqual(['general-help']);
    expect(agent.calls).toHaveLength(2);
  });

  test('the JSON-RPC request: a data part with the input, the skill and task in metadata', async () => {
    const server = await loopback((req) =>
      req.method === 'GET'
        ? { body: { name: 'x', url: `http://127.0.0.1:${server.port}/rpc`, skills: [{ id: 'sum' }] } }
        : {
            body: {
              jsonrpc: '2.0',
              id: req.body.id,
              result: {
                kind: 'message',
                role: 'agent',
                messageId: 'm',
                parts: [{ kind: 'text', text: '42' }],
              },
            },
          },
    );
    const caller = callerFor([{ name: 'adder', card: server.url }]);
    expect(await caller.call('sum', { a: 40, b: 2 }, { taskPath: 'add', run: runInfo() })).toEqual({
      output: '42',
      agent: 'adder',
    });
    await caller.call('sum', { a: 1, b: 2 }, { taskPath: 'add', run: runInfo() });
    expect(server.received.map((r) => r.method)).toEqual(['GET', 'POST', 'POST']); // the card is read once, then cached
    const [cardGet, rpc] = server.received;
    expect(cardGet).toMatchObject({ method: 'GET', url: '/.well-known/agent-card.json' });
    expect(rpc.url).toBe('/rpc');
    expect(rpc.body).toMatchObject({
      jsonrpc: '2.0',
      method: 'message/send',
      params: {
        message: {
          kind: 'message',
          role: 'user',
          parts: [{ kind: 'data', data: { a: 40, b: 2 } }],
          metadata: { skill: 'sum', task: 'add' },
        },
        configuration: { blocking: true },
      },
    });
  });

  test('a 1.0 card gets SendMessage, and a 1.0 task answer is read', async () => {
    const server = await loopback((req) =>
      req.method === 'GET'
        ? {
            body: {
              name: 'x',
              supportedInterfaces: [
                {
                  url: `http://127.0.0.1:${server.port}/`,
                  protocolBinding: 'JSONRPC',
                  protocolVersion: '1.0',
                },
              ],
              skills: [{ id: 'sum' }],
            },
          }
        : {
            body: {
              jsonrpc: '2.0',
              id: req.body.id,
              result: {
                task: {
                  id: 't',
                  status: { state: 'TASK_STATE_COMPLETED' },
                  artifacts: [{ artifactId: 'a', parts: [{ data: { total: 42 } }] }],
                },
              },
            },
          },
    );
    const caller = callerFor([{ name: 'adder', card: server.url }]);
    expect(await caller.call('sum', 'add 40 and 2', { taskPath: 'add', run: runInfo() })).toEqual({
      output: { total: 42 },
      agent: 'adder',
    });
    expect(server.received[1].body).toMatchObject({
      method: 'SendMessage',
      params: { message: { role: 'ROLE_USER', parts: [{ text: 'add 40 and 2' }] } },
    });
    expect(server.received[1].headers['a2a-version']).toBe('1.0');
  });

  test('a failed task and a JSON-RPC error are AgentErrors', async () => {
    let mode = 'failed';
    const server = await loopback((req) => {
      if (req.method === 'GET')
        return { body: { url: `http://127.0.0.1:${server.port}/`, skills: [{ id: 's' }] } };
      if (mode === 'failed') {
        return {
          body: {
            jsonrpc: '2.0',
            id: 1,
            result: {
              kind: 'task',
              id: 't',
              status: { state: 'failed', message: { parts: [{ kind: 'text', text: 'model refused' }] } },
            },
          },
        };
      }
      return { body: { jsonrpc: '2.0', id: 1, error: { code: -32602, message: 'bad params' } } };
    });
    const caller = callerFor([{ name: 'x', card: server.url }]);
    const fail = (p: Promise<unknown>) =>
      p.then(
        () => undefined,
        (e: ApplicationFailure) => e,
      );
    expect(await fail(caller.call('s', {}, { taskPath: 't', run: runInfo() }))).toMatchObject({
      type: 'AgentError',
      nonRetryable: true,
      message: "agent 'x' (skill 's') answered 200 with an error: TaskFailed: model refused",
    });
    mode = 'rpc-error';
    expect(await fail(caller.call('s', {}, { taskPath: 't', run: runInfo() }))).toMatchObject({
      type: 'AgentError',
      nonRetryable: true,
      message: expect.stringContaining('JsonRpc-32602: bad params'),
    });
  });

  test('a card that does not come within the agent timeout: unreachable; cancellation aborts the fetch', async () => {
    const slow = await loopback(() => ({
      delayMs: 3_000,
      body: { url: 'http://127.0.0.1:9/', skills: [{ id: 's' }] },
    }));
    const caller = callerFor([{ name: 'slow', card: slow.url, timeout: '200ms' }]);
    const e = await caller
      .call('s', {}, { taskPath: 't', run: runInfo() })
      .catch((err: ApplicationFailure) => err);
    expect(e).toMatchObject({ type: 'AgentUnavailable', message: expect.stringContaining('slow (') });
    expect((e as Error).message).toMatch(/: agent card: no answer within 200ms$/);

    const patient = callerFor([{ name: 'slow', card: slow.url }]);
    const run = runInfo();
    setTimeout(() => run.abort(), 100);
    const started = Date.now();
    await expect(patient.call('s', {}, { taskPath: 't', run })).rejects.toThrow('cancelled by the test');
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  test('a card that cannot be read makes its agent unreachable: fail over, or AgentUnavailable when none is left', async () => {
    const dead = await deadUrl();
    const backup = await loopback(() => ({ body: { output: 'from backup' } }));
    const caller = callerFor([
      { name: 'carded', card: dead },
      { name: 'backup', url: backup.url, skills: ['s'], priority: 1 },
    ]);
    expect(await caller.call('s', {}, { taskPath: 't', run: runInfo() })).toEqual({
      output: 'from backup',
      agent: 'backup',
    });
    const alone = callerFor([{ name: 'carded', card: dead }]);
    const e = await alone
      .call('s', {}, { taskPath: 't', run: runInfo() })
      .catch((err: ApplicationFailure) => err);
    expect(e).toMatchObject({ type: 'AgentUnavailable', nonRetryable: false });
    expect((e as Error).message).toMatch(
      /^no agent with skill 's' in agents\.yaml could be reached: carded \(http:\/\/127\.0\.0\.1:\d+\/\.well-known\/agent-card\.json\): agent card: connect ECONNREFUSED/,
    );
  });
});
