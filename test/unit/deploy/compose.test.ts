/**
 * Static checks of docker-compose.yml: Docker cannot pull images on our machines, so the stack is
 * checked by reading it. Services, images, ports, environment, healthchecks, start order, scaling,
 * and that every file and variable it names exists in the repository and the code.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../../src/workflows/api';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  expose?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[]; interval?: string; retries?: number; start_period?: string };
  deploy?: { replicas?: number };
  restart?: string;
  profiles?: string[];
}

// `merge`: the file shares the PostgreSQL settings through a YAML merge key, as Compose allows.
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const services = compose.services;
const service = (name: string): Service => {
  expect(services).toHaveProperty(name);
  return services[name];
};
/** `${VAR:-default}` → `default` (what Compose uses when VAR is unset). */
const withDefaults = (value: string) => value.replace(/\$\{\w+:-([^}]*)\}/g, '$1');
const env = (s: Service, key: string) => withDefaults(String(s.environment?.[key] ?? ''));

test('the stack: PostgreSQL, schema job, Temporal server, namespace job, Web UI, workers', () => {
  expect(Object.keys(services)).toEqual(
    expect.arrayContaining([
      'postgresql',
      'temporal-schema',
      'temporal',
      'temporal-setup',
      'temporal-ui',
      'worker',
    ]),
  );
});

test('every image is an official one, pinned to a version (no latest)', () => {
  const images = Object.entries(services)
    .filter(([, s]) => s.image && !s.build)
    .map(([name, s]) => [name, withDefaults(s.image!)] as const);
  const expected: Record<string, RegExp> = {
    postgresql: /^postgres:\d+/,
    'temporal-schema': /^temporalio\/admin-tools:\d+\.\d+\.\d+/,
    temporal: /^temporalio\/(server|auto-setup):\d+\.\d+\.\d+$/,
    'temporal-setup': /^temporalio\/admin-tools:\d+\.\d+\.\d+/,
    'temporal-ui': /^temporalio\/ui:\d+\.\d+\.\d+$/,
    prometheus: /^prom\/prometheus:v\d+\.\d+\.\d+$/,
  };
  for (const [name, image] of images) {
    expect(image).not.toMatch(/:latest$/);
    expect(image).toMatch(expected[name] ?? /:[\w.-]+$/);
  }
  // The schema job and the server run the same Temporal version.
  const version = (image: string) => /:(\d+\.\d+\.\d+)/.exec(withDefaults(image))![1];
  expect(version(service('temporal-schema').image!)).toBe(version(service('temporal').image!));
});

test('PostgreSQL keeps its data in a named volume and reports health with pg_isready', () => {
  const pg = service('postgresql');
  const volume = pg.volumes!.find((v) => v.endsWith(':/var/lib/postgresql/data'))!;
  expect(volume).toBeDefined();
  expect(Object.keys(compose.volumes)).toContain(volume.split(':')[0]);
  expect(pg.healthcheck!.test.join(' ')).toMatch(/pg_isready/);
  expect(pg.environment!.POSTGRES_USER).toBe(service('temporal').environment!.POSTGRES_USER);
  expect(pg.environment!.POSTGRES_PASSWORD).toBe(service('temporal').environment!.POSTGRES_PWD);
});

test('the Temporal server runs on PostgreSQL, publishes 7233, has a healthcheck and its dynamic config', () => {
  const t = service('temporal');
  expect(env(t, 'DB')).toMatch(/^postgres12/);
  expect(env(t, 'POSTGRES_SEEDS')).toBe('postgresql');
  expect(t.ports).toContain('7233:7233');
  expect(t.healthcheck?.test.join(' ')).toMatch(/7233/);
  const mount = t.volumes!.find((v) => v.includes('/etc/temporal/config/dynamicconfig'))!;
  const hostDir = mount.split(':')[0];
  const configFile = path.join(hostDir, path.basename(env(t, 'DYNAMIC_CONFIG_FILE_PATH')));
  const config = parse(read(configFile)) as Record<string, Array<{ value: unknown; constraints: unknown }>>;
  for (const values of Object.values(config)) expect(values[0]).toHaveProperty('value');
});

test('the Web UI serves on 8080 and talks to the temporal service', () => {
  const ui = service('temporal-ui');
  expect(ui.ports).toContain('8080:8080');
  expect(env(ui, 'TEMPORAL_ADDRESS')).toBe('temporal:7233');
});

