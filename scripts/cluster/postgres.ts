/**
 * A PostgreSQL 15 cluster in a folder of the test run, on a free port, for Temporal's two databases.
 * `initdb` and the server run as the `postgres` user when this process is root (PostgreSQL refuses
 * root); the Debian package is installed when `initdb` is missing.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface Postgres {
  host: string;
  port: number;
  user: string;
  password: string;
  dataDir: string;
  /** `pg_ctl start`, waiting until it accepts connections. */
  start(): void;
  /** `pg_ctl stop -m fast` (clients are disconnected, the data is flushed). */
  stop(): void;
  /** The postmaster's pid while it runs. */
  pid(): number | undefined;
  /** Run one SQL statement in `database` with psql (as `temporal`). */
  sql(database: string, statement: string): void;
}

const PG_BIN_DIRS = [
  '/usr/lib/postgresql/15/bin',
  '/usr/lib/postgresql/16/bin',
  '/usr/lib/postgresql/17/bin',
];

/** The folder holding `initdb` and `pg_ctl` (installing Debian's postgresql-15 when root and missing). */
export function postgresBinDir(log: (line: string) => void = () => {}): string {
  const found = () => {
    const dir = PG_BIN_DIRS.find((d) => fs.existsSync(path.join(d, 'initdb')));
    if (dir) return dir;
    const which = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
    return which.status === 0 ? path.dirname(fs.realpathSync(which.stdout.trim())) : undefined;
  };
  const dir = found();
  if (dir) return dir;
  if (process.getuid?.() !== 0)
    throw new Error(
      'PostgreSQL is not installed (no initdb in /usr/lib/postgresql/*/bin or on PATH): install it, e.g. `sudo apt-get install postgresql-15`',
    );
  log('installing PostgreSQL 15 (apt-get install postgresql-15)...');
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'postgresql-15'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  const installed = found();
  if (!installed) throw new Error('apt-get installed postgresql-15 but initdb is still missing');
  return installed;
}

/** Runs a PostgreSQL program, as `postgres` when root. */
function pgRun(bin: string, program: string, args: string[]): void {
  const root = process.getuid?.() === 0;
  const cmd = root ? 'runuser' : path.join(bin, program);
  const argv = root ? ['-u', 'postgres', '--', path.join(bin, program), ...args] : args;
  const r = spawnSync(cmd, argv, { encoding: 'utf8', cwd: '/' });
  if (r.status !== 0)
    throw new Error(
      `${program} ${args.join(' ')} failed (${r.status ?? r.signal}): ${`${r.stdout}${r.stderr}`.trim().slice(-2000)}`,
    );
}

/**
 * The first folder above `dir` that a user other than its owner cannot pass through (no `o+x`), so
 * the `postgres` user could not reach the data folder; undefined when all of them can be passed.
 */
export function unreachableAncestor(dir: string): { folder: string; mode: string } | undefined {
  let folder = path.dirname(path.resolve(dir));
  for (;;) {
    const mode = fs.statSync(folder).mode & 0o777;
    if ((mode & 0o001) === 0) return { folder, mode: mode.toString(8).padStart(4, '0') };
    const parent = path.dirname(folder);
    if (parent === folder) return undefined;
    folder = parent;
  }
}

/** initdb a data folder under `dir` and start PostgreSQL on 127.0.0.1:`port` (trust auth, user `temporal`). */
export function createPostgres(dir: string, port: number, log: (line: string) => void = () => {}): Postgres {
  const bin = postgresBinDir(log);
  const dataDir = path.join(dir, 'pgdata');
  const logFile = path.join(dir, 'logs', 'postgres.log');
  fs.mkdirSync(dataDir, { recursive: true });
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
  fs.writeFileSync(logFile, '');
  if (process.getuid?.() === 0) {
    // The postgres user must reach its folders through the run folder and every folder above it.
    const closed = unreachableAncestor(dir);
    if (closed)
      throw new Error(
        `PostgreSQL runs as the postgres user, which cannot pass through ${closed.folder} (mode ${closed.mode}): put the cluster folder elsewhere, or \`chmod o+x ${closed.folder}\``,
      );
    fs.chmodSync(dir, 0o755);
    execFileSync('chown', ['-R', 'postgres', dataDir, logFile]);
  }
  pgRun(bin, 'initdb', ['-D', dataDir, '-U', 'temporal', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const options = [
    `-p ${port}`,
    `-k ${dataDir}`,
    '-c listen_addresses=127.0.0.1',
    // Four services with up to 22 connections each, plus the schema tool.
    '-c max_connections=200',
  ].join(' ');
  const pg: Postgres = {
    host: '127.0.0.1',
    port,
    user: 'temporal',
    password: 'temporal',
    dataDir,
    start: () =>
      pgRun(bin, 'pg_ctl', ['start', '-w', '-t', '120', '-D', dataDir, '-l', logFile, '-o', options]),
    stop: () => pgRun(bin, 'pg_ctl', ['stop', '-w', '-t', '120', '-D', dataDir, '-m', 'fast']),
    sql: (database, statement) =>
      pgRun(bin, 'psql', [
        '-h',
        '127.0.0.1',
        '-p',
        String(port),
        '-U',
        'temporal',
        '-d',
        database,
        '-v',
        'ON_ERROR_STOP=1',
        '-c',
        statement,
      ]),
    pid: () => {
      const file = path.join(dataDir, 'postmaster.pid');
      if (!fs.existsSync(file)) return undefined;
      const pid = Number(fs.readFileSync(file, 'utf8').split('\n')[0]);
      return Number.isInteger(pid) && pid > 0 ? pid : undefined;
    },
  };
  pg.start();
  return pg;
}
