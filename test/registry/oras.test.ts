/**
 * Interoperability with the ORAS CLI (built by scripts/ensure-oras.sh) on a real docker-registry:
 * what Flowstate pushes, `oras pull` fetches intact, and what `oras push` stores with our media
 * types, Flowstate pulls. If oras cannot be built, these tests fail and say why: they never skip.
 */
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { openRegistry, type DefinitionRegistry } from '../../src/registry';
import { startRegistryServer, type RegistryServer } from './registry-server';

const run = promisify(execFile);
const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const REPO_ROOT = resolve(__dirname, '..', '..');

let oras: string;
let server: RegistryServer;
let registry: DefinitionRegistry;
let work: string;

/** Run oras with a throwaway config (no credential store of the machine is read or written). */
async function orasRun(args: string[], cwd = work): Promise<string> {
  try {
    const { stdout } = await run(
      oras,
      [...args, '--plain-http', '--registry-config', join(work, 'oras-auth.json')],
      {
        cwd,
        timeout: 60_000,
      },
    );
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`oras ${args.join(' ')} failed: ${e.stderr || e.message}`, { cause: err });
  }
}

beforeAll(async () => {
  try {
    oras = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'ensure-oras.sh')], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 900_000,
    }).trim();
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(
      `the oras interop test needs oras, and scripts/ensure-oras.sh could not build it:\n${e.stderr || e.message}`,
      { cause: err },
    );
  }
  server = await startRegistryServer();
  registry = openRegistry(`oci://${server.host}/flowstate`, { env: {} });
  work = await mkdtemp(join(tmpdir(), 'flowstate-oras-'));
  await writeFile(join(work, 'oras-auth.json'), '{}');
}, 900_000);

afterAll(async () => {
  await server?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

describe('interop with oras', () => {
  it('oras pull fetches what flowstate pushed, intact, as <id>.yaml', async () => {
    const content = 'id: greet\nversion: 1.2.0\n# ünïcode and CRLF\r\ntasks: []\n';
    const pushed = await registry.push({
      id: 'greet',
      version: '1.2.0',
      content,
      contentHash: hash(content),
    });

    const out = join(work, 'pulled');
    await orasRun(['pull', `${server.host}/flowstate/greet:1.2.0`, '-o', out]);
    expect(await readdir(out)).toEqual(['greet.yaml']);
    expect(await readFile(join(out, 'greet.yaml'), 'utf8')).toBe(content);

    const manifest = JSON.parse(await orasRun(['manifest', 'fetch', `${server.host}/flowstate/greet:1.2.0`]));
    expect(manifest.artifactType).toBe('application/vnd.flowstate.definition.v1');
    expect(manifest.annotations['dev.flowstate.content-hash']).toBe(hash(content));
    const digest = (await orasRun(['resolve', `${server.host}/flowstate/greet:1.2.0`])).trim();
    expect(digest).toBe(pushed.digest);
    expect((await orasRun(['repo', 'tags', `${server.host}/flowstate/greet`])).trim().split('\n')).toEqual([
      '1.2.0',
    ]);
  });

  it('flowstate pulls what oras pushed with the flowstate media types, and keeps it immutable', async () => {
    const dir = await mkdtemp(join(work, 'push-'));
    const content = 'id: from-oras\nversion: 2.0.0\ntasks:\n  - id: hi\n    type: log\n';
    await writeFile(join(dir, 'from-oras.yaml'), content);
    await orasRun(
      [
        'push',
        `${server.host}/flowstate/from-oras:2.0.0`,
        '--artifact-type',
        'application/vnd.flowstate.definition.v1',
        '--annotation',
        `dev.flowstate.content-hash=${hash(content)}`,
        'from-oras.yaml:application/vnd.flowstate.definition.v1+yaml',
      ],
      dir,
    );

    await expect(registry.pull('from-oras', '2.0.0')).resolves.toMatchObject({
      id: 'from-oras',
      version: '2.0.0',
      content,
      contentHash: hash(content),
      mediaType: 'application/vnd.flowstate.definition.v1+yaml',
    });
    await expect(registry.resolve('from-oras')).resolves.toEqual({ id: 'from-oras', version: '2.0.0' });
    expect(await registry.list()).toEqual(expect.arrayContaining([{ id: 'from-oras', versions: ['2.0.0'] }]));
    // Same content hash: no-op. Different: refused, whoever pushed the version.
    await expect(
      registry.push({ id: 'from-oras', version: '2.0.0', content, contentHash: hash(content) }),
    ).resolves.toMatchObject({
      created: false,
    });
    await expect(
      registry.push({ id: 'from-oras', version: '2.0.0', content: 'x: 1\n', contentHash: hash('x: 1\n') }),
    ).rejects.toMatchObject({ type: 'VersionExists' });
  });

  it('says what is missing when oras pushed a definition without the content hash annotation', async () => {
    const dir = await mkdtemp(join(work, 'push-'));
    await writeFile(join(dir, 'bare.yaml'), 'id: bare\n');
    await orasRun(
      [
        'push',
        `${server.host}/flowstate/bare:1.0.0`,
        '--artifact-type',
        'application/vnd.flowstate.definition.v1',
        'bare.yaml:application/vnd.flowstate.definition.v1+yaml',
      ],
      dir,
    );
    await expect(registry.pull('bare', '1.0.0')).rejects.toMatchObject({
      type: 'InvalidArtifact',
      message: expect.stringContaining('no valid dev.flowstate.content-hash annotation'),
    });
  });
});
