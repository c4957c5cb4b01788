/**
 * Typed errors of the definition registry. Every failure a caller may want to tell apart carries a
 * `type`; the message is one line meant for a human at a terminal, saying what happened and what to
 * do about it.
 */

/** What went wrong, for callers that branch on it (the CLI maps these to exit codes and hints). */
export type RegistryErrorType =
  /** A ref, id or version that does not parse (`Hello@1`, `my_flow`, `1.0`). */
  | 'InvalidRef'
  /** A push request that is malformed (content hash not 64 hex digits, empty content). */
  | 'InvalidRequest'
  /** `id@version` already holds a definition with a different content hash. */
  | 'VersionExists'
  /** No such id, or no such version of it. */
  | 'DefinitionNotFound'
  /** The stored thing is not a Flowstate definition, or its metadata contradicts the ref. */
  | 'InvalidArtifact'
  /** Bytes read back do not match their digest, or the store is half-written. */
  | 'IntegrityError'
  /** A symbolic link (or a folder resolving elsewhere) inside a folder registry: never followed. */
  | 'UnsafePath'
  /** The registry could not be reached at all (connection refused, DNS, timeout). */
  | 'Unreachable'
  /** The registry refused our credentials, or wants some and none are configured. */
  | 'Unauthorized'
  /** The registry answered something the protocol does not allow, or an error status. */
  | 'ProtocolError'
  /** The registry spec (`FLOWSTATE_REGISTRY`) does not parse. */
  | 'InvalidRegistrySpec';

/** The one error class the registry throws; branch on {@link RegistryError.type}. */
export class RegistryError extends Error {
  override readonly name = 'RegistryError';

  constructor(
    readonly type: RegistryErrorType,
    message: string,
    /** Structured facts about the failure (ref, hashes, available versions, URL...). */
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True when `err` is a {@link RegistryError}, optionally of the given type. */
export function isRegistryError(err: unknown, type?: RegistryErrorType): err is RegistryError {
  return err instanceof RegistryError && (type === undefined || err.type === type);
}

/** The error for pushing different content to an existing `id@version`. */
export function versionExists(
  ref: string,
  existingHash: string,
  pushedHash: string,
  where: string,
): RegistryError {
  return new RegistryError(
    'VersionExists',
    `${ref} already exists in ${where} with content hash ${existingHash}, and the definition pushed has ` +
      `content hash ${pushedHash}: versions are immutable, so bump the version (e.g. in the file's ` +
      `\`version:\`) and push again`,
    { ref, existingHash, pushedHash },
  );
}

/** The error for a missing id or version; lists what is there so the user can pick. */
export function definitionNotFound(
  id: string,
  version: string | undefined,
  available: string[],
  where: string,
): RegistryError {
  let message: string;
  if (version === undefined)
    message = `no definition '${id}' in ${where}: nothing has been pushed under that id`;
  else if (available.length === 0)
    message = `${id}@${version} not found in ${where}: '${id}' has no versions there`;
  else
    message = `${id}@${version} not found in ${where}; available versions of '${id}': ${available.join(', ')}`;
  return new RegistryError('DefinitionNotFound', message, {
    id,
    ...(version === undefined ? {} : { version }),
    available,
  });
}
