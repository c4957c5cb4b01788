/**
 * A production-shaped Temporal cluster on this machine, without Docker: PostgreSQL in a folder of
 * the run, both schemas migrated by deploy/scripts/setup-schema.sh (the compose stack's own script),
 * and the four Temporal services (history, matching, frontend, worker) as separate processes, each
 * on free ports of its own, reading the dynamic config docker-compose.yml mounts. `startCluster`
 * stops everything it started (and only that) when it fails half way, on `stop()`, and when this
 * process exits.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { freePort, portAnswers } from '../../src/server/free-port';
import { ensureSearchAttributes } from '../../src/server/search-attributes';
import { pollUntil } from '../../src/testkit/poll';
import {
  clusterConfig,
  repoDynamicConfigFile,
  CLUSTER_DEFAULTS,
  SERVICES,
  type ServiceName,
  type ServicePorts,
} from './config';
import { createPostgres, type Postgres } from './postgres';

const ROOT = path.resolve(__dirname, '../..');

export interface ClusterOptions {
  /** The run folder (config, PostgreSQL data, logs); default: a new temporary folder. */
  dir?: string;
  /** The address services bind to and announce; default 127.0.0.1 (a network's bridge IP for workers in namespaces). */
  host?: string;
  namespace?: string;
  /** Progress lines; default: stderr. */
  log?: (line: string) => void;
}

export interface ServiceProcess {
  name: ServiceName;
  ports: ServicePorts;
  child: ChildProcess;
}

export interface Cluster {
  dir: string;
  /** The frontend's gRPC address, `host:port`. */
  address: string;
  host: string;
  namespace: string;
  postgres: Postgres;
  services: Record<ServiceName, ServiceProcess>;
  /** SIGTERM one service process, wait for it to exit, start it again; resolves when it listens again (ms it was away). */
  restartService(name: ServiceName): Promise<number>;
  /** `pg_ctl stop -m fast` then start again (ms it was away). */
  restartPostgres(): Promise<number>;
  /** Stop the services and PostgreSQL; the run folder stays (logs). */
  stop(): Promise<void>;
}

/** The folder holding temporal-server, temporal-sql-tool and schema/ (built on first use: minutes). */
export function ensureTemporalServer(): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/cluster/temporal-server.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

const live = new Set<ChildProcess>();
const livePostgres = new Set<Postgres>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const cleanup = () => {
    for (const child of live) child.kill('SIGKILL');
    for (const pg of livePostgres) {
      const pid = pg.pid();
      if (pid) spawnSync('kill', ['-QUIT', String(pid)]); // immediate shutdown of that postmaster only
    }
  };
  process.once('exit', cleanup);
  // A signal ends the process without 'exit' handlers when nobody listens for it: clean up first.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    if (process.listenerCount(signal) === 0)
      process.once(signal, () => {
        cleanup();
        process.exit(128 + (signal === 'SIGINT' ? 2 : signal === 'SIGTERM' ? 15 : 1));
      });
}

/**
 * A free TCP port on `host` below 32768: Temporal stores membership ports in a PostgreSQL smallint,
 * so the kernel's ephemeral range (what `freePort` gets) does not fit. Ports are drawn below that
 * range when the machine leaves room there, so no outgoing connection (the services' own database
 * connections) can take one between this probe and the service's bind.
 */
