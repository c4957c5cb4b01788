/**
 * Definition refs (`id` or `id@version`), strictly parsed, and semver ordering of versions.
 *
 * An id is lowercase letters, digits and `-`, not starting or ending with `-` (so it is also a
 * valid OCI repository path component). A version is a canonical semver 2.0 version without build
 * metadata: `1.2.3`, `2.0.0-rc.1`; not `v1.2.3`, `1.2`, or `1.0.0+build.5` (build metadata does not
 * take part in semver precedence, so two such versions could not be ordered, and `+` is not allowed
 * in an OCI tag).
 */
import semver from 'semver';
import { definitionNotFound, RegistryError } from './errors';

/** A parsed ref; `version` is absent for a bare `id` (meaning: the latest version). */
export interface DefinitionRef {
  id: string;
  version?: string;
}

/** The longest id accepted (well inside the OCI limits once a repository prefix is added). */
export const MAX_ID_LENGTH = 128;
/** The longest version accepted: an OCI tag holds at most 128 characters. */
export const MAX_VERSION_LENGTH = 128;

const ID = /^[a-z0-9]+(?:-+[a-z0-9]+)*$/;
const CONTENT_HASH = /^[0-9a-f]{64}$/;

/** Why `id` is not a valid definition id, or undefined when it is. */
export function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'the id is empty';
  if (id.length > MAX_ID_LENGTH) return `the id is longer than ${MAX_ID_LENGTH} characters`;
  if (!ID.test(id))
    return `'${id}' is not a valid id: use lowercase letters, digits and '-' (not first or last)`;
  return undefined;
}

/** Why `version` is not a valid definition version, or undefined when it is. */
export function versionProblem(version: string): string | undefined {
  if (version.length === 0) return 'the version is empty';
  if (version.length > MAX_VERSION_LENGTH)
    return `the version is longer than ${MAX_VERSION_LENGTH} characters`;
  if (version.includes('+'))
    return `'${version}' has build metadata ('+...'), which cannot be ordered: drop it`;
  if (semver.valid(version) !== version)
    return `'${version}' is not a semver version such as 1.2.3 or 2.0.0-rc.1`;
  return undefined;
}

/** True when `version` is a valid definition version (see the module comment). */
export function isVersion(version: string): boolean {
  return versionProblem(version) === undefined;
}

/** True when `id` is a valid definition id. */
export function isId(id: string): boolean {
  return idProblem(id) === undefined;
}

/** Throw `InvalidRef` unless `id` is a valid definition id. */
export function assertId(id: string): void {
  const problem = idProblem(id);
  if (problem) throw new RegistryError('InvalidRef', `invalid definition id: ${problem}`, { id });
}

/** Throw `InvalidRef` unless `version` is a valid definition version. */
export function assertVersion(version: string): void {
  const problem = versionProblem(version);
  if (problem) throw new RegistryError('InvalidRef', `invalid definition version: ${problem}`, { version });
}

/** Throw `InvalidRequest` unless `hash` is a lowercase sha256 hex digest (64 characters). */
export function assertContentHash(hash: string): void {
  if (!CONTENT_HASH.test(hash)) {
    throw new RegistryError(
      'InvalidRequest',
      `invalid content hash '${hash}': expected the sha256 of the canonical definition as 64 lowercase hex digits`,
      { contentHash: hash },
    );
  }
}

/**
 * Parse `id` or `id@version` strictly.
 *
 * @throws RegistryError `InvalidRef` naming the ref and what is wrong with it.
 */
export function parseRef(ref: string): DefinitionRef {
  const at = ref.indexOf('@');
  const id = at < 0 ? ref : ref.slice(0, at);
  const version = at < 0 ? undefined : ref.slice(at + 1);
  const problem = idProblem(id) ?? (version === undefined ? undefined : versionProblem(version));
  if (problem) {
    throw new RegistryError(
      'InvalidRef',
      `invalid definition ref '${ref}': ${problem} (expected id or id@version, e.g. hello or hello@1.2.0)`,
      { ref },
    );
  }
  return version === undefined ? { id } : { id, version };
}

/** `id@version`, or `id` when there is no version. */
export function formatRef(ref: DefinitionRef): string {
  return ref.version === undefined ? ref.id : `${ref.id}@${ref.version}`;
}

/**
 * The valid versions among `versions`, ascending by semver precedence (`1.2.0` < `1.10.0`,
 * `2.0.0-rc.1` < `2.0.0`), without duplicates. Anything that is not a valid version is dropped
 * (an OCI repository may hold other tags, such as `latest`).
 */
export function sortVersions(versions: Iterable<string>): string[] {
  return [...new Set(versions)].filter(isVersion).sort(semver.compare);
}

/**
 * The highest version by semver precedence, or undefined when there is none. A pre-release counts
 * like any other version: with `1.9.0` and `2.0.0-rc.1`, the latest is `2.0.0-rc.1`.
 */
export function latestVersion(versions: Iterable<string>): string | undefined {
  const sorted = sortVersions(versions);
  return sorted[sorted.length - 1];
}

/**
 * Resolve `id` or `id@version` against the versions a registry holds: the exact version when it
 * exists, the latest when none is given.
 *
 * @param versions the versions of an id in the registry (any order).
 * @param where the registry's location, for the error message.
 * @throws RegistryError `InvalidRef` or `DefinitionNotFound` (listing the available versions).
 */
export async function resolveAgainst(
  ref: string,
  versions: (id: string) => Promise<string[]>,
  where: string,
): Promise<{ id: string; version: string }> {
  const { id, version } = parseRef(ref);
  const available = sortVersions(await versions(id));
  if (version === undefined) {
    const latest = available[available.length - 1];
    if (latest === undefined) throw definitionNotFound(id, undefined, available, where);
    return { id, version: latest };
  }
  if (!available.includes(version)) throw definitionNotFound(id, version, available, where);
  return { id, version };
}
