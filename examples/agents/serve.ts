/**
 * Run the example agents from a terminal, on the fixed ports of `examples/agents.yaml`:
 *
 *   npx tsx examples/agents/serve.ts            # all of them; Ctrl-C stops them
 *   FLOWSTATE_AGENTS=examples/agents.yaml npx flowstate worker
 *
 * `--free-ports` picks free ports instead and prints the agents file it wrote.
 */
import { EXAMPLE_AGENTS, startExampleAgents } from './index';

async function main(): Promise<void> {
  const free = process.argv.includes('--free-ports');
  const ports = free ? {} : Object.fromEntries(EXAMPLE_AGENTS.map((a) => [a.name, a.port]));
  const running = await startExampleAgents({ ports, log: true });
  for (const a of Object.values(running.agents))
    console.log(
      `${a.name.padEnd(20)} ${a.url}  (${EXAMPLE_AGENTS.find((s) => s.name === a.name)!
        .skills.map((s) => s.id)
        .join(', ')})`,
    );
  console.log(`\nAgents file: ${free ? running.registryFile : 'examples/agents.yaml'}`);
  console.log(
    `Run a worker with: FLOWSTATE_AGENTS=${free ? running.registryFile : 'examples/agents.yaml'} npx flowstate worker`,
  );
  const stop = () => void running.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((e) => {
  console.error(`example agents: ${(e as Error).message}`);
  process.exit(1);
});