test('start order: each dependency waits for health or for a one-shot job to succeed', () => {
  expect(service('temporal-schema').depends_on).toEqual({ postgresql: { condition: 'service_healthy' } });
  expect(service('temporal').depends_on).toEqual({
    'temporal-schema': { condition: 'service_completed_successfully' },
  });
  expect(service('temporal-setup').depends_on).toEqual({ temporal: { condition: 'service_healthy' } });
  expect(service('worker').depends_on).toEqual({
    temporal: { condition: 'service_healthy' },
    'temporal-setup': { condition: 'service_completed_successfully' },
  });
  for (const [name, s] of Object.entries(services)) {
    for (const [dep, { condition }] of Object.entries(s.depends_on ?? {})) {
      expect({ name, dep, exists: dep in services }).toEqual({ name, dep, exists: true });
      if (condition === 'service_healthy')
        expect({ dep, healthcheck: !!services[dep].healthcheck }).toEqual({ dep, healthcheck: true });
      // A one-shot job must not be restarted forever once it has done its work.
      if (condition === 'service_completed_successfully')
        expect(services[dep].restart ?? 'no').toMatch(/^(no|on-failure(:\d+)?)$/);
    }
  }
});

test('the one-shot jobs run scripts that exist; the namespace job registers every Flowstate search attribute', () => {
  for (const name of ['temporal-schema', 'temporal-setup']) {
    const s = service(name);
    const mount = s.volumes!.find((v) => v.startsWith('./deploy/scripts:'))!;
    const inContainer = mount.split(':')[1];
    const script = s.entrypoint!.find((a) => a.startsWith(inContainer))!;
    expect(fs.existsSync(path.join(ROOT, 'deploy/scripts', path.relative(inContainer, script)))).toBe(true);
  }
  const setup = read('deploy/scripts/setup-namespace.sh');
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) expect(setup).toContain(`${name}:${type}`);
  expect(read('deploy/scripts/setup-schema.sh')).toMatch(/update-schema/);
});

describe('workers', () => {
  const worker = () => service('worker');

  test('are built from the repository Dockerfile and run `flowstate worker`', () => {
    expect(worker().build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(fs.existsSync(path.join(ROOT, 'Dockerfile'))).toBe(true);
    expect(worker().command).toEqual(['worker']);
  });

  test('point at the temporal service on its gRPC port, one namespace and one task queue', () => {
    const [host, port] = env(worker(), 'TEMPORAL_ADDRESS').split(':');
    expect(host).toBe('temporal');
    expect(service('temporal').ports!.some((p) => p.endsWith(`:${port}`))).toBe(true);
    expect(env(worker(), 'FLOWSTATE_TASK_QUEUE')).toBe('flowstate');
    expect(env(worker(), 'TEMPORAL_NAMESPACE')).toBe(env(service('temporal-setup'), 'TEMPORAL_NAMESPACE'));
  });

  test('scale: several replicas by default, and no fixed host port that would stop `--scale worker=N`', () => {
    expect(worker().deploy?.replicas).toBeGreaterThanOrEqual(2);
    expect(worker().ports).toBeUndefined();
  });

  test('expose their metrics port, report health through it, and Prometheus finds every replica', () => {
    const port = env(worker(), 'FLOWSTATE_METRICS_PORT');
    expect(worker().expose).toEqual([port]);
    expect(worker().healthcheck!.test).toEqual(['CMD', 'node', 'deploy/worker-healthcheck.js']);
    expect(fs.existsSync(path.join(ROOT, 'deploy/worker-healthcheck.js'))).toBe(true);
    const prometheus = parse(read('deploy/prometheus/prometheus.yml')) as {
      scrape_configs: Array<{ dns_sd_configs: Array<{ names: string[]; port: number }> }>;
    };
    expect(prometheus.scrape_configs[0].dns_sd_configs[0]).toMatchObject({
      names: ['worker'],
      port: Number(port),
    });
    expect(service('prometheus').volumes).toContain(
      './deploy/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro',
    );
  });

  test('every variable they are given is one the code reads (no typos)', () => {
    const sources = [
      'src/connection.ts',
      'src/logging.ts',
      ...['src/observability', 'src/codec'].flatMap((dir) =>
        fs.readdirSync(path.join(ROOT, dir)).map((f) => `${dir}/${f}`),
      ),
    ]
      .map(read)
      .join('\n');
    const otel = new Set(['OTEL_EXPORTER_OTLP_ENDPOINT']); // read by the OpenTelemetry exporter itself
    for (const key of Object.keys(worker().environment!)) {
      if (!otel.has(key)) expect({ key, read: sources.includes(key) }).toEqual({ key, read: true });
    }
  });
});
