/**
 * `npm start [-- <example | file> [--input JSON]]`: the main job in one command. Ensures the Temporal
 * CLI, starts the dev server unless one answers on TEMPORAL_ADDRESS (on its port, when it names this
 * machine; default 127.0.0.1:7233), starts a worker, runs an
 * example definition to completion, prints its result and the Web UI link to the run, and shuts
 * down what it started (Ctrl-C too). In a terminal, when it started the dev server, it keeps the
 * server and the console (`flowstate console`, :8234) up so both links open; otherwise it prints
 * how to start the console.
 */
import fs from 'node:fs';
import path from 'node:path';
import { FlowstateClient, settingsFromEnv } from '../src/client';
import { ConnectionError, splitAddress, uiPortFor, webUiUrl } from '../src/connection';
import { exitCodeFor } from '../src/cli/exit-codes';
import { exampleNames, loadForRun } from '../src/client/definitions';
import { progressLine } from '../src/cli/format';
import { startDevServer, type DevServer } from '../src/server/dev-server';
import { portAnswers } from '../src/server/free-port';
import { exampleTools } from '../examples/tools';
import { createWorkerFromEnv } from '../src/worker-main';
import { startConsole } from '../src/console/server';
import { builtinTaskTypes } from '../src/orchestrators/registry';
import { logger } from '../src/logging';
import { agentsFromEnv, createAgentCaller, usesAgents } from '../src/agents';
import { startExampleAgents } from '../examples/agents';

const ROOT = path.resolve(__dirname, '..');

/** Names of this machine in TEMPORAL_ADDRESS: the dev server (on 127.0.0.1) can be started for them. */
const LOOPBACK = new Set(['localhost', '127.0.0.1', '0.0.0.0']);

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
  const input =
    args.input !== undefined
      ? JSON.parse(args.input)
      : example.inputFile
        ? JSON.parse(fs.readFileSync(example.inputFile, 'utf8'))
        : {};
  const definition = await loadForRun(example.file);
  if (!process.env.FLOWSTATE_LOG_LEVEL) logger.level = 'warn';

  const settings = settingsFromEnv();
  const target = splitAddress(settings.address);
  let server: DevServer | undefined;
  let uiBase = webUiUrl(settings.address);
  const cleanups: Array<() => Promise<void>> = [];
  const cleanup = async () => {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    cleanups.length = 0;
  };
  process.once('SIGINT', () => void cleanup().then(() => process.exit(130)));
  process.once('SIGTERM', () => void cleanup().then(() => process.exit(143)));

  try {
    const local = LOOPBACK.has(target.host);
    if (await portAnswers(local ? '127.0.0.1' : target.host, target.port, 2_000)) {
      console.log(`Using the Temporal server at ${settings.address}.`);
    } else if (local) {
      // Nothing on this machine's port (TEMPORAL_ADDRESS's, else 7233): start a dev server there.
      const uiPort = uiPortFor(target.port);
      console.log(
        `Starting the Temporal dev server on 127.0.0.1:${target.port} (.flowstate/temporal.db, Web UI on :${uiPort})...`,
      );
      server = await startDevServer({
        dbFile: path.join(ROOT, '.flowstate', 'temporal.db'),
        port: target.port,
        uiPort,
      });
      cleanups.push(() => server!.stop());
      settings.address = server.address;
      uiBase = process.env.FLOWSTATE_UI_URL ? uiBase : (server.uiUrl ?? uiBase);
    } else {
      throw new ConnectionError(
        `nothing answers at ${settings.address} (TEMPORAL_ADDRESS): start that server, or unset TEMPORAL_ADDRESS and 'npm start' runs a dev server on this machine`,
      );
    }
    let agents = agentsFromEnv();
    if (!agents && usesAgents(definition)) {
      console.log('Starting the example agents (examples/agents) on loopback...');
      const examples = await startExampleAgents();
      cleanups.push(() => examples.stop());
      agents = createAgentCaller(examples.registryFile);
    }
    // The same wiring as `flowstate worker` (logs, metrics, tracing, encryption, webhook).
    const { worker, close } = await createWorkerFromEnv({
      settings,
      tools: exampleTools,
      ...(agents ? { agents } : {}),
    });
    cleanups.push(close);
    const running = worker.run();
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    });
    const client = await FlowstateClient.connect(settings);
    cleanups.push(() => client.close());

    console.log(
      `Running ${path.relative(process.cwd(), example.file)} (${definition.id}@${definition.version}) with input ${JSON.stringify(input)}`,
    );
    const run = await client.start(definition, input);
    const result = client.result(run.workflowId);
    let last = '';
    // One progress query at a time, awaited before the client closes (a query retried on a closed
    // channel throws from a timer and kills the process).
    let polling: Promise<void> | undefined;
    const poll = setInterval(() => {
      polling ??= client
        .state(run.workflowId)
        .then(
          (s) => {
            const line = progressLine(s);
            if (line !== last) console.log(`  ${(last = line)}`);
          },
          () => undefined,
        )
        .finally(() => (polling = undefined));
    }, 300);
    try {
      const { output } = await result;
      console.log('\nResult:');
      console.log(JSON.stringify(output, null, 2));
    } finally {
      clearInterval(poll);
      await polling;
      console.log(
        `\nWeb UI: ${uiBase}/namespaces/${settings.namespace}/workflows/${run.workflowId}/${run.runId}/history`,
      );
    }
    if (server && process.stdin.isTTY) {
      // Keep the dev server up so the links open, and the worker too: the console's run page reads
      // the run's state through a query, which only a worker answers, finished run or not. The
      // console starts on 8234, or a free port when that one is taken.
      const options = { host: '127.0.0.1', settings, types: builtinTaskTypes() };
      const web = await startConsole({ ...options, port: 8234 }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'EADDRINUSE') return startConsole({ ...options, port: 0 });
        throw e;
      });
      cleanups.push(() => web.close());
      console.log(`Console: ${web.url}/runs/${run.workflowId}`);
      console.log('The dev server and the worker keep running so the links open; Ctrl-C stops them.');
      await new Promise<void>((resolve) => server!.process.once('exit', () => resolve()));
    } else {
      console.log(
        `Console: run 'npx flowstate console' (with this TEMPORAL_ADDRESS), then open http://127.0.0.1:8234/runs/${run.workflowId}`,
      );
    }
    if (server && !process.stdin.isTTY) {
      console.log(
        "(The dev server stops now; 'npm run server' serves this run again from .flowstate/temporal.db.)",
      );
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
