/**
 * The embedded default: the Temporal CLI dev server (SQLite file, Web UI), started as a child
 * process on chosen or free ports, with Flowstate's search attributes registered, its dispatch pace
 * (dynamic-config.ts) and, on a file, SQLite's write-ahead log.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ensureTemporalCli } from './temporal-cli';
import { freePort } from './free-port';
import { ensureSearchAttributes } from './search-attributes';
import { DEV_SERVER_DYNAMIC_CONFIG, dynamicConfigFlags, type DynamicConfig } from './dynamic-config';
import { SEARCH_ATTRIBUTES } from '../workflows/api';

export interface DevServerOptions {
  /** gRPC port; default: a free one. */
  port?: number;
  /** Web UI port; default: a free one. `ui: false` runs headless. */
  uiPort?: number;
  ui?: boolean;
  /** SQLite file so runs survive a restart; default: in memory. */
  dbFile?: string;
  namespace?: string;
  /** How long to wait for the server to answer. */
  startTimeoutMs?: number;
  /** Where the server's own log goes; default: discarded (the tail is kept for errors). */
  logFile?: string;
  /** The server's dynamic config values; default: DEV_SERVER_DYNAMIC_CONFIG (replaced, not merged). */
  dynamicConfig?: DynamicConfig;
}

/** What `devServerArgs` needs: the ports and database already chosen. */
export interface DevServerArgsOptions {
  port: number;
  /** undefined: headless. */
  uiPort?: number;
  namespace: string;
  dbFile?: string;
  /** Register Flowstate's search attributes with flags (a fresh database). */
  searchAttributes: boolean;
  dynamicConfig: DynamicConfig;
}

export interface DevServer {
  address: string;
  namespace: string;
  /** Base URL of the Web UI, when it runs. */
  uiUrl?: string;
  process: ChildProcess;
  /** Stop the server (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
}

/**
 * The SQLite settings of a dev server on a file (`flowstate server`, `npm start`): a write-ahead log,
 * synced at checkpoints instead of at every commit. SQLite's default (a rollback journal synced on
 * every commit) made a parallel of 1,000 echo tasks take 14-17 s here, against 4-5 s in memory and
 * 4-5 s with these; 20 tasks in sequence 825 ms against 382 ms. A run survives a crash or kill of the
 * server as before (the log is written before a commit returns); only a crash of the machine itself
 * (power, kernel) may lose the last commits (docs/operations.md, "The embedded server's pace").
 */
export const SQLITE_PRAGMAS: Readonly<Record<string, string>> = {
  journal_mode: 'wal',
  synchronous: 'normal',
};

/** Start `temporal server start-dev` and wait until it answers. */
export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const cli = await ensureTemporalCli();
  const port = options.port ?? (await freePort());
  const ui = options.ui ?? true;
  const uiPort = ui ? (options.uiPort ?? (await freePort())) : undefined;
  const namespace = options.namespace ?? 'default';
  if (options.dbFile) fs.mkdirSync(path.dirname(options.dbFile), { recursive: true });
  const args = devServerArgs({
    port,
    uiPort,
    namespace,
    dbFile: options.dbFile,
    // A fresh database gets the search attributes here; an existing one through ensureSearchAttributes.
    searchAttributes: !options.dbFile || !fs.existsSync(options.dbFile),
    dynamicConfig: options.dynamicConfig ?? DEV_SERVER_DYNAMIC_CONFIG,
  });
  const log = options.logFile ? fs.openSync(options.logFile, 'a') : 'ignore';
  const child = spawn(cli, args, { stdio: ['ignore', log, 'pipe'], detached: false });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const address = `127.0.0.1:${port}`;
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code, signal) =>
      reject(
        new Error(
          `the Temporal dev server exited (${signal ?? code}) before answering on ${address}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
        ),
      ),
    ),
  );
  const stop = () => stopProcess(child);
  try {
    const connection = await Promise.race([waitForServer(address, options.startTimeoutMs ?? 60_000), exited]);
    try {
      await ensureSearchAttributes(connection, namespace);
    } finally {
      await connection.close();
    }
  } catch (e) {
    await stop();
    throw e;
  }
  exited.catch(() => undefined);
  return {
    address,
    namespace,
    uiUrl: uiPort ? `http://127.0.0.1:${uiPort}` : undefined,
    process: child,
    stop,
  };
}

/** The arguments of `temporal server start-dev` (pure: no ports chosen, no files touched). */
export function devServerArgs(o: DevServerArgsOptions): string[] {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(o.port)];
  args.push('--namespace', o.namespace, '--log-level', 'warn');
  if (o.uiPort !== undefined) args.push('--ui-port', String(o.uiPort));
  else args.push('--headless');
  if (o.dbFile) {
    args.push('--db-filename', o.dbFile);
    for (const [pragma, value] of Object.entries(SQLITE_PRAGMAS))
      args.push('--sqlite-pragma', `${pragma}=${value}`);
  }
  if (o.searchAttributes) {
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      args.push('--search-attribute', `${name}=${type}`);
    }
  }
  return [...args, ...dynamicConfigFlags(o.dynamicConfig)];
}

async function waitForServer(address: string, timeoutMs: number): Promise<Connection> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1_000 });
      await connection.workflowService.getSystemInfo({});
      return connection;
    } catch (e) {
      if (Date.now() > deadline) {
        throw new Error(
          `the Temporal dev server did not answer on ${address} within ${timeoutMs} ms: ${(e as Error).message}`,
          { cause: e },
        );
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
