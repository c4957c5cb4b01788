/**
 * Docs that run: every command of the fenced bash/sh blocks of README.md and docs/*.md is run as a
 * user would run it, and must exit 0; every `--flag` the docs give a `flowstate` command (in blocks
 * and in inline code) must be in that command's `--help`. A failure names the doc, line and command.
 *
 * How a command runs (the conventions, in one place):
 * - Through bash, in a scratch copy of the project (package.json, bin, src, definitions, examples,
 *   scripts and a link to node_modules), so files a command writes stay out of the repo. `npx
 *   flowstate` runs the project's bin as npm does in a clone (linked into npx's cache, after the
 *   project's `prepare` build); a bare `flowstate` is that bin on PATH (as after a global install).
 * - TEMPORAL_ADDRESS is the harness's dev server. FLOWSTATE_TASK_QUEUE is the queue of a worker this
 *   test starts, unless the block starts a worker of its own (`flowstate worker`, `npm start`): then
 *   the block gets a queue of its own, served by that worker.
 * - `export NAME=value` lines are evaluated once and set the environment of the block's later
 *   commands.
 * - LONG_RUNNING commands (and any ending in `&`) are started, must print their ready line, run until
 *   the end of their block, then get SIGTERM.
 * - PLACEHOLDERS: a `<name>` in a command is replaced by the value the test makes for it.
 * - SKIPPED is the one list of commands not run, each with its reason.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  extractCommands,
  flagRefs,
  helpCommands,
  helpFlags,
  placeholders,
  type DocCommand,
} from '../harness/doc-commands';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';
import { eventually } from '../harness/eventually';

const ROOT = path.resolve(__dirname, '../..');
const DOCS = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).map((f) => `docs/${f}`)].filter((f) =>
  f.endsWith('.md'),
);

/** Commands not run. `command` is the command's text exactly, or a prefix when it ends in `*`. */
const SKIPPED: Array<{ file: string; command: string; reason: string }> = [
  {
    file: 'README.md',
    command: 'npm install && npm start',
    reason: 'installs the project itself; `npm start` is run by the docs/agents.md commands',
  },
  { file: 'README.md', command: 'npm test', reason: 'runs the whole test suite, this test included' },
  {
    file: 'README.md',
    command: 'npx flowstate server',
    reason:
      'serves on the default ports 7233/8233, shared by everything on the machine; the harness dev server stands in',
  },
  {
    file: 'docs/agents.md',
    command: 'npx jest *',
    reason: 'runs this project`s own tests (jest inside jest); the unit and integration projects run them',
  },
  { file: 'docs/operations.md', command: 'docker compose *', reason: 'needs a Docker engine' },
  {
    file: 'docs/operations.md',
    command: 'TEMPORAL_ADDRESS=localhost:7233 npx flowstate run *',
    reason: 'runs against the docker compose stack of the same block',
  },
  {
    file: 'docs/operations.md',
    command: 'flowstate worker',
    reason: 'the Temporal Cloud block: needs a Cloud namespace and its API key or client certificate',
  },
  {
    file: 'docs/registry.md',
    command: 'oras *',
    reason: 'needs an OCI registry on localhost:5000 (test/registry pushes and pulls against a real one)',
  },
];

/** Commands that do not end by themselves, and the line that says they are ready. */
const LONG_RUNNING: Array<{ pattern: RegExp; ready: RegExp }> = [
  { pattern: /\bflowstate worker\b/, ready: /worker running/ },
  { pattern: /examples\/agents\/serve\.ts/, ready: /Agents file:/ },
  { pattern: /\bflowstate console\b/, ready: /Flowstate console: http/ },
];

