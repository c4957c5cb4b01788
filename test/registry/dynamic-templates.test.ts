/**
 * A `dynamic` definition is pushed with its templates and a run by reference uses exactly those,
 * on the folder registry and on a real OCI registry (docker-registry): the templates on disk may
 * change or vanish after the push without changing what `id@version` means.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadFile, loadForRun, pushFile } from '../../src/client/definitions';
import { openRegistry } from '../../src/registry';
import { startRegistryServer, type RegistryServer } from './registry-server';

const DEFINITIONS = resolve(__dirname, '..', '..', 'definitions');
const TEMPLATES = ['templates/spec-phase.md', 'templates/spec-task.md'];

let server: RegistryServer;
let dir: string;
const savedRegistry = process.env.FLOWSTATE_REGISTRY;

beforeAll(async () => {
  server = await startRegistryServer();
}, 600_000);

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'flowstate-dynamic-push-'));
  await cp(join(DEFINITIONS, 'spec-execution.yaml'), join(dir, 'spec-execution.yaml'));
  await cp(join(DEFINITIONS, 'templates'), join(dir, 'templates'), { recursive: true });
});

afterEach(async () => {
  if (savedRegistry === undefined) delete process.env.FLOWSTATE_REGISTRY;
  else process.env.FLOWSTATE_REGISTRY = savedRegistry;
  await rm(dir, { recursive: true, force: true });
});

afterAll(async () => {
  await server?.stop();
});

describe.each([
  ['the folder registry', () => join(dir, 'registry')],
  ['an OCI registry', () => `oci://${server.host}/dyn-${Date.now()}`],
])('a dynamic definition pushed to %s', (_name, location) => {
  it('keeps its templates: a run by reference compiles exactly what was pushed', async () => {
    process.env.FLOWSTATE_REGISTRY = location();
    const file = join(dir, 'spec-execution.yaml');
    const local = await loadFile(file);
    const pushed = await pushFile(file);
    expect(pushed).toMatchObject({ ref: 'spec-execution@1.0.0', created: true, files: TEMPLATES });

    const stored = await openRegistry().pull('spec-execution', '1.0.0');
    for (const name of TEMPLATES) {
      expect(stored.files.find((f) => f.name === name)?.content).toBe(
        await readFile(join(dir, name), 'utf8'),
      );
    }

    // The templates on disk change, then vanish: the reference still means what was pushed.
    await writeFile(join(dir, TEMPLATES[0]!), '# changed after the push {{ phase.name }}\n');
    const afterChange = await loadForRun('spec-execution@1.0.0');
    await rm(join(dir, 'templates'), { recursive: true });
    const afterRemoval = await loadForRun('spec-execution');
    for (const byRef of [afterChange, afterRemoval]) {
      expect(byRef.hash).toBe(local.hash);
      expect(JSON.stringify(byRef.tasks)).toBe(JSON.stringify(local.tasks));
    }
    expect(JSON.stringify(afterRemoval.tasks)).not.toContain('changed after the push');
  });

  it('a version stored without its templates fails by reference, saying why and what to do', async () => {
    process.env.FLOWSTATE_REGISTRY = location();
    const file = join(dir, 'spec-execution.yaml');
    const local = await loadFile(file);
    // As `push` stored it before it carried the files a definition names.
    await openRegistry().push({
      id: 'spec-execution',
      version: '1.0.0',
      content: await readFile(file, 'utf8'),
      contentHash: local.hash,
    });
    await expect(loadForRun('spec-execution@1.0.0')).rejects.toThrow(
      /cannot read the phase template .*spec-execution@1\.0\.0\/templates\/spec-phase\.md .*not stored with spec-execution@1\.0\.0 \(files stored: none\).*push it again under a new version/,
    );
  });
});