export async function freeLowPort(host: string): Promise<number> {
  const [low, high] = lowPortRange();
  for (let tries = 0; tries < 100; tries++) {
    const port = low + Math.floor(Math.random() * (high - low));
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once('error', () => resolve(false));
      server.listen(port, host, () => server.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error(`no free port below 32768 on ${host}`);
}

/** [low, high) for `freeLowPort`: 20000 up to the ephemeral range's start (or 32768), at least 2,000 ports wide. */
export function lowPortRange(
  ephemeral: string | undefined = readFile('/proc/sys/net/ipv4/ip_local_port_range'),
): [number, number] {
  const start = Number(ephemeral?.trim().split(/\s+/)[0]);
  const high = Number.isInteger(start) && start > 0 ? Math.min(start, 32_768) : 32_768;
  return high - 20_000 >= 2_000 ? [20_000, high] : [20_000, 32_768];
}

function readFile(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function stopChild(child: ChildProcess, graceMs = 20_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
  live.delete(child);
}

const START_ATTEMPTS = 3;

/** Distinct free ports for every service (gRPC, membership, and the frontend's HTTP API). */
async function pickPorts(host: string): Promise<Record<ServiceName, ServicePorts>> {
  const taken = new Set<number>();
  const next = async () => {
    for (;;) {
      const port = await freeLowPort(host);
      if (!taken.has(port)) {
        taken.add(port);
        return port;
      }
    }
  };
  const ports = {} as Record<ServiceName, ServicePorts>;
  for (const name of SERVICES)
    ports[name] = {
      grpc: await next(),
      membership: await next(),
      ...(name === 'frontend' ? { http: await next() } : {}),
    };
  return ports;
}

/** The message and error of the last fatal (or error) line a service logged, so a failure says why. */
export function lastFatal(logFile: string): string | undefined {
  let text: string;
  try {
    text = fs.readFileSync(logFile, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n').filter((l) => /"level":"(fatal|dpanic|panic)"|^panic:/.test(l));
  const last =
    lines.at(-1) ??
    text
      .split('\n')
      .filter((l) => /"level":"error"/.test(l))
      .at(-1);
  if (!last) return undefined;
  try {
    const entry = JSON.parse(last) as { msg?: string; error?: string };
    return [entry.msg, entry.error].filter(Boolean).join(': ').slice(0, 500);
  } catch {
    return last.slice(0, 500);
  }
}

/** Start PostgreSQL and the four Temporal services, register the namespace and Flowstate's search attributes. */
export async function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  const log = options.log ?? ((line: string) => process.stderr.write(`cluster: ${line}\n`));
  const started = Date.now();
  const host = options.host ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-cluster-'));
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const serverDir = ensureTemporalServer();
  installExitHook();

  const services = {} as Record<ServiceName, ServiceProcess>;
  let postgres: Postgres | undefined;
  const stopAll = async () => {
    await Promise.all(Object.values(services).map((s) => stopChild(s.child)));
    if (postgres?.pid()) postgres.stop();
    if (postgres) livePostgres.delete(postgres);
  };
  const spawnService = (name: ServiceName, ports: ServicePorts): ServiceProcess => {
    const out = fs.openSync(path.join(dir, 'logs', `${name}.log`), 'a');
    const args = [
      '--root',
      dir,
      '--config',
      'config',
      '--env',
      'cluster',
      '--allow-no-auth',
      'start',
      '--service',
      name,
    ];
    const child = spawn(path.join(serverDir, 'temporal-server'), args, { stdio: ['ignore', out, out] });
    fs.closeSync(out);
    live.add(child);
    child.once('exit', () => live.delete(child));
    return { name, ports, child };
  };
  const waitListening = (name: ServiceName) =>
    pollUntil(
      async () => {
        const s = services[name];
        if (s.child.exitCode !== null || s.child.signalCode !== null) {
          const logFile = path.join(dir, 'logs', `${name}.log`);
          const why = lastFatal(logFile);
          throw new Error(
            `the ${name} service exited (${s.child.exitCode ?? s.child.signalCode})${why ? `: ${why}` : ''}; see ${logFile}`,
          );
        }
        // The worker service opens no gRPC port of its own: its membership port says it is up.
        const port = name === 'worker' ? s.ports.membership : s.ports.grpc;
        return (await portAnswers(host, port)) || undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 100,
        what: `the ${name} service on ${host}:${services[name].ports.grpc}`,
      },
    );
  const launchServices = async (ports: Record<ServiceName, ServicePorts>) => {
    const config = clusterConfig({
      host,
      ports,
      postgres: postgres!,
      dynamicConfigFile: repoDynamicConfigFile(ROOT),
    });
    fs.mkdirSync(path.join(dir, 'config'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'config/cluster.yaml'), JSON.stringify(config, null, 2));
    // Each service writes the cluster metadata as it starts (with a version check): on a new
    // database, four at once race, and the losers exit ("SaveClusterMetadata encountered version
    // mismatch"). History starts first; the others follow once it listens.
    const [first, ...rest] = SERVICES;
    services[first] = spawnService(first, ports[first]);
    await waitListening(first);
    for (const name of rest) services[name] = spawnService(name, ports[name]);
    await Promise.all(rest.map(waitListening));
  };
  try {
    postgres = createPostgres(dir, await freePort(), log);
    livePostgres.add(postgres);
    log(`PostgreSQL on 127.0.0.1:${postgres.port} (${Date.now() - started} ms)`);
    execFileSync('sh', [path.join(ROOT, 'deploy/scripts/setup-schema.sh')], {
      env: {
        ...process.env,
        POSTGRES_SEEDS: postgres.host,
        DB_PORT: String(postgres.port),
        POSTGRES_USER: postgres.user,
        POSTGRES_PWD: postgres.password,
        TEMPORAL_SQL_TOOL: path.join(serverDir, 'temporal-sql-tool'),
        TEMPORAL_SCHEMA_DIR: path.join(serverDir, 'schema/postgresql/v12'),
      },
      stdio: ['ignore', fs.openSync(path.join(dir, 'logs/schema.log'), 'a'), 'pipe'],
    });
    log(`schemas migrated (${Date.now() - started} ms)`);

    // A service that still exits while starting (a port taken between the probe and its bind, a
    // failed membership join) is started again on fresh ports, after the dead members are cleared.
    let ports = await pickPorts(host);
    for (let attempt = 1; ; attempt++) {
      try {
        await launchServices(ports);
        break;
      } catch (e) {
        await Promise.all(Object.values(services).map((s) => stopChild(s.child)));
        if (attempt >= START_ATTEMPTS) throw e;
        log(
          `${(e as Error).message}; starting the services again on fresh ports (${attempt + 1}/${START_ATTEMPTS})`,
        );
        postgres.sql(CLUSTER_DEFAULTS.database, 'DELETE FROM cluster_membership');
        ports = await pickPorts(host);
      }
    }
    const address = `${host}:${services.frontend.ports.grpc}`;
    log(`services listening, frontend on ${address} (${Date.now() - started} ms)`);

    const connection = await Connection.connect({ address });
    try {
      await registerNamespace(connection, namespace);
      await retryNotFound(() => ensureSearchAttributes(connection, namespace));
    } finally {
      await connection.close();
    }
    log(
      `namespace ${namespace} ready with Flowstate's search attributes (${Date.now() - started} ms); logs in ${dir}/logs`,
    );

    const pg = postgres;
    return {
      dir,
      address,
      host,
      namespace,
      postgres: pg,
      services,
      async restartService(name) {
        const t0 = Date.now();
        await stopChild(services[name].child);
        services[name] = spawnService(name, services[name].ports);
        await waitListening(name);
        return Date.now() - t0;
      },
      async restartPostgres() {
        const t0 = Date.now();
        pg.stop();
        pg.start();
        return Date.now() - t0;
      },
      stop: stopAll,
    };
  } catch (e) {
    await stopAll();
    throw e;
  }
}

async function registerNamespace(connection: Connection, namespace: string): Promise<void> {
  await pollUntil(
    async () => {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        return true;
      } catch {
        try {
          await connection.workflowService.registerNamespace({
            namespace,
            workflowExecutionRetentionPeriod: msToTs('72h'),
          });
          return true;
        } catch (e) {
          if (/already exists|AlreadyExists/i.test(String(e))) return true;
          return undefined; // the frontend is still joining the cluster
        }
      }
    },
    { timeoutMs: 120_000, intervalMs: 250, what: `namespace ${namespace} to be registered` },
  );
}

/** Right after a namespace is created, other calls say it is not found for a moment: retry them. */
async function retryNotFound<T>(fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      return await fn();
    } catch (e) {
      if (Date.now() > deadline || !/not found/i.test(String(e))) throw e;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
