/**
 * The OCI definition registry against a real registry server (Debian's docker-registry, the CNCF
 * distribution registry) started on a free loopback port: no mocks.
 */
import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openRegistry, OciRegistry, RegistryError, type PushRequest } from '../../src/registry';
import { OciClient } from '../../src/registry/oci-client';
import { freePort, startRegistryServer, TEST_USER, type RegistryServer } from './registry-server';

const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const def = (
  id: string,
  version: string,
  body = `id: ${id}\nversion: ${version}\ntasks: []\n`,
): PushRequest => ({
  id,
  version,
  content: body,
  contentHash: hash(body),
});

async function rejection(promise: Promise<unknown>): Promise<RegistryError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryError');
}

let server: RegistryServer;
let registry: OciRegistry;

beforeAll(async () => {
  server = await startRegistryServer();
  registry = openRegistry(`oci://${server.host}/flowstate`, { env: {} }) as OciRegistry;
  await registry.ping(); // GET /v2/ answers through the client too
}, 600_000);

afterAll(async () => {
  await server?.stop();
});

describe('OCI registry on a real docker-registry', () => {
  it('pushes a definition as an OCI artifact with the Flowstate media types and annotations', async () => {
    const request = def('hello', '1.0.0');
    const pushed = await registry.push(request);
    expect(pushed).toMatchObject({
      ref: 'hello@1.0.0',
      created: true,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
    });

    // Read it back with plain HTTP, not through our client.
    const res = await fetch(`${server.url}/v2/flowstate/hello/manifests/1.0.0`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-content-digest')).toBe(pushed.digest);
    const manifest = await res.json();
    expect(manifest).toMatchObject({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.flowstate.definition.v1',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', size: 2 },
      layers: [
        {
          mediaType: 'application/vnd.flowstate.definition.v1+yaml',
          digest: `sha256:${hash(request.content)}`,
          size: Buffer.byteLength(request.content),
          annotations: { 'org.opencontainers.image.title': 'hello.yaml' },
        },
      ],
      annotations: {
        'dev.flowstate.content-hash': request.contentHash,
        'dev.flowstate.id': 'hello',
        'dev.flowstate.version': '1.0.0',
      },
    });
    const blob = await fetch(`${server.url}/v2/flowstate/hello/blobs/sha256:${hash(request.content)}`);
    expect(await blob.text()).toBe(request.content);
  });

  it('pulls content and content hash back intact, byte for byte', async () => {
    const body = 'name: "héllo wörld ✓"\r\ntasks:\n  - id: a\n    type: log\n\n';
    const request = def('unicode', '0.1.0', body);
    const pushed = await registry.push(request);
    await expect(registry.pull('unicode', '0.1.0')).resolves.toEqual({
      id: 'unicode',
      version: '0.1.0',
      content: body,
      contentHash: request.contentHash,
      digest: pushed.digest,
      mediaType: 'application/vnd.flowstate.definition.v1+yaml',
      files: [],
    });
  });

  it('lists ids and versions in semver order, and pulls and resolves the latest', async () => {
    for (const v of ['1.2.0', '1.10.0', '1.9.0', '1.10.0-rc.1']) await registry.push(def('semver', v));
    const listed = await registry.list();
    expect(listed.find((d) => d.id === 'semver')).toEqual({
      id: 'semver',
      versions: ['1.2.0', '1.9.0', '1.10.0-rc.1', '1.10.0'],
    });
    expect(listed.map((d) => d.id)).toEqual([...listed.map((d) => d.id)].sort());
    expect(listed.map((d) => d.id)).toEqual(expect.arrayContaining(['hello', 'semver']));
    expect(await registry.versions('semver')).toEqual(['1.2.0', '1.9.0', '1.10.0-rc.1', '1.10.0']);

    const latest = await registry.pull('semver');
    expect(latest.version).toBe('1.10.0');
    expect(latest.content).toContain('version: 1.10.0\n');
    await expect(registry.resolve('semver')).resolves.toEqual({ id: 'semver', version: '1.10.0' });
    await expect(registry.resolve('semver@1.9.0')).resolves.toEqual({ id: 'semver', version: '1.9.0' });
  });

  it('treats pushing the same content again as a no-op', async () => {
    const first = await registry.push(def('twice', '1.0.0'));
    const again = await registry.push(def('twice', '1.0.0'));
    expect(again).toEqual({ ref: 'twice@1.0.0', digest: first.digest, created: false });
  });

  it('refuses to overwrite a version with different content, and leaves the stored one alone', async () => {
    const original = def('immutable', '1.0.0');
    await registry.push(original);
    const changed = def('immutable', '1.0.0', 'id: immutable\nchanged: true\n');
    const err = await rejection(registry.push(changed));
    expect(err.type).toBe('VersionExists');
    expect(err.details).toEqual({
      ref: 'immutable@1.0.0',
      existingHash: original.contentHash,
      pushedHash: changed.contentHash,
    });
    expect(err.message).toContain(`immutable@1.0.0 already exists in oci://${server.host}/flowstate`);
    expect(err.message).toContain('bump the version');
    await expect(registry.pull('immutable', '1.0.0')).resolves.toMatchObject({ content: original.content });
  });

  it('answers a pull of a missing version with the versions that exist', async () => {
    await registry.push(def('missing', '1.0.0'));
    await registry.push(def('missing', '1.1.0'));
    const err = await rejection(registry.pull('missing', '2.0.0'));
    expect(err.type).toBe('DefinitionNotFound');
    expect(err.message).toBe(
      `missing@2.0.0 not found in oci://${server.host}/flowstate; available versions of 'missing': 1.0.0, 1.1.0`,
    );
    await expect(registry.resolve('missing@2.0.0')).rejects.toMatchObject({ type: 'DefinitionNotFound' });

    const none = await rejection(registry.pull('never-pushed'));
    expect(none.type).toBe('DefinitionNotFound');
    expect(none.message).toContain("no definition 'never-pushed'");
    await expect(registry.versions('never-pushed')).resolves.toEqual([]);
  });

  it('keeps registries with different prefixes apart, and ignores tags that are not versions', async () => {
    const other = openRegistry(`oci://${server.host}/elsewhere`, { env: {} });
    await other.push(def('hello', '9.0.0'));
    expect(await registry.versions('hello')).toEqual(['1.0.0']);
    expect(await other.list()).toEqual([{ id: 'hello', versions: ['9.0.0'] }]);

    // Tag hello@1.0.0's manifest also as `latest`, straight through the API.
    const manifest = await fetch(`${server.url}/v2/flowstate/hello/manifests/1.0.0`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const put = await fetch(`${server.url}/v2/flowstate/hello/manifests/latest`, {
      method: 'PUT',
      headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' },
      body: Buffer.from(await manifest.arrayBuffer()),
    });
    expect(put.status).toBe(201);
    expect(await registry.versions('hello')).toEqual(['1.0.0']);
  });

  it('detects a blob the registry serves corrupted', async () => {
    const request = def('tampered', '1.0.0');
    await registry.push(request);
    const hex = hash(request.content);
    const data = join(
      server.storage,
      'docker',
      'registry',
      'v2',
      'blobs',
      'sha256',
      hex.slice(0, 2),
      hex,
      'data',
    );
    expect(await readFile(data, 'utf8')).toBe(request.content); // the registry's own storage layout
    await writeFile(data, request.content.replace('tampered', 'tampereD'));
    const err = await rejection(registry.pull('tampered', '1.0.0'));
    expect(err.type).toBe('IntegrityError');
    expect(err.message).toContain(`sha256:${hex}`);
  });

  it('refuses a tag that holds something other than a Flowstate definition', async () => {
    const client = new OciClient(server.url);
    const config = Buffer.from(
      '{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}',
    );
    const cfg = await client.pushBlob('flowstate/image', config);
    const image = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...cfg },
        layers: [],
      }),
    );
    await client.putManifest('flowstate/image', '1.0.0', image, 'application/vnd.oci.image.manifest.v1+json');
    await expect(registry.pull('image', '1.0.0')).rejects.toMatchObject({
      type: 'InvalidArtifact',
      message: expect.stringContaining(`${server.host}/flowstate/image:1.0.0 is not a Flowstate definition`),
    });
    await expect(registry.push(def('image', '1.0.0'))).rejects.toMatchObject({ type: 'InvalidArtifact' });
  });

  it('fails with one line naming the URL when the registry is unreachable', async () => {
    const port = await freePort();
    const down = openRegistry(`oci://127.0.0.1:${port}/flowstate`, { env: {} });
    const started = Date.now();
    for (const call of [
      () => (down as OciRegistry).ping(),
      () => down.list(),
      () => down.pull('hello', '1.0.0'),
      () => down.push(def('hello', '1.0.0')),
    ]) {
      const err = await rejection(call());
      expect(err.type).toBe('Unreachable');
      expect(err.message).toContain(`registry oci://127.0.0.1:${port}/flowstate is unreachable`);
      expect(err.message).toContain(`http://127.0.0.1:${port}/v2/`);
      expect(err.message).toContain('ECONNREFUSED');
      expect(err.message).not.toContain('\n');
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('OCI registry behind HTTP Basic auth', () => {
  let secured: RegistryServer;

  beforeAll(async () => {
    secured = await startRegistryServer({ auth: true });
  }, 600_000);

  afterAll(async () => {
    await secured?.stop();
  });

  it('asks for credentials when none are configured', async () => {
    const anonymous = openRegistry(`oci://${secured.host}/flowstate`, { env: {} });
    await expect(anonymous.list()).rejects.toMatchObject({
      type: 'Unauthorized',
      message: expect.stringContaining('set FLOWSTATE_REGISTRY_USERNAME and FLOWSTATE_REGISTRY_PASSWORD'),
    });
  });

  it('names the user whose credentials were refused', async () => {
    const wrong = openRegistry(`oci://${secured.host}/flowstate`, {
      env: { FLOWSTATE_REGISTRY_USERNAME: TEST_USER.username, FLOWSTATE_REGISTRY_PASSWORD: 'wrong' },
    });
    await expect(wrong.push(def('hello', '1.0.0'))).rejects.toMatchObject({
      type: 'Unauthorized',
      message: expect.stringContaining(
        `refused the credentials of FLOWSTATE_REGISTRY_USERNAME (${TEST_USER.username})`,
      ),
    });
  });

  it('pushes, lists and pulls with the credentials from the environment', async () => {
    const authed = openRegistry(`oci://${secured.host}/flowstate`, {
      env: {
        FLOWSTATE_REGISTRY_USERNAME: TEST_USER.username,
        FLOWSTATE_REGISTRY_PASSWORD: TEST_USER.password,
      },
    });
    const request = def('private', '1.0.0');
    await expect(authed.push(request)).resolves.toMatchObject({ created: true });
    await expect(authed.list()).resolves.toEqual([{ id: 'private', versions: ['1.0.0'] }]);
    await expect(authed.pull('private')).resolves.toMatchObject({
      content: request.content,
      contentHash: request.contentHash,
    });
  });
});
