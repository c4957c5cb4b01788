/**
 * `npx tsx scripts/cluster/up.ts [--dir DIR] [--bridge]`: stand the PostgreSQL-backed Temporal cluster
 * up, print its address, and keep it until Ctrl-C (then stop everything it started). `--bridge` puts
 * the services on a bridge address that worker network namespaces reach (root only).
 */
import { startCluster } from './cluster';
import { createNetwork, netnsUnavailable, type Network } from './netns';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const dirAt = args.indexOf('--dir');
  let network: Network | undefined;
  if (args.includes('--bridge')) {
    const why = netnsUnavailable();
    if (why) throw new Error(`--bridge: ${why}`);
    network = createNetwork();
  }
  const state: { cluster?: Awaited<ReturnType<typeof startCluster>> } = {};
  // Registered before the cluster starts: a Ctrl-C half way still removes the network (the services
  // and PostgreSQL are stopped by the cluster's exit hook).
  const stop = async () => {
    await state.cluster?.stop();
    network?.destroy();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
  const cluster = await startCluster({
    ...(dirAt >= 0 ? { dir: args[dirAt + 1] } : {}),
    ...(network ? { host: network.gatewayIp } : {}),
  }).catch((e) => {
    network?.destroy();
    throw e;
  });
  state.cluster = cluster;
  process.stdout.write(`TEMPORAL_ADDRESS=${cluster.address}\n`);
}

main().catch((e) => {
  process.stderr.write(`cluster: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