/** `<name>` → how the test makes its value, given the block's environment. */
const PLACEHOLDERS: Record<string, (env: NodeJS.ProcessEnv) => Promise<string>> = {
  /** A document-approval run waiting at its gate `draft` (acceptors editor, chief), as README shows. */
  'workflow-id': async (env) => {
    const started = await sh(
      `node bin/flowstate.js run definitions/document-approval.yaml --input '{"title":"Docs"}'`,
      env,
    );
    if (started.code !== 0) throw new Error(`starting a run for <workflow-id> failed: ${started.stderr}`);
    const id = started.stdout.trim();
    await eventually(
      () => sh(`node bin/flowstate.js status ${id} --json`, env),
      (s) => s.code === 0 && JSON.parse(s.stdout).pending_gates?.length > 0,
      60_000,
    );
    return id;
  },
  /** A contract-review run whose subflow child waits at its gate `check` (acceptor lawyer). */
  'contract-review-id': async (env) => {
    const started = await sh(
      `node bin/flowstate.js run definitions/contract-review.yaml --input-file definitions/contract-review.input.json`,
      env,
    );
    if (started.code !== 0)
      throw new Error(`starting a run for <contract-review-id> failed: ${started.stderr}`);
    const id = started.stdout.trim();
    await eventually(
      () => sh(`node bin/flowstate.js status ${id} --json`, env),
      (s) =>
        s.code === 0 &&
        JSON.parse(s.stdout).pending_gates?.some((g: { gate: string }) => g.gate === 'review/check'),
      60_000,
    );
    return id;
  },
  /** A task path of that run with an output: its gated task `draft` has one while it waits. */
  path: async () => 'draft',
};

const COMMAND_TIMEOUT_MS = 240_000;
const READY_TIMEOUT_MS = 120_000;

let scratch: string;
let baseEnv: NodeJS.ProcessEnv;
let worker: WorkerProcess | undefined;
const testQueue = `docs-run-${randomUUID().slice(0, 8)}`;

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a bash script in the scratch project; its process group is killed on timeout. */
function sh(script: string, env: NodeJS.ProcessEnv, timeoutMs = COMMAND_TIMEOUT_MS): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      cwd: scratch,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => (stdout += d));
    child.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      stderr += `\n[docs-run: no exit within ${timeoutMs / 1000} s, killed]`;
      killGroup(child, 'SIGKILL');
    }, timeoutMs);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/** Starts a long-running command; resolves once it printed its ready line. */
