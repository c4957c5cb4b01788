/**
 * `npm start [-- <example | file> [--input JSON]]`: the main job in one command. Ensures the Temporal
 * CLI, starts the dev server unless one answers on TEMPORAL_ADDRESS, starts a worker, runs an
 * example definition to completion, prints its result and the Web UI link to the run, and shuts
 * down what it started (Ctrl-C too).
 */
import fs from 'node:fs';
import path from 'node:path';
import { FlowstateClient, settingsFromEnv } from '../src/client';
import { exitCodeFor } from '../src/cli/exit-codes';
import { exampleNames, loadForRun } from '../src/client/definitions';
import { progressLine } from '../src/cli/format';
import { startDevServer, type DevServer } from '../src/server/dev-server';
import { portAnswers } from '../src/server/free-port';
import { exampleTools } from '../examples/tools';
import { createWorkerFromEnv } from '../src/worker-main';
import { logger } from '../src/logging';
import { agentsFromEnv, createAgentCaller, usesAgents } from '../src/agents';
import { startExampleAgents } from '../examples/agents';

const ROOT = path.resolve(__dirname, '..');

function parseArgs(argv: string[]): { target: string; input?: string } {
  let target = 'hello';
  let input: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--input') input = argv[++i];
    else target = argv[i];
  }
  return { target, input };
}

/** `hello` → definitions/hello.yaml, with definitions/hello.input.json as its input when present. */
function resolveExample(target: string): { file: string; inputFile?: string } {
  const file = fs.existsSync(target) ? target : path.join(ROOT, 'definitions', `${target}.yaml`);
  if (!fs.existsSync(file)) {
    const names = exampleNames(path.join(ROOT, 'definitions'));
    throw new Error(`no definition '${target}': give a file or one of ${names.join(', ')}`);
  }
  const inputFile = file.replace(/\.ya?ml$/, '.input.json');
  return { file, ...(fs.existsSync(inputFile) ? { inputFile } : {}) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const example = resolveExample(args.target);
  const input = args.input !== undefined ? JSON.parse(args.input) : example.inputFile ? JSON.parse(fs.readFileSync(example.inputFile, 'utf8')) : {};
  const definition = await loadForRun(example.file);
  if (!process.env.FLOWSTATE_LOG_LEVEL) logger.level = 'warn';

  const settings = settingsFromEnv();
  let server: DevServer | undefined;
  let uiBase = process.env.FLOWSTATE_UI_URL ?? 'http://localhost:8233';
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));

  try {
    if (!process.env.TEMPORAL_ADDRESS && !(await portAnswers('127.0.0.1', 7233))) {
      console.log('Starting the Temporal dev server (.flowstate/temporal.db, Web UI on :8233)...');
      server = await startDevServer({ dbFile: path.join(ROOT, '.flowstate', 'temporal.db'), port: 7233, uiPort: 8233 });
      cleanups.push(() => server!.stop());
      settings.address = server.address;
      uiBase = server.uiUrl ?? uiBase;
    } else {
      console.log(`Using the Temporal server at ${settings.address}.`);
    }
    let agents = agentsFromEnv();
    if (!agents && usesAgents(definition)) {
      console.log('Starting the example agents (examples/agents) on loopback...');
      const examples = await startExampleAgents();
      cleanups.push(() => examples.stop());
      agents = createAgentCaller(examples.registryFile);
    }
    // The same wiring as `flowstate worker` (logs, metrics, tracing, encryption, webhook).
    const { worker, close } = await createWorkerFromEnv({ settings, tools: exampleTools, ...(agents ? { agents } : {}) });
    cleanups.push(close);
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const client = await FlowstateClient.connect(settings);
    cleanups.push(() => client.close());

    console.log(`Running ${path.relative(process.cwd(), example.file)} (${definition.id}@${definition.version}) with input ${JSON.stringify(input)}`);
    const run = await client.start(definition, input);
    const result = client.result(run.workflowId);
    let last = '';
    const poll = setInterval(() => {
      client.state(run.workflowId).then((s) => {
        const line = progressLine(s);
        if (line !== last) console.log(`  ${(last = line)}`);
      }, () => undefined);
    }, 300);
    try {
      const { output } = await result;
      console.log('\nResult:');
      console.log(JSON.stringify(output, null, 2));
    } finally {
      clearInterval(poll);
      console.log(`\nWeb UI: ${uiBase}/namespaces/${settings.namespace}/workflows/${run.workflowId}/${run.runId}/history`);
    }
    if (server && process.stdin.isTTY) {
      // Keep the UI up so the link opens; the worker is no longer needed.
      await cleanups.splice(1).reverse().reduce((p, c) => p.then(c), Promise.resolve());
      console.log('The dev server keeps running so the link opens; Ctrl-C stops it.');
      await new Promise<void>((resolve) => server!.process.once('exit', () => resolve()));
    } else if (server) {
      console.log("(The dev server stops now; 'npm run server' serves this run again from .flowstate/temporal.db.)");
    }
  } finally {
    await cleanup();
  }
}

main().catch((e) => {
  const { code, message } = exitCodeFor(e);
  console.error(`flowstate: ${message}`);
  process.exit(code || 1);
});
