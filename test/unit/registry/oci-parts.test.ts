import { createHash } from 'node:crypto';
import { parseChallenge } from '../../../src/registry/oci-auth';
import { nextLink } from '../../../src/registry/oci-client';
import { buildDefinitionManifest, parseDefinitionManifest } from '../../../src/registry/oci-manifest';

const hex = (s: string) => createHash('sha256').update(s).digest('hex');

describe('definition manifest', () => {
  const layer = {
    mediaType: 'application/vnd.flowstate.definition.v1+yaml',
    digest: `sha256:${hex('x')}`,
    size: 1,
  };

  it('is an OCI 1.1 artifact with the empty config, one titled layer and the flowstate annotations', () => {
    const bytes = buildDefinitionManifest({ id: 'hello', version: '1.0.0', contentHash: hex('c'), layer });
    expect(JSON.parse(bytes.toString())).toEqual({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      artifactType: 'application/vnd.flowstate.definition.v1',
      config: {
        mediaType: 'application/vnd.oci.empty.v1+json',
        digest: 'sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a',
        size: 2,
      },
      layers: [{ ...layer, annotations: { 'org.opencontainers.image.title': 'hello.yaml' } }],
      annotations: {
        'dev.flowstate.content-hash': hex('c'),
        'dev.flowstate.id': 'hello',
        'dev.flowstate.version': '1.0.0',
      },
    });
    // Deterministic: the same definition gives the same manifest digest.
    expect(buildDefinitionManifest({ id: 'hello', version: '1.0.0', contentHash: hex('c'), layer })).toEqual(
      bytes,
    );
    expect(parseDefinitionManifest(bytes, 'r:1')).toEqual({
      contentHash: hex('c'),
      layer,
      files: [],
      id: 'hello',
      version: '1.0.0',
    });
  });

  it('carries the files a definition names as further layers, titled by their names', () => {
    const file = {
      name: 'templates/phase.md',
      mediaType: 'application/vnd.flowstate.file.v1',
      digest: layer.digest,
      size: 1,
    };
    const bytes = buildDefinitionManifest({
      id: 'spec',
      version: '1.0.0',
      contentHash: hex('c'),
      layer,
      files: [file],
    });
    const manifest = JSON.parse(bytes.toString('utf8'));
    expect(manifest.layers[1]).toEqual({
      mediaType: 'application/vnd.flowstate.file.v1',
      digest: layer.digest,
      size: 1,
      annotations: { 'org.opencontainers.image.title': 'templates/phase.md' },
    });
    expect(parseDefinitionManifest(bytes, 'r:1').files).toEqual([file]);
  });

  it.each([
    ['not JSON', 'nope', 'not JSON'],
    [
      'a docker image',
      JSON.stringify({
        schemaVersion: 2,
        config: { ...layer, mediaType: 'application/vnd.oci.image.config.v1+json' },
        layers: [layer],
      }),
      'artifact type is application/vnd.oci.image.config.v1+json',
    ],
    [
      'a second layer that names no file',
      JSON.stringify({
        schemaVersion: 2,
        artifactType: 'application/vnd.flowstate.definition.v1',
        config: layer,
        layers: [layer, layer],
        annotations: { 'dev.flowstate.content-hash': hex('c') },
      }),
      'its layer 2 has no org.opencontainers.image.title annotation naming a file',
    ],
    [
      'no content hash',
      JSON.stringify({
        schemaVersion: 2,
        artifactType: 'application/vnd.flowstate.definition.v1',
        config: layer,
        layers: [layer],
      }),
      'content-hash',
    ],
  ])('rejects %s', (_what, text, problem) => {
    expect(() => parseDefinitionManifest(Buffer.from(text), 'reg/flowstate/x:1.0.0')).toThrow(
      expect.objectContaining({ type: 'InvalidArtifact', message: expect.stringContaining(problem) }),
    );
  });
});

describe('parseChallenge', () => {
  it('reads a bearer challenge with quoted, comma-holding values', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'registry.example',
        scope: 'repository:a/b:pull,push',
      },
    });
  });

  it('reads a basic challenge and tolerates an empty header', () => {
    expect(parseChallenge('Basic realm="basic-realm"')).toEqual({
      scheme: 'basic',
      params: { realm: 'basic-realm' },
    });
    expect(parseChallenge('')).toBeUndefined();
    expect(parseChallenge(null)).toBeUndefined();
  });
});

describe('nextLink', () => {
  it('finds the rel="next" target', () => {
    expect(nextLink('</v2/_catalog?last=b&n=2>; rel="next"')).toBe('/v2/_catalog?last=b&n=2');
    expect(nextLink('<https://x/prev>; rel="prev", <https://x/next>; rel=next')).toBe('https://x/next');
    expect(nextLink(null)).toBeUndefined();
    expect(nextLink('<https://x/prev>; rel="prev"')).toBeUndefined();
  });
});
