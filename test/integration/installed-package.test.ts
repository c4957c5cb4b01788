/**
 * The user's path (DESIGN.md section 7): the package as `npm pack` makes it, installed into a new
 * project, then used as a user would: `npx flowstate` (validate, a worker, run --wait past a gate,
 * status, approve, result), `node_modules/.bin/flowstate`, `require('flowstate')` from plain JS, and
 * `import ... from 'flowstate'` type-checked against the installed types. Everything runs as processes
 * against the harness's dev server.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const taskQueue = `installed-package-${randomUUID().slice(0, 8)}`;
let tmp = '';
let project = '';
let worker: ChildProcess | undefined;

jest.setTimeout(600_000);

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment of a user's shell: the harness's server, this file's queue, no npm_* of the outer npm. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.toLowerCase().startsWith('npm_')) env[k] = v;
  return {
    ...env,
    TEMPORAL_ADDRESS: process.env.FLOWSTATE_TEST_ADDRESS,
    FLOWSTATE_TASK_QUEUE: taskQueue,
    FLOWSTATE_LOG_LEVEL: 'warn',
  };
}

function sh(command: string, args: string[], cwd = project): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) =>
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const npx = (...args: string[]) => sh('npx', ['--no-install', 'flowstate', ...args]);

const { compiledIsCurrent } = require('../../bin/compiled') as { compiledIsCurrent(): boolean };

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-installed-'));
  // `npm pack` builds dist/ (the `prepare` script); when dist/ is already current, skip the rebuild so
  // other tests running the bin meanwhile never see dist/ half written.
  const current = compiledIsCurrent();
  const packed = await sh(
    'npm',
    ['pack', '--pack-destination', tmp, ...(current ? ['--ignore-scripts'] : [])],
    ROOT,
  );
  expect(packed).toMatchObject({ code: 0 });
  const tarball = path.join(tmp, packed.stdout.trim().split('\n').pop()!);
  project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  expect(await sh('npm', ['init', '-y'])).toMatchObject({ code: 0 });
  const installed = await sh('npm', ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund']);
  expect(installed).toMatchObject({ code: 0 });
  // The user's own definitions, in the user's project.
  for (const f of ['hello.yaml', 'document-approval.yaml'])
    fs.copyFileSync(path.join(ROOT, 'definitions', f), path.join(project, f));
});

afterAll(async () => {
  // npx runs the worker as its child: signal the whole process group, or the worker outlives the
  // test holding Jest's stderr pipe, and Jest never exits.
  if (worker?.pid !== undefined) {
    const group = -worker.pid;
    const exited = new Promise((r) => worker!.once('exit', r));
    const alive = () => {
      try {
        process.kill(group, 0);
        return true;
      } catch {
        return false;
      }
    };
    if (alive()) process.kill(group, 'SIGTERM');
    if (worker.exitCode === null && worker.signalCode === null) await exited;
    for (let waited = 0; alive() && waited < 10_000; waited += 100)
      await new Promise((r) => setTimeout(r, 100));
    if (alive()) process.kill(group, 'SIGKILL');
  }
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

test('the tarball holds the compiled CLI, the schema and the server script, not the sources', () => {
  const pkg = path.join(project, 'node_modules/flowstate');
  for (const f of [
    'bin/flowstate.js',
    'dist/src/cli/index.js',
    'dist/src/index.d.ts',
    'flowstate.schema.json',
    'scripts/temporal-cli.sh',
  ])
    expect(fs.existsSync(path.join(pkg, f))).toBe(true);
  expect(fs.existsSync(path.join(pkg, 'src'))).toBe(false);
  expect(fs.existsSync(path.join(pkg, 'test'))).toBe(false);
});

test('npx flowstate --version, validate, and node_modules/.bin/flowstate --help', async () => {
  const version = await npx('--version');
  expect(version).toEqual({ code: 0, stdout: '0.1.0\n', stderr: '' });
  const valid = await npx('validate', 'hello.yaml');
  expect(valid.code).toBe(0);
  expect(valid.stdout).toContain('ok hello.yaml (hello@1.0.0, 3 tasks)');
  const help = await sh(path.join(project, 'node_modules/.bin/flowstate'), ['--help']);
  expect(help.code).toBe(0);
  expect(help.stdout).toContain('Usage: flowstate');
});

test('a worker from the package runs a definition past a gate: run --wait, status, approve, result', async () => {
  worker = spawn('npx', ['--no-install', 'flowstate', 'worker'], {
    cwd: project,
    env: { ...userEnv(), FLOWSTATE_LOG_LEVEL: 'info' },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    worker!.stderr!.on('data', (d) => {
      log = (log + d).slice(-20_000);
      if (log.includes('"msg":"worker running"')) resolve();
    });
    worker!.once('exit', (code) => reject(new Error(`the worker exited with ${code}: ${log}`)));
  });

  const id = `installed-${randomUUID().slice(0, 8)}`;
  const waited = sh('npx', [
    '--no-install',
    'flowstate',
    'run',
    'document-approval.yaml',
    '--input',
    '{"title":"Installed"}',
    '--id',
    id,
    '--wait',
  ]);
  let status: Ran = { code: -1, stdout: '', stderr: '' };
  for (let i = 0; i < 120 && !status.stdout.includes('waiting_acceptance'); i++) {
    status = await npx('status', id);
    if (!status.stdout.includes('waiting_acceptance')) await new Promise((r) => setTimeout(r, 500));
  }
  expect(status.code).toBe(0);
  expect(status.stdout).toContain('gate draft is waiting for a decision');

  const approved = await npx('approve', id, '--gate', 'draft', '--by', 'editor');
  expect(approved.code).toBe(0);
  expect(approved.stdout).toContain('draft: approved by editor');

  const finished = await waited;
  expect(finished.code).toBe(0);
  const result = await npx('result', id);
  expect(result.code).toBe(0);
  expect(JSON.parse(result.stdout)).toEqual(JSON.parse(finished.stdout));
});

test('plain JS requires the library API', async () => {
  fs.writeFileSync(
    path.join(project, 'use.js'),
    `const { FlowstateClient, defineTool, createWorker, loadFile } = require('flowstate');
const tool = defineTool({ name: 'hi', run: () => 'hi' });
console.log([typeof FlowstateClient, typeof createWorker, typeof loadFile, tool.name].join(' '));
`,
  );
  const ran = await sh(process.execPath, ['use.js']);
  expect(ran).toMatchObject({ code: 0, stdout: 'function function function hi\n' });
  const kit = await sh(process.execPath, ['-e', "console.log(typeof require('flowstate/testkit').TestKit)"]);
  expect(kit).toMatchObject({ code: 0, stdout: 'function\n' });
});

test('TypeScript type-checks against the installed types, and a wrong call is caught', async () => {
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      // skipLibCheck as `tsc --init` sets it: the Temporal SDK's own .d.ts files need @types/node and @types/ms.
      compilerOptions: {
        strict: true,
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2022',
        noEmit: true,
        types: [],
        skipLibCheck: true,
      },
      files: ['use.ts'],
    }),
  );
  const tsc = path.join(ROOT, 'node_modules/.bin/tsc');
  fs.writeFileSync(
    path.join(project, 'use.ts'),
    `import { z } from 'zod';
import { FlowstateClient, defineTool, createWorker, type RunState } from 'flowstate';
export const tool = defineTool({ name: 'hi', input: z.object({ who: z.string() }), run: ({ who }) => \`hi \${who}\` });
export async function statusOf(client: FlowstateClient, id: string): Promise<RunState['status']> {
  return (await client.state(id)).status;
}
export const start: typeof createWorker = createWorker;
`,
  );
  expect(await sh(tsc, ['-p', '.'])).toMatchObject({ code: 0, stdout: '' });
  fs.writeFileSync(
    path.join(project, 'use.ts'),
    `import { z } from 'zod';\nimport { defineTool } from 'flowstate';\ndefineTool({ name: 42, input: z.object({}), run: () => 1 });\n`,
  );
  const wrong = await sh(tsc, ['-p', '.']);
  expect(wrong.code).not.toBe(0);
  expect(wrong.stdout).toMatch(
    /use\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/,
  );
});
