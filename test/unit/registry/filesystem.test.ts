import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, symlink, unlink, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FilesystemRegistry } from '../../../src/registry/filesystem';
import { DEFINITION_MEDIA_TYPE, type PushRequest } from '../../../src/registry/types';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const def = (id: string, version: string, body = `id: ${id}\nversion: ${version}\n`): PushRequest => ({
  id,
  version,
  content: body,
  contentHash: hash(body),
});

let root: string;
let registry: FilesystemRegistry;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'flowstate-fs-registry-'));
  registry = new FilesystemRegistry(join(root, 'registry'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('FilesystemRegistry', () => {
  it('stores <id>/<version>.yaml byte for byte with its metadata, and pulls it back', async () => {
    const request = def('hello', '1.0.0', 'name: héllo\r\ntasks: []\n');
    const pushed = await registry.push(request);
    expect(pushed).toEqual({
      ref: 'hello@1.0.0',
      digest: `sha256:${hash(request.content)}`,
      created: true,
    });
    expect(await readFile(join(root, 'registry', 'hello', '1.0.0.yaml'), 'utf8')).toBe(request.content);
    const meta = JSON.parse(await readFile(join(root, 'registry', 'hello', '1.0.0.meta.json'), 'utf8'));
    expect(meta).toMatchObject({ id: 'hello', version: '1.0.0', contentHash: request.contentHash });

    await expect(registry.pull('hello', '1.0.0')).resolves.toEqual({
      id: 'hello',
      version: '1.0.0',
      content: request.content,
      contentHash: request.contentHash,
      digest: pushed.digest,
      mediaType: DEFINITION_MEDIA_TYPE,
      files: [],
    });
    expect((await readdir(join(root, 'registry', 'hello'))).sort()).toEqual([
      '1.0.0.meta.json',
      '1.0.0.yaml',
    ]);
  });

  it('pulls the latest version by semver when none is given', async () => {
    for (const v of ['1.2.0', '1.10.0', '1.9.0', '1.10.0-rc.1']) await registry.push(def('hello', v));
    const latest = await registry.pull('hello');
    expect(latest.version).toBe('1.10.0');
    expect(latest.content).toBe('id: hello\nversion: 1.10.0\n');
    await expect(registry.resolve('hello')).resolves.toEqual({ id: 'hello', version: '1.10.0' });
    await expect(registry.resolve('hello@1.2.0')).resolves.toEqual({ id: 'hello', version: '1.2.0' });
  });

  it('treats a second push of the same content hash as a no-op', async () => {
    const first = await registry.push(def('hello', '1.0.0'));
    const again = await registry.push(def('hello', '1.0.0'));
    expect(again).toEqual({ ...first, created: false });
  });

  it('keeps the first text when the same canonical definition comes back formatted differently', async () => {
    const original = def('hello', '1.0.0');
    await registry.push(original);
    const reformatted = { ...original, content: `# a comment\n${original.content}` };
    await expect(registry.push(reformatted)).resolves.toMatchObject({ created: false });
    expect((await registry.pull('hello', '1.0.0')).content).toBe(original.content);
  });

  it('refuses different content for an existing version, naming the ref, both hashes and the fix', async () => {
    const first = def('hello', '1.0.0');
    await registry.push(first);
    const second = def('hello', '1.0.0', 'id: hello\nchanged: true\n');
    await expect(registry.push(second)).rejects.toMatchObject({
      type: 'VersionExists',
      details: { ref: 'hello@1.0.0', existingHash: first.contentHash, pushedHash: second.contentHash },
      message: expect.stringMatching(
        new RegExp(
          `hello@1\\.0\\.0 already exists .*${first.contentHash}.*${second.contentHash}.*bump the version`,
        ),
      ),
    });
    expect((await registry.pull('hello', '1.0.0')).content).toBe(first.content);
  });

  it('lets exactly one of many concurrent pushes of one version win', async () => {
    const requests = Array.from({ length: 8 }, (_, i) => def('race', '1.0.0', `id: race\nn: ${i}\n`));
    const outcomes = await Promise.allSettled(requests.map((r) => registry.push(r)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(refused.map((o) => (o as PromiseRejectedResult).reason.type)).toEqual(
      Array(7).fill('VersionExists'),
    );
    const winner = requests[outcomes.indexOf(won[0] as (typeof outcomes)[number])] as PushRequest;
    await expect(registry.pull('race', '1.0.0')).resolves.toMatchObject({
      content: winner.content,
      contentHash: winner.contentHash,
    });
    expect((await readdir(join(root, 'registry', 'race'))).sort()).toEqual(['1.0.0.meta.json', '1.0.0.yaml']);
  });

  it('reports concurrent pushes of identical content as one creation and no-ops', async () => {
    const results = await Promise.all(Array.from({ length: 6 }, () => registry.push(def('same', '2.0.0'))));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.digest)).size).toBe(1);
  });

  it('lists ids with their versions sorted by semver, ignoring anything else in the folder', async () => {
    await registry.push(def('beta', '0.1.0'));
    for (const v of ['1.10.0', '1.2.0', '1.9.0']) await registry.push(def('alpha', v));
    await mkdir(join(root, 'registry', 'empty'));
    await mkdir(join(root, 'registry', 'Not_An_Id'));
    await writeFile(join(root, 'registry', 'stray-file'), 'x');
    await writeFile(join(root, 'registry', 'alpha', 'notes.txt'), 'x');
    await writeFile(join(root, 'registry', 'alpha', '.1.3.0.meta.json.123.abc.tmp'), 'x');
    await writeFile(join(root, 'registry', 'alpha', 'latest.meta.json'), '{}');
    expect(await registry.list()).toEqual([
      { id: 'alpha', versions: ['1.2.0', '1.9.0', '1.10.0'] },
      { id: 'beta', versions: ['0.1.0'] },
    ]);
    expect(await registry.versions('alpha')).toEqual(['1.2.0', '1.9.0', '1.10.0']);
    expect(await registry.versions('nothing')).toEqual([]);
  });

  it('lists nothing, without creating the folder, before the first push', async () => {
    expect(await registry.list()).toEqual([]);
    await expect(readdir(join(root, 'registry'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('says which versions exist when the one asked for does not', async () => {
    await registry.push(def('hello', '1.0.0'));
    await registry.push(def('hello', '1.1.0'));
    await expect(registry.pull('hello', '2.0.0')).rejects.toMatchObject({
      type: 'DefinitionNotFound',
      message: expect.stringContaining(
        'hello@2.0.0 not found in ' + registry.location + "; available versions of 'hello': 1.0.0, 1.1.0",
      ),
    });
    await expect(registry.pull('nobody')).rejects.toMatchObject({
      type: 'DefinitionNotFound',
      message: expect.stringContaining("no definition 'nobody'"),
    });
  });

  it('rejects malformed requests before writing anything', async () => {
    await expect(registry.push(def('Hello', '1.0.0'))).rejects.toMatchObject({ type: 'InvalidRef' });
    await expect(registry.push(def('hello', '1.0'))).rejects.toMatchObject({ type: 'InvalidRef' });
    await expect(registry.push({ ...def('hello', '1.0.0'), contentHash: 'abc' })).rejects.toMatchObject({
      type: 'InvalidRequest',
    });
    await expect(
      registry.push({ id: 'hello', version: '1.0.0', content: '', contentHash: hash('') }),
    ).rejects.toMatchObject({
      type: 'InvalidRequest',
    });
    await expect(registry.pull('hello', 'latest')).rejects.toMatchObject({ type: 'InvalidRef' });
    expect(await registry.list()).toEqual([]);
  });

  it('detects a definition file changed behind its back', async () => {
    await registry.push(def('hello', '1.0.0'));
    await writeFile(join(root, 'registry', 'hello', '1.0.0.yaml'), 'tampered: true\n');
    await expect(registry.pull('hello', '1.0.0')).rejects.toMatchObject({
      type: 'IntegrityError',
      message: expect.stringContaining('is corrupt'),
    });
  });

  it('repairs a push that died between its two writes when the same file is pushed again', async () => {
    const request = def('hello', '1.0.0');
    await registry.push(request);
    await unlink(join(root, 'registry', 'hello', '1.0.0.yaml'));
    await expect(registry.pull('hello', '1.0.0')).rejects.toMatchObject({
      type: 'IntegrityError',
      message: expect.stringContaining('is missing'),
    });
    await expect(registry.push(request)).resolves.toMatchObject({ created: false });
    await expect(registry.pull('hello', '1.0.0')).resolves.toMatchObject({ content: request.content });
  });

  it('reports unreadable metadata as damage, with what to delete', async () => {
    await registry.push(def('hello', '1.0.0'));
    const meta = join(root, 'registry', 'hello', '1.0.0.meta.json');
    await writeFile(meta, '{not json');
    await expect(registry.pull('hello', '1.0.0')).rejects.toMatchObject({
      type: 'IntegrityError',
      message: expect.stringContaining(`delete ${meta}`),
    });
  });

  it('stores the files a definition names with it, and pulls them back checked', async () => {
    const files = [
      { name: 'templates/task.md', content: '## {{ task.title }}\n' },
      { name: 'templates/phase.md', content: '# {{ phase.name }} é\n' },
    ];
    await registry.push({ ...def('spec', '1.0.0'), files });
    const pulled = await registry.pull('spec', '1.0.0');
    expect(pulled.files).toEqual([
      { name: 'templates/phase.md', content: files[1].content, digest: `sha256:${hash(files[1].content)}` },
      { name: 'templates/task.md', content: files[0].content, digest: `sha256:${hash(files[0].content)}` },
    ]);
    // A file changed in the registry folder is caught, not used.
    const stored = join(root, 'registry', 'spec', '1.0.0.files', hash(files[0].content));
    await writeFile(stored, 'tampered');
    await expect(registry.pull('spec', '1.0.0')).rejects.toMatchObject({
      type: 'IntegrityError',
      message: expect.stringContaining('templates/task.md'),
    });
    // Pushing the same definition again repairs a missing file.
    await unlink(stored);
    await expect(registry.push({ ...def('spec', '1.0.0'), files })).resolves.toMatchObject({
      created: false,
    });
    expect((await registry.pull('spec', '1.0.0')).files).toHaveLength(2);
  });

  it('refuses a file named twice', async () => {
    const files = [
      { name: 'a.md', content: 'x' },
      { name: 'a.md', content: 'y' },
    ];
    await expect(registry.push({ ...def('spec', '1.0.0'), files })).rejects.toMatchObject({
      type: 'InvalidRequest',
      message: expect.stringContaining("file 'a.md' is given twice"),
    });
  });

  describe('never follows a symbolic link', () => {
    it('refuses to push through an id folder that links outside the registry', async () => {
      const outside = join(root, 'outside');
      await mkdir(outside);
      await mkdir(join(root, 'registry'));
      await symlink(outside, join(root, 'registry', 'hello'));
      await expect(registry.push(def('hello', '1.0.0'))).rejects.toMatchObject({
        type: 'UnsafePath',
        message: expect.stringMatching(
          /registry\/hello is a symbolic link \(to .*outside\): the folder registry .* never follows links/,
        ),
      });
      expect(await readdir(outside)).toEqual([]); // nothing written outside
      await expect(registry.pull('hello', '1.0.0')).rejects.toMatchObject({ type: 'UnsafePath' });
      await expect(registry.list()).rejects.toMatchObject({ type: 'UnsafePath' });
    });

    it('refuses to pull a planted version file that links to a file of the host', async () => {
      const secret = join(root, 'hostname');
      await writeFile(secret, 'the-host-name\n');
      await registry.push(def('hello', '9.9.7'));
      // A planted version: metadata that matches the linked file's digest, and the link itself.
      const dir = join(root, 'registry', 'hello');
      const meta = JSON.parse(await readFile(join(dir, '9.9.7.meta.json'), 'utf8'));
      const digest = `sha256:${hash('the-host-name\n')}`;
      await writeFile(
        join(dir, '9.9.8.meta.json'),
        JSON.stringify({ ...meta, version: '9.9.8', digest, size: 14 }),
      );
      await symlink(secret, join(dir, '9.9.8.yaml'));
      const refused = registry.pull('hello', '9.9.8');
      await expect(refused).rejects.toMatchObject({
        type: 'UnsafePath',
        message: expect.stringContaining(`${join(dir, '9.9.8.yaml')} is a symbolic link (to ${secret})`),
      });
      await expect(refused).rejects.not.toMatchObject({ message: expect.stringContaining('the-host-name') });
    });

    it('refuses a linked metadata file too', async () => {
      await registry.push(def('hello', '1.0.0'));
      const dir = join(root, 'registry', 'hello');
      const elsewhere = join(root, 'meta.json');
      await writeFile(elsewhere, await readFile(join(dir, '1.0.0.meta.json')));
      await unlink(join(dir, '1.0.0.meta.json'));
      await symlink(elsewhere, join(dir, '1.0.0.meta.json'));
      await expect(registry.pull('hello', '1.0.0')).rejects.toMatchObject({ type: 'UnsafePath' });
    });

    it('accepts a registry folder that is itself a link (the boundary is its real path)', async () => {
      const real = join(root, 'real-registry');
      await mkdir(real);
      await symlink(real, join(root, 'linked'));
      const linked = new FilesystemRegistry(join(root, 'linked'));
      await linked.push(def('hello', '1.0.0'));
      expect((await linked.pull('hello')).version).toBe('1.0.0');
      expect(await readdir(join(real, 'hello'))).toContain('1.0.0.yaml');
    });
  });
});
