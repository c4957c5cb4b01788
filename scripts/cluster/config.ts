/**
 * The Temporal server config of the test cluster (`--env cluster`), as a value: the same settings as
 * the compose stack's `temporalio/server` image (docker-compose.yml: PostgreSQL 12+ plugin, user
 * `temporal`, databases `temporal` and `temporal_visibility`, 4 history shards, the dynamic config
 * file deploy/temporal/dynamicconfig/flowstate.yaml), with each service on ports of its own.
 * test/unit/deploy/cluster-config.test.ts checks that the two agree.
 */
import path from 'node:path';

export const SERVICES = ['history', 'matching', 'frontend', 'worker'] as const;
export type ServiceName = (typeof SERVICES)[number];

export interface ServicePorts {
  grpc: number;
  membership: number;
  /** frontend only: the HTTP API. */
  http?: number;
}

export interface ClusterConfigInput {
  /** The address every service binds to and announces (127.0.0.1, or the bridge IP the workers' namespaces reach). */
  host: string;
  ports: Record<ServiceName, ServicePorts>;
  postgres: { host: string; port: number; user: string; password: string };
  /** Absolute path of the dynamic config file. */
  dynamicConfigFile: string;
}

/** The compose stack's values this config repeats (the temporalio/server image's defaults for them). */
export const CLUSTER_DEFAULTS = {
  plugin: 'postgres12',
  user: 'temporal',
  password: 'temporal',
  database: 'temporal',
  visibilityDatabase: 'temporal_visibility',
  numHistoryShards: 4,
  dynamicConfigFile: 'deploy/temporal/dynamicconfig/flowstate.yaml',
} as const;

/** The repository's dynamic config file, the one docker-compose.yml mounts. */
export function repoDynamicConfigFile(root: string): string {
  return path.join(root, CLUSTER_DEFAULTS.dynamicConfigFile);
}

/** The server config (JSON is YAML, so it is written as JSON to `<root>/config/cluster.yaml`). */
export function clusterConfig(input: ClusterConfigInput): Record<string, unknown> {
  const { host, ports, postgres } = input;
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: CLUSTER_DEFAULTS.plugin,
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: postgres.user,
      password: postgres.password,
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const frontend = `${host}:${ports.frontend.grpc}`;
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'default',
      visibilityStore: 'visibility',
      numHistoryShards: CLUSTER_DEFAULTS.numHistoryShards,
      datastores: {
        default: store(CLUSTER_DEFAULTS.database, 20),
        visibility: store(CLUSTER_DEFAULTS.visibilityDatabase, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: host } },
    services: Object.fromEntries(
      Object.entries(ports).map(([name, p]) => [
        name,
        {
          rpc: {
            grpcPort: p.grpc,
            membershipPort: p.membership,
            bindOnIP: host,
            ...(p.http ? { httpPort: p.http } : {}),
          },
        },
      ]),
    ),
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: { enabled: true, initialFailoverVersion: 1, rpcName: 'frontend', rpcAddress: frontend },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
    publicClient: { hostPort: frontend },
    dynamicConfigClient: { filepath: input.dynamicConfigFile, pollInterval: '10s' },
  };
}