function startLongRunning(script: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-o', 'pipefail', '-c', script], {
      cwd: scratch,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      reject(new Error(`not ready within ${READY_TIMEOUT_MS / 1000} s (no ${ready}): ${out.slice(-1500)}`));
    }, READY_TIMEOUT_MS);
    const onData = (d: Buffer) => {
      out = (out + d).slice(-20_000);
      if (ready.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before it was ready: ${out.slice(-1500)}`));
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

function skipOf(c: DocCommand) {
  return SKIPPED.find(
    (s) =>
      s.file === c.file &&
      (s.command.endsWith('*') ? c.text.startsWith(s.command.slice(0, -1)) : c.text === s.command),
  );
}

const longRunningOf = (c: DocCommand) => LONG_RUNNING.find((l) => l.pattern.test(c.text));
const startsWorker = (c: DocCommand) => /\bflowstate worker\b|^npm start\b/.test(c.text);
const where = (c: DocCommand) => `${c.file}:${c.line}: \`${c.text}\``;
const tail = (r: Ran) =>
  `${r.stdout.trim().split('\n').slice(-6).join('\n')}\n${r.stderr.trim().split('\n').slice(-12).join('\n')}`;

const commands = DOCS.flatMap((file) =>
  extractCommands(file, fs.readFileSync(path.join(ROOT, file), 'utf8')),
);
const blocks = [...new Set(commands.map((c) => `${c.file}:${c.block}`))].map((key) =>
  commands.filter((c) => `${c.file}:${c.block}` === key),
);

beforeAll(async () => {
  const address = process.env.FLOWSTATE_TEST_ADDRESS!;
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-docs-run-'));
  for (const entry of [
    'package.json',
    'tsconfig.json',
    // npx of a project's own bin links the project into npx's cache and runs its `prepare` (the build)
    'tsconfig.build.json',
    'flowstate.schema.json',
    'bin',
    'src',
    'definitions',
    'examples',
    'scripts',
  ])
    fs.cpSync(path.join(ROOT, entry), path.join(scratch, entry), { recursive: true });
  fs.symlinkSync(fs.realpathSync(path.join(ROOT, 'node_modules')), path.join(scratch, 'node_modules'));
  const globalBin = path.join(scratch, '.global-bin');
  fs.mkdirSync(globalBin);
  fs.symlinkSync(path.join(scratch, 'bin/flowstate.js'), path.join(globalBin, 'flowstate'));
  baseEnv = {
    ...process.env,
    PATH: `${globalBin}${path.delimiter}${process.env.PATH}`,
    TEMPORAL_ADDRESS: address,
    FLOWSTATE_TASK_QUEUE: testQueue,
  };
  worker = await spawnWorker({ address, taskQueue: testQueue });
}, 180_000);

afterAll(async () => {
  await worker?.stop();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

test('every --flag the docs give a flowstate command is in its --help', async () => {
  const cli = (args: string[]) =>
    new Promise<string>((resolve) =>
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/flowstate.js'), ...args],
        { cwd: ROOT },
        (_e, stdout) => resolve(stdout),
      ),
    );
  const top = await cli(['--help']);
  const known = helpCommands(top);
  const refs = DOCS.flatMap((file) => flagRefs(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
  const helps = new Map<string, Set<string>>([['', helpFlags(top)]]);
  const problems: string[] = [];
  for (const ref of refs) {
    for (const command of ref.command?.split('|') ?? ['']) {
      if (command && !known.has(command)) {
        problems.push(`${ref.file}:${ref.line}: \`${ref.text}\`: the CLI has no command '${command}'`);
        continue;
      }
      if (!helps.has(command)) helps.set(command, helpFlags(await cli([command, '--help'])));
      for (const flag of ref.flags)
        if (!helps.get(command)!.has(flag))
          problems.push(`${ref.file}:${ref.line}: \`${ref.text}\`: \`flowstate ${command}\` has no ${flag}`);
    }
  }
  expect(problems).toEqual([]);
}, 120_000);

test('the skip list names commands the docs have, each with a reason', () => {
  for (const s of SKIPPED) {
    expect(s.reason.length).toBeGreaterThan(10);
    expect(commands.some((c) => skipOf(c) === s)).toBe(true);
  }
});

describe.each(blocks.map((b) => [`${b[0]!.file}:${b[0]!.block}`, b] as const))(
  'the block at %s',
  (_name, block) => {
    test('runs: each command exits 0 (or is in SKIPPED)', async () => {
      const ownWorker = block.some((c) => !skipOf(c) && startsWorker(c));
      const env: NodeJS.ProcessEnv = {
        ...baseEnv,
        ...(ownWorker
          ? {
              FLOWSTATE_TASK_QUEUE: `docs-run-${path.basename(block[0]!.file, '.md')}-${randomUUID().slice(0, 8)}`,
            }
          : {}),
      };
      const values = new Map<string, string>();
      const background: ChildProcess[] = [];
      const failures: string[] = [];
      try {
        for (const c of block) {
          if (skipOf(c)) continue;
          if (c.kind === 'export') {
            const name = c.words[0]!.split('=')[0]!;
            const ran = await sh(`${c.text}\nprintf '%s' "$${name}"`, env);
            if (ran.code !== 0) failures.push(`${where(c)} exited ${ran.code}\n${tail(ran)}`);
            env[name] = ran.stdout;
            continue;
          }
          let script = c.text.replace(/\s*&$/, '');
          for (const name of placeholders(script)) {
            const make = PLACEHOLDERS[name];
            if (!make) {
              failures.push(`${where(c)}: no value for <${name}> (add it to PLACEHOLDERS)`);
              script = '';
              break;
            }
            if (!values.has(name)) values.set(name, await make(env));
            script = script.split(`<${name}>`).join(values.get(name)!);
          }
          if (!script) continue;
          const long = longRunningOf(c);
          if (long || c.background) {
            if (!long) {
              failures.push(`${where(c)}: runs in the background, but LONG_RUNNING has no ready line for it`);
              continue;
            }
            try {
              background.push(await startLongRunning(script, env, long.ready));
            } catch (e) {
              failures.push(`${where(c)}: ${(e as Error).message}`);
            }
            continue;
          }
          const ran = await sh(script, env);
          if (ran.code !== 0) failures.push(`${where(c)} exited ${ran.code}\n${tail(ran)}`);
        }
      } finally {
        for (const child of background.reverse()) await stop(child);
      }
      expect(failures).toEqual([]);
    }, 900_000);
  },
);
