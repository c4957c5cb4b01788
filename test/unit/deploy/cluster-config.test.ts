/**
 * The test cluster (scripts/cluster) and the compose stack (docker-compose.yml, deploy/) are one
 * configuration: the same database plugin, user, password, databases and shard count, the same
 * dynamic config file, and the same schema script.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import {
  CLUSTER_DEFAULTS,
  clusterConfig,
  repoDynamicConfigFile,
  SERVICES,
} from '../../../scripts/cluster/config';

const ROOT = path.resolve(__dirname, '../../..');
const compose = parse(fs.readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')) as {
  'x-postgres-env': Record<string, string>;
  services: Record<string, { environment?: Record<string, string>; volumes?: string[] }>;
};

const config = clusterConfig({
  host: '10.0.0.1',
  ports: {
    history: { grpc: 1, membership: 2 },
    matching: { grpc: 3, membership: 4 },
    frontend: { grpc: 5, membership: 6, http: 7 },
    worker: { grpc: 8, membership: 9 },
  },
  postgres: { host: '127.0.0.1', port: 5432, user: 'temporal', password: 'temporal' },
  dynamicConfigFile: repoDynamicConfigFile(ROOT),
}) as any;

test('the database settings are the compose stack’s', () => {
  const env = compose['x-postgres-env'];
  expect(env.DB).toBe(CLUSTER_DEFAULTS.plugin);
  expect(env.POSTGRES_USER).toBe(CLUSTER_DEFAULTS.user);
  expect(env.POSTGRES_PWD).toBe(`\${POSTGRES_PASSWORD:-${CLUSTER_DEFAULTS.password}}`);
  const stores = Object.values(config.persistence.datastores) as Array<{ sql: Record<string, unknown> }>;
  expect(stores.map((s) => s.sql.pluginName)).toEqual([CLUSTER_DEFAULTS.plugin, CLUSTER_DEFAULTS.plugin]);
  expect(stores.map((s) => s.sql.databaseName)).toEqual([
    CLUSTER_DEFAULTS.database,
    CLUSTER_DEFAULTS.visibilityDatabase,
  ]);
  // The image's default shard count (NUM_HISTORY_SHARDS unset in docker-compose.yml).
  expect(JSON.stringify(compose)).not.toMatch(/NUM_HISTORY_SHARDS/);
  expect(config.persistence.numHistoryShards).toBe(4);
});

test('the schema script creates the databases the config names', () => {
  const script = fs.readFileSync(path.join(ROOT, 'deploy/scripts/setup-schema.sh'), 'utf8');
  expect(script).toContain(
    `${CLUSTER_DEFAULTS.database}:temporal ${CLUSTER_DEFAULTS.visibilityDatabase}:visibility`,
  );
});

test('the dynamic config is the file the compose server mounts', () => {
  const temporal = compose.services.temporal!;
  expect(temporal.volumes).toContain('./deploy/temporal/dynamicconfig:/etc/temporal/config/dynamicconfig:ro');
  expect(temporal.environment!.DYNAMIC_CONFIG_FILE_PATH).toBe(
    `config/dynamicconfig/${path.basename(CLUSTER_DEFAULTS.dynamicConfigFile)}`,
  );
  expect(config.dynamicConfigClient.filepath).toBe(path.join(ROOT, CLUSTER_DEFAULTS.dynamicConfigFile));
});

test('each service binds its own ports on the host the workers reach', () => {
  expect(Object.keys(config.services).sort()).toEqual([...SERVICES].sort());
  const ports = Object.values(config.services).flatMap((s: any) => [
    s.rpc.grpcPort,
    s.rpc.membershipPort,
    s.rpc.httpPort,
  ]);
  const given = ports.filter((p) => p !== undefined);
  expect(new Set(given).size).toBe(given.length);
  for (const s of Object.values(config.services) as any[]) expect(s.rpc.bindOnIP).toBe('10.0.0.1');
  expect(config.publicClient.hostPort).toBe('10.0.0.1:5');
});
