import fs from 'node:fs';
import path from 'node:path';
import {
  parseAgentsFile,
  readAgentsFile,
  cardUrl,
  AgentRegistryError,
  DEFAULT_AGENT_TIMEOUT_MS,
  agentsFromEnv,
  HttpAgentCaller,
} from '../../../src/agents';
import { EXAMPLE_AGENTS, exampleRegistryYaml } from '../../../examples/agents';
import { agentsFile } from './loopback';

const EXAMPLE_FILE = path.resolve(__dirname, '../../../examples/agents.yaml');

/** The problems an invalid file is reported with. */
function problems(text: string, file = 'agents.yaml'): string[] {
  try {
    parseAgentsFile(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(AgentRegistryError);
    expect((e as Error).message).toContain(`invalid agents file ${file}:`);
    return [...(e as AgentRegistryError).problems];
  }
  throw new Error('expected the agents file to be rejected');
}

describe('agents file', () => {
  test('reads entries with defaults: priority 0, the file timeout, file order, protocol by kind', () => {
    const file = parseAgentsFile(
      `timeout: 5s
agents:
  - { name: a, url: "http://127.0.0.1:1/", skills: [x, y], priority: 2 }
  - { name: b, url: "http://127.0.0.1:2/run", skills: [x], timeout: 250ms, headers: { authorization: Bearer t } }
  - { name: c, card: "http://127.0.0.1:3" }
  - { name: d, card: "http://127.0.0.1:4/cards/d.json", skills: [x], protocol: flowstate, url: "http://127.0.0.1:4/" }
`,
      'f.yaml',
    );
    expect(file.file).toBe('f.yaml');
    expect(file.agents).toEqual([
      {
        name: 'a',
        url: 'http://127.0.0.1:1/',
        skills: ['x', 'y'],
        priority: 2,
        timeoutMs: 5_000,
        protocol: 'flowstate',
        headers: {},
        order: 0,
      },
      {
        name: 'b',
        url: 'http://127.0.0.1:2/run',
        skills: ['x'],
        priority: 0,
        timeoutMs: 250,
        protocol: 'flowstate',
        headers: { authorization: 'Bearer t' },
        order: 1,
      },
      {
        name: 'c',
        card: 'http://127.0.0.1:3/.well-known/agent-card.json',
        priority: 0,
        timeoutMs: 5_000,
        protocol: 'a2a',
        headers: {},
        order: 2,
      },
      {
        name: 'd',
        url: 'http://127.0.0.1:4/',
        card: 'http://127.0.0.1:4/cards/d.json',
        skills: ['x'],
        priority: 0,
        timeoutMs: 5_000,
        protocol: 'flowstate',
        headers: {},
        order: 3,
      },
    ]);
  });

  test('JSON works too, and the default per-call timeout is 60s', () => {
    const file = parseAgentsFile(
      JSON.stringify({ agents: [{ name: 'a', url: 'http://h/', skills: ['x'] }] }),
      'agents.json',
    );
    expect(file.agents[0].timeoutMs).toBe(DEFAULT_AGENT_TIMEOUT_MS);
  });

  test('every problem is reported, each with file:line:col and the path', () => {
    const text = `agents:
  - name: a
    url: ftp://example.com/
    skills: [x]
  - name: b
    url: http://127.0.0.1:1/
  - name: c
    card: http://127.0.0.1:2
    colour: blue
  - name: d
    skills: [x]
    timeout: soon
  - name: e
    url: http://127.0.0.1:1/
    skills: []
`;
    expect(problems(text)).toEqual([
      'agents.yaml:3:10: agents[0].url: expected an http(s) URL, e.g. http://127.0.0.1:4101/',
      "agents.yaml:5:5: agents[1].skills: agent 'b' needs skills: [...] (only card entries read them from the agent)",
      "agents.yaml:9:5: agents[2].colour: unknown field 'colour'",
      'agents.yaml:12:14: agents[3].timeout: expected a duration such as 250ms, 30s, 5m, 2h or 7d',
      'agents.yaml:10:5: agents[3].url: an agent needs url (with skills) or card (an A2A agent card)',
      'agents.yaml:15:13: agents[4].skills: list at least one skill',
    ]);
  });

  test('duplicate names, bad names, YAML syntax and an empty file', () => {
    expect(
      problems(
        'agents:\n  - { name: a, url: "http://x/", skills: [x] }\n  - name: a\n    url: http://x/\n    skills: [y]\n',
        'dup.yaml',
      ),
    ).toEqual(["dup.yaml:3:11: agents[1].name: agent name 'a' is already used by agents[0]"]);
    expect(problems('agents:\n  - { name: "bad name", url: "http://x/", skills: [x] }\n')).toEqual([
      'agents.yaml:2:13: agents[0].name: expected an agent name: letters, digits, ., _ or -',
    ]);
    expect(problems('agents: [ {name: a', 'syn.yaml')[0]).toMatch(/^syn\.yaml:1:\d+: YAML syntax: /);
    expect(problems('', 'empty.yaml')).toEqual([
      'empty.yaml:1:1: agents: expected a list of agents, e.g. agents: [{ name: a, url: http://127.0.0.1:4101/, skills: [plan] }]',
    ]);
  });

  test('a missing file names the file', () => {
    expect(() => readAgentsFile('/nonexistent/agents.yaml')).toThrow(
      /invalid agents file \/nonexistent\/agents\.yaml:\n {2}\/nonexistent\/agents\.yaml: cannot read the agents file: ENOENT/,
    );
  });

  test('cardUrl: a base URL gets the well-known path, a .json URL is kept', () => {
    expect(cardUrl('http://h:1')).toBe('http://h:1/.well-known/agent-card.json');
    expect(cardUrl('http://h:1/agents/x/')).toBe('http://h:1/agents/x/.well-known/agent-card.json');
    expect(cardUrl('http://h:1/my-card.json')).toBe('http://h:1/my-card.json');
  });
});

describe('examples/agents.yaml', () => {
  test('is valid and lists exactly the example agents on the ports serve.ts uses', () => {
    const urls = Object.fromEntries(EXAMPLE_AGENTS.map((a) => [a.name, `http://127.0.0.1:${a.port}`]));
    expect(fs.readFileSync(EXAMPLE_FILE, 'utf8')).toBe(exampleRegistryYaml(urls));
    const file = readAgentsFile(EXAMPLE_FILE);
    expect(file.agents.map((a) => a.name)).toEqual(EXAMPLE_AGENTS.map((a) => a.name));
  });
});

describe('agentsFromEnv', () => {
  test('undefined without FLOWSTATE_AGENTS; a caller over the file with it', () => {
    expect(agentsFromEnv({})).toBeUndefined();
    const caller = agentsFromEnv({ FLOWSTATE_AGENTS: EXAMPLE_FILE });
    expect(caller).toBeInstanceOf(HttpAgentCaller);
    expect((caller as HttpAgentCaller).registry.file).toBe(EXAMPLE_FILE);
  });
  test('an invalid file throws at once, so a worker does not start with it', () => {
    const file = agentsFile('agents:\n  - { name: a, url: "http://x/" }\n');
    expect(() => agentsFromEnv({ FLOWSTATE_AGENTS: file })).toThrow(
      `${file}:2:5: agents[0].skills: agent 'a' needs skills`,
    );
  });
});
