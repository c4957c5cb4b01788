import { RegistryError } from '../../../src/registry/errors';
import {
  assertContentHash,
  formatRef,
  latestVersion,
  parseRef,
  resolveAgainst,
  sortVersions,
} from '../../../src/registry/ref';

function errorOf(fn: () => unknown): RegistryError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected a RegistryError');
}

describe('parseRef', () => {
  it.each([
    ['hello', { id: 'hello' }],
    ['hello@1.2.3', { id: 'hello', version: '1.2.3' }],
    ['my-flow-2@0.0.1-rc.1', { id: 'my-flow-2', version: '0.0.1-rc.1' }],
    ['a--b@10.20.30', { id: 'a--b', version: '10.20.30' }],
    ['9@1.0.0-alpha.beta.1', { id: '9', version: '1.0.0-alpha.beta.1' }],
  ])('parses %s', (ref, expected) => {
    expect(parseRef(ref)).toEqual(expected);
    expect(formatRef(parseRef(ref))).toBe(ref);
  });

  it.each([
    ['', 'the id is empty'],
    ['Hello', 'not a valid id'],
    ['my_flow', 'not a valid id'],
    ['-hello', 'not a valid id'],
    ['hello-', 'not a valid id'],
    ['hello world', 'not a valid id'],
    ['team/hello', 'not a valid id'],
    ['hello@', 'the version is empty'],
    ['hello@1', 'not a semver version'],
    ['hello@1.2', 'not a semver version'],
    ['hello@v1.2.3', 'not a semver version'],
    ['hello@=1.2.3', 'not a semver version'],
    ['hello@01.2.3', 'not a semver version'],
    ['hello@1.2.3@4.5.6', 'not a semver version'],
    ['hello@1.2.3+build.5', 'build metadata'],
    ['hello@ 1.2.3', 'not a semver version'],
    [`${'a'.repeat(129)}`, 'longer than 128'],
  ])('rejects %j (%s)', (ref, problem) => {
    const err = errorOf(() => parseRef(ref));
    expect(err.type).toBe('InvalidRef');
    expect(err.message).toContain(problem);
    expect(err.message).toContain(`'${ref}'`);
  });
});

describe('semver ordering', () => {
  it('sorts by precedence, not by string', () => {
    expect(sortVersions(['1.10.0', '1.2.0', '1.9.9', '0.1.0', '1.2.0-rc.1', '1.2.0-alpha', '2.0.0'])).toEqual(
      ['0.1.0', '1.2.0-alpha', '1.2.0-rc.1', '1.2.0', '1.9.9', '1.10.0', '2.0.0'],
    );
  });

  it('drops tags that are not versions and duplicates', () => {
    expect(sortVersions(['latest', '1.0.0', 'v2.0.0', '1.0.0', 'sha256-abc', '1.0.0+x'])).toEqual(['1.0.0']);
  });

  it('picks the highest version as the latest, a pre-release included', () => {
    expect(latestVersion(['1.2.0', '1.10.0', '1.9.0'])).toBe('1.10.0');
    expect(latestVersion(['1.9.0', '2.0.0-rc.1'])).toBe('2.0.0-rc.1');
    expect(latestVersion(['2.0.0-rc.1', '2.0.0'])).toBe('2.0.0');
    expect(latestVersion([])).toBeUndefined();
    expect(latestVersion(['latest'])).toBeUndefined();
  });
});

describe('resolveAgainst', () => {
  const versions = async (id: string) => (id === 'hello' ? ['1.2.0', '1.10.0', 'latest', '1.9.0'] : []);

  it('resolves a bare id to its latest version', async () => {
    await expect(resolveAgainst('hello', versions, 'here')).resolves.toEqual({
      id: 'hello',
      version: '1.10.0',
    });
  });

  it('keeps an exact version that exists', async () => {
    await expect(resolveAgainst('hello@1.2.0', versions, 'here')).resolves.toEqual({
      id: 'hello',
      version: '1.2.0',
    });
  });

  it('names the available versions when the version is missing', async () => {
    await expect(resolveAgainst('hello@1.3.0', versions, 'here')).rejects.toMatchObject({
      type: 'DefinitionNotFound',
      message: "hello@1.3.0 not found in here; available versions of 'hello': 1.2.0, 1.9.0, 1.10.0",
      details: { id: 'hello', version: '1.3.0', available: ['1.2.0', '1.9.0', '1.10.0'] },
    });
  });

  it('says when an id has no versions at all', async () => {
    await expect(resolveAgainst('other', versions, 'here')).rejects.toMatchObject({
      type: 'DefinitionNotFound',
      message: expect.stringContaining("no definition 'other' in here"),
    });
  });

  it('rejects a malformed ref before asking the registry', async () => {
    const asked: string[] = [];
    await expect(resolveAgainst('Hello@1', async (id) => (asked.push(id), []), 'here')).rejects.toMatchObject(
      {
        type: 'InvalidRef',
      },
    );
    expect(asked).toEqual([]);
  });
});

describe('assertContentHash', () => {
  it('accepts 64 lowercase hex digits only', () => {
    expect(() => assertContentHash('a'.repeat(64))).not.toThrow();
    for (const bad of ['A'.repeat(64), 'a'.repeat(63), `sha256:${'a'.repeat(64)}`, '']) {
      expect(errorOf(() => assertContentHash(bad)).type).toBe('InvalidRequest');
    }
  });
});
