import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FilesystemRegistry, OciRegistry, openRegistry, parseOciEndpoint } from '../../../src/registry';

describe('openRegistry', () => {
  it('defaults to the folder ./.flowstate/registry', () => {
    for (const spec of [undefined, '', '  ']) {
      const registry = openRegistry(spec, { env: {} });
      expect(registry).toBeInstanceOf(FilesystemRegistry);
      expect(registry.location).toBe(resolve('.flowstate/registry'));
    }
  });

  it('reads FLOWSTATE_REGISTRY when no spec is given', () => {
    const saved = process.env.FLOWSTATE_REGISTRY;
    process.env.FLOWSTATE_REGISTRY = 'oci://localhost:5000/flowstate';
    try {
      expect(openRegistry()).toBeInstanceOf(OciRegistry);
    } finally {
      if (saved === undefined) delete process.env.FLOWSTATE_REGISTRY;
      else process.env.FLOWSTATE_REGISTRY = saved;
    }
  });

  it('opens a path or a file:// URL as a folder registry', () => {
    expect(openRegistry('/tmp/defs', { env: {} }).location).toBe('/tmp/defs');
    expect(openRegistry('relative/defs', { env: {} }).location).toBe(resolve('relative/defs'));
    const url = pathToFileURL(join('/tmp', 'with space', 'defs')).href;
    expect(openRegistry(url, { env: {} }).location).toBe('/tmp/with space/defs');
  });

  it('opens oci://, http:// and https:// as OCI registries', () => {
    const oci = openRegistry('oci://localhost:5000/flowstate', { env: {} }) as OciRegistry;
    expect(oci).toBeInstanceOf(OciRegistry);
    expect(oci.location).toBe('oci://localhost:5000/flowstate');
    expect(oci.repository('hello')).toBe('flowstate/hello');
    expect(oci.reference('hello', '1.0.0')).toBe('localhost:5000/flowstate/hello:1.0.0');
    expect((openRegistry('https://reg.example.com/a/b', { env: {} }) as OciRegistry).repository('x')).toBe(
      'a/b/x',
    );
    expect((openRegistry('oci://reg.example.com', { env: {} }) as OciRegistry).repository('x')).toBe('x');
  });

  it('rejects unknown schemes and half-set credentials', () => {
    expect(() => openRegistry('s3://bucket/x', { env: {} })).toThrow(
      expect.objectContaining({ type: 'InvalidRegistrySpec' }),
    );
    expect(() => openRegistry('oci://h/x', { env: { FLOWSTATE_REGISTRY_USERNAME: 'u' } })).toThrow(
      /set both FLOWSTATE_REGISTRY_USERNAME and FLOWSTATE_REGISTRY_PASSWORD/,
    );
  });
});

describe('parseOciEndpoint', () => {
  it.each([
    ['oci://localhost:5000/flowstate', 'http://localhost:5000', 'flowstate'],
    ['oci://127.0.0.1:5000/flowstate/', 'http://127.0.0.1:5000', 'flowstate'],
    ['oci://[::1]:5000/a/b', 'http://[::1]:5000', 'a/b'],
    ['oci://registry.localhost/x', 'http://registry.localhost', 'x'],
    ['oci://ghcr.io/acme/flows', 'https://ghcr.io', 'acme/flows'],
    ['oci://10.0.0.5:5000/x', 'https://10.0.0.5:5000', 'x'],
    ['http://build-box:5000/x', 'http://build-box:5000', 'x'],
    ['https://localhost:5443', 'https://localhost:5443', ''],
  ])('%s → %s, prefix %j', (spec, baseUrl, prefix) => {
    expect(parseOciEndpoint(spec)).toMatchObject({ baseUrl, prefix });
  });

  it.each([
    ['oci://', 'no host'],
    ['oci://user:pw@host/x', 'credentials do not go in the URL'],
    ['oci://host/Flowstate', 'not a valid repository prefix'],
    ['oci://host/x?y=1', 'query'],
    ['ftp://host/x', "unknown scheme 'ftp'"],
  ])('rejects %s', (spec, problem) => {
    expect(() => parseOciEndpoint(spec)).toThrow(
      expect.objectContaining({ type: 'InvalidRegistrySpec', message: expect.stringContaining(problem) }),
    );
  });
});
