/**
 * The cluster tests' harness, for every test that needs the PostgreSQL-backed Temporal cluster of
 * scripts/cluster: start and stop it (with worker "hosts" in network namespaces when this machine
 * allows them), start Flowstate workers as processes on a host or not, with extra environment, kill,
 * partition and heal them, read their memory, and write the figures a test measured.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startCluster, type Cluster } from '../../scripts/cluster/cluster';
import { createNetwork, netnsUnavailable, type Host, type Network } from '../../scripts/cluster/netns';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';

export type { Cluster, Host, Network };

export interface TestCluster {
  cluster: Cluster;
  /** Worker hosts' network; undefined when namespaces are unavailable (see `netnsSkipReason`). */
  network?: Network;
  /** Why there are no worker hosts (partition tests skip with this message). */
  netnsSkipReason?: string;
  stop(): Promise<void>;
}

/** Start the cluster; with `hosts: true`, on a bridge that worker namespaces reach (when root). */
export async function startTestCluster(
  options: { hosts?: boolean; dir?: string } = {},
): Promise<TestCluster> {
  const netnsSkipReason = options.hosts ? netnsUnavailable() : 'no worker hosts asked for';
  const network = options.hosts && !netnsSkipReason ? createNetwork() : undefined;
  try {
    const cluster = await startCluster({
      ...(network ? { host: network.gatewayIp } : {}),
      ...(options.dir ? { dir: options.dir } : {}),
    });
    return {
      cluster,
      ...(network ? { network } : { netnsSkipReason }),
      stop: async () => {
        await cluster.stop();
        network?.destroy();
      },
    };
  } catch (e) {
    network?.destroy();
    throw e;
  }
}

export interface ClusterWorker extends WorkerProcess {
  pid: number;
  /** Its network host, when it runs in a namespace. */
  host?: Host;
  /** Resident memory of the worker process and its children (MB). */
  rssMb(): number;
}

/** A `flowstate worker` process on the cluster, on a host of its own when `host` is given. */
export async function startClusterWorker(
  cluster: Cluster,
  options: { taskQueue: string; host?: Host; toolModules?: string[]; env?: NodeJS.ProcessEnv },
): Promise<ClusterWorker> {
  const w = await spawnWorker({
    address: cluster.address,
    taskQueue: options.taskQueue,
    ...(options.toolModules ? { toolModules: options.toolModules } : {}),
    ...(options.env ? { env: options.env } : {}),
    ...(options.host ? { netns: options.host.ns } : {}),
  });
  const pid = w.child.pid!;
  return { ...w, pid, ...(options.host ? { host: options.host } : {}), rssMb: () => rssMb(pid) };
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

/** Resident memory (MB) of a process and its direct children (the expression box's evaluators). */
export function rssMb(pid: number): number {
  let kb = rssKb(pid);
  try {
    for (const task of fs.readdirSync(`/proc/${pid}/task`))
      for (const child of fs
        .readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8')
        .split(/\s+/)
        .filter(Boolean))
        kb += rssKb(Number(child));
  } catch {
    // the process is gone
  }
  return Math.round(kb / 102.4) / 10;
}

/** Print a test's figures and write them to `<FLOWSTATE_CLUSTER_OUT or the cluster folder>/<name>.json`. */
export function report(cluster: Cluster, name: string, figures: Record<string, unknown>): string {
  const dir = process.env.FLOWSTATE_CLUSTER_OUT ?? path.join(cluster.dir, 'results');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  process.stdout.write(`\n[cluster figures] ${name}: ${JSON.stringify(figures)}\n  (written to ${file})\n`);
  return file;
}

/** Median and max of a list of numbers (0 for an empty list). */
export function spread(values: number[]): { n: number; median: number; max: number } {
  const sorted = [...values].sort((a, b) => a - b);
  return { n: sorted.length, median: sorted[Math.floor(sorted.length / 2)] ?? 0, max: sorted.at(-1) ?? 0 };
}
