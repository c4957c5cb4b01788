/**
 * Starts a real OCI registry for tests: Debian's `docker-registry` (the CNCF distribution registry,
 * installed by scripts/ensure-registry.sh), on a free loopback port, storing into a fresh temp
 * folder, with deletes enabled. Never the system service: the binary is run with a generated config.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(__dirname, '..', '..');

/** A test user for {@link startRegistryServer}'s `auth` option. */
export const TEST_USER = { username: 'flowstate', password: 'flowstate-test-password' };
// bcrypt (cost 5, test speed) of TEST_USER.password; distribution's htpasswd only takes bcrypt.
const TEST_USER_HTPASSWD = 'flowstate:$2b$05$FpF0yWIUTUIKZ47kF79KX./8Og2cRMchxDCvlzi1ECB/D0tGnA6pi\n';

/** A running registry. */
export interface RegistryServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** `127.0.0.1:<port>`, as in an OCI reference. */
  host: string;
  /** The registry's storage root (distribution's filesystem driver layout). */
  storage: string;
  /** What the registry printed so far (for failure messages). */
  logs(): string;
  /** Stop it and delete its storage. */
  stop(): Promise<void>;
}

let registryBin: string | undefined;

/** The registry binary, installing Debian's package first if needed. */
export function ensureRegistryBinary(): string {
  registryBin ??= execFileSync('bash', [join(REPO_ROOT, 'scripts', 'ensure-registry.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    timeout: 600_000,
  }).trim();
  return registryBin;
}

/** A TCP port nothing listens on right now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function config(storage: string, port: number, htpasswd: string | undefined): string {
  return [
    'version: 0.1',
    'log:',
    '  level: warn',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${JSON.stringify(storage)}`,
    '  delete:',
    '    enabled: true',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    `  secret: ${randomBytes(16).toString('hex')}`,
    'health:',
    '  storagedriver:',
    '    enabled: false',
    ...(htpasswd
      ? ['auth:', '  htpasswd:', '    realm: flowstate-test', `    path: ${JSON.stringify(htpasswd)}`]
      : []),
    '',
  ].join('\n');
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null || child.signalCode !== null) done();
    else child.once('exit', () => done());
  });
}

async function waitUntilServing(
  url: string,
  child: ChildProcess,
  logs: () => string,
  auth: boolean,
): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(
        `docker-registry exited (${child.exitCode ?? child.signalCode}) before serving:\n${logs()}`,
      );
    }
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1_000) });
      if (res.status === 200 || (auth && res.status === 401)) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`docker-registry did not answer GET ${url}/v2/ within 20s:\n${logs()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Start a registry on a free loopback port with a temp storage folder; resolves once `GET /v2/`
 * answers. With `auth: true` it demands HTTP Basic credentials ({@link TEST_USER}).
 */
export async function startRegistryServer(options: { auth?: boolean } = {}): Promise<RegistryServer> {
  const bin = ensureRegistryBinary();
  for (let attempt = 1; ; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'flowstate-oci-registry-'));
    const storage = join(dir, 'storage');
    let htpasswd: string | undefined;
    if (options.auth) {
      htpasswd = join(dir, 'htpasswd');
      await writeFile(htpasswd, TEST_USER_HTPASSWD);
    }
    const port = await freePort();
    await writeFile(join(dir, 'config.yml'), config(storage, port, htpasswd));
    const child = spawn(bin, ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-20_000);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    const url = `http://127.0.0.1:${port}`;
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
        await exited(child);
        clearTimeout(timer);
      }
      await rm(dir, { recursive: true, force: true });
    };
    try {
      await waitUntilServing(url, child, () => output, options.auth ?? false);
    } catch (err) {
      await stop();
      // Another process may have taken the port between freePort() and the registry's bind.
      if (attempt < 3 && /address already in use/.test(String(err))) continue;
      throw err;
    }
    return { url, host: `127.0.0.1:${port}`, storage, logs: () => output, stop };
  }
}
