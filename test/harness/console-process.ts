/**
 * `flowstate console` as a user runs it: the bin in a process group of its own (killed as a group at
 * the end), on a free port, serving a page built from the current sources into a folder of the test.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../src/server/free-port';

const ROOT = path.resolve(__dirname, '../..');

/** A running console process. */
export interface ConsoleProcess {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Build the console's page from src/console/web into `outDir` (Vite, as `npm run build:console`). */
export function buildConsolePage(outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [
        path.join(ROOT, 'node_modules/vite/bin/vite.js'),
        'build',
        '--config',
        'src/console/web/vite.config.mjs',
      ],
      { cwd: ROOT, env: { ...process.env, FLOWSTATE_CONSOLE_OUT: outDir }, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error || !fs.existsSync(path.join(outDir, 'index.html')))
          reject(
            new Error(`vite build of the console failed: ${error?.message ?? ''}\n${stderr.slice(-3000)}`),
          );
        else resolve();
      },
    );
  });
}

/**
 * Build the page from the current sources into a new folder of the test run, then start the console
 * serving it (`FLOWSTATE_CONSOLE_ASSETS`) with `env`.
 */
export async function startConsoleOnFreshPage(env: NodeJS.ProcessEnv): Promise<ConsoleProcess> {
  const assets = fs.mkdtempSync(path.join(process.env.FLOWSTATE_TEST_DIR ?? os.tmpdir(), 'console-page-'));
  await buildConsolePage(assets);
  return startConsoleProcess({ ...env, FLOWSTATE_CONSOLE_ASSETS: assets });
}

/** Start `flowstate console --port <free>` with `env`; resolves once it prints its URL. */
export async function startConsoleProcess(env: NodeJS.ProcessEnv): Promise<ConsoleProcess> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'bin/flowstate.js'), 'console', '--port', String(port)],
    {
      cwd: ROOT,
      env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let log = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`console did not start within 60 s:\n${log}`)), 60_000);
    const read = (d: Buffer) => {
      log += d.toString();
      const m = /Flowstate console: (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`console exited with ${code} before listening:\n${log}`));
    });
  });
  return {
    url,
    child,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, 'SIGTERM');
      await exited;
    },
  };
}
