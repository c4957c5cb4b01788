/**
 * The example agents behind `code-generation`, `smart-router` and `parallel-analysis-agents`: small
 * deterministic HTTP services on loopback. `startExampleAgents()` starts them all on free ports and
 * writes an agents file listing them (tests, `npm start`); `examples/agents/serve.ts` runs them from a
 * terminal on the fixed ports of `examples/agents.yaml`.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serveAgent, type AgentServer } from './http-server';
import * as skills from './skills';
import type { Skill } from './skills';

/** One example agent: its skills, its port under `serve.ts`, how the agents file lists it. */
export interface ExampleAgentSpec {
  name: string;
  skills: Skill[];
  /** Port in `examples/agents.yaml` (what `serve.ts` listens on). */
  port: number;
  /** Registry priority (lower is tried first). */
  priority?: number;
  /** Listed by its A2A agent card (`card:`) instead of `url:` + `skills:`; called over A2A JSON-RPC. */
  card?: boolean;
}

export const EXAMPLE_AGENTS: readonly ExampleAgentSpec[] = [
  { name: 'planner', skills: [skills.plan], port: 4101 },
  { name: 'coder', skills: [skills.generateCode], port: 4102 },
  { name: 'reviewer', skills: [skills.reviewCode], port: 4103 },
  { name: 'classifier', skills: [skills.classifyRequest], port: 4104 },
  { name: 'code-specialist', skills: [skills.codeHelp], port: 4105 },
  { name: 'bug-specialist', skills: [skills.bugTriage], port: 4106 },
  { name: 'docs-specialist', skills: [skills.docsHelp], port: 4107 },
  { name: 'generalist', skills: [skills.generalHelp], port: 4108, card: true },
  // Two agents with one skill: the backup answers when the primary cannot be reached.
  { name: 'security-primary', skills: [skills.securityAnalysis], port: 4109, priority: 0 },
  { name: 'security-backup', skills: [skills.securityAnalysis], port: 4110, priority: 1 },
  { name: 'style-analyser', skills: [skills.styleAnalysis], port: 4111 },
  { name: 'dependency-auditor', skills: [skills.dependencyAudit], port: 4112 },
];

/** The agents file (YAML text) listing the example agents at `urls` (name → base URL). */
export function exampleRegistryYaml(urls: Record<string, string>): string {
  const lines = [
    '# The example agents of examples/agents. Start them with `npx tsx examples/agents/serve.ts`, then',
    '# run a worker with FLOWSTATE_AGENTS=examples/agents.yaml. Real agents plug in by URL.',
    'timeout: 30s',
    'agents:',
  ];
  for (const a of EXAMPLE_AGENTS) {
    const url = urls[a.name];
    if (!url) throw new Error(`no URL for example agent '${a.name}'`);
    if (a.card)
      lines.push('  # An A2A agent: skills and endpoint come from its /.well-known/agent-card.json.');
    if (a.priority === 0)
      lines.push(
        '  # Two agents have security-analysis: the primary first, the backup when it cannot be reached.',
      );
    lines.push(`  - name: ${a.name}`);
    if (a.card) lines.push(`    card: ${url}`);
    else lines.push(`    url: ${url}/`, `    skills: [${a.skills.map((s) => s.id).join(', ')}]`);
    if (a.priority !== undefined) lines.push(`    priority: ${a.priority}`);
  }
  return `${lines.join('\n')}\n`;
}

export interface ExampleAgents {
  /** The agents file listing them (in a temp folder): give it to FLOWSTATE_AGENTS or `createAgentCaller`. */
  registryFile: string;
  /** Running agents by name (a restarted agent is replaced here). */
  agents: Record<string, AgentServer>;
  /** Stop one agent (its port stays in the agents file: calls to it are refused). */
  stopAgent(name: string): Promise<void>;
  /** Start a stopped agent again, on the same port. */
  startAgent(name: string): Promise<AgentServer>;
  /** Stop every agent and delete the agents file. */
  stop(): Promise<void>;
}

/** Start every example agent on loopback (free ports unless `ports` says) and write their agents file. */
export async function startExampleAgents(
  options: { ports?: Partial<Record<string, number>>; host?: string; log?: boolean } = {},
): Promise<ExampleAgents> {
  const host = options.host ?? '127.0.0.1';
  const specs = new Map(EXAMPLE_AGENTS.map((a) => [a.name, a]));
  const agents: Record<string, AgentServer> = {};
  const start = (spec: ExampleAgentSpec, port: number) =>
    serveAgent({
      name: spec.name,
      skills: spec.skills,
      port,
      host,
      ...(options.log
        ? { onCall: (c) => console.log(`${spec.name}: ${c.skill} for ${c.task ?? '?'} (${c.protocol})`) }
        : {}),
    });
  const stopAll = async () => {
    await Promise.all(Object.values(agents).map((a) => a.close()));
    for (const name of Object.keys(agents)) delete agents[name];
  };
  try {
    for (const spec of EXAMPLE_AGENTS) agents[spec.name] = await start(spec, options.ports?.[spec.name] ?? 0);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const ports = Object.fromEntries(Object.values(agents).map((a) => [a.name, a.port]));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-agents-'));
  const registryFile = path.join(dir, 'agents.yaml');
  fs.writeFileSync(
    registryFile,
    exampleRegistryYaml(Object.fromEntries(Object.values(agents).map((a) => [a.name, a.url]))),
  );
  return {
    registryFile,
    agents,
    async stopAgent(name) {
      const agent = agents[name];
      if (!agent) throw new Error(`example agent '${name}' is not running`);
      delete agents[name];
      await agent.close();
    },
    async startAgent(name) {
      const spec = specs.get(name);
      if (!spec) throw new Error(`no example agent '${name}'`);
      if (agents[name]) return agents[name];
      return (agents[name] = await start(spec, ports[name]));
    },
    async stop() {
      await stopAll();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export { serveAgent, type AgentServer, type ReceivedCall } from './http-server';
export * as skills from './skills';
