/**
 * The definition registry: where `flowstate push/pull/ls/run id@version` keep definitions.
 *
 * `openRegistry()` picks the backend from `FLOWSTATE_REGISTRY`: an OCI registry
 * (`oci://host:port/prefix`, `http(s)://host/prefix`) or a folder (a path or `file://path`),
 * defaulting to the folder `./.flowstate/registry`.
 */
import { fileURLToPath } from 'node:url';
import { RegistryError } from './errors';
import { FilesystemRegistry } from './filesystem';
import { OciRegistry } from './oci';
import { parseOciEndpoint } from './oci-endpoint';
import type { DefinitionRegistry } from './types';

export * from './types';
export { RegistryError, isRegistryError, type RegistryErrorType } from './errors';
export { parseRef, formatRef, sortVersions, latestVersion, isVersion, isId, type DefinitionRef } from './ref';
export { FilesystemRegistry } from './filesystem';
export { OciRegistry, type OciRegistryOptions } from './oci';
export { parseOciEndpoint, type OciEndpoint } from './oci-endpoint';
export type { RegistryCredentials } from './oci-auth';

/** The folder used when `FLOWSTATE_REGISTRY` is not set (relative to the current directory). */
export const DEFAULT_REGISTRY_PATH = './.flowstate/registry';

/** Options of {@link openRegistry}. */
export interface OpenRegistryOptions {
  /** Where `FLOWSTATE_REGISTRY_USERNAME` / `_PASSWORD` are read from; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Per HTTP request for OCI registries; default 30 s. */
  timeoutMs?: number;
}

/**
 * Open the registry named by `spec` (default: `FLOWSTATE_REGISTRY`, else `./.flowstate/registry`):
 * `oci://host[:port][/prefix]` (http for loopback hosts, https otherwise), `http://` or `https://`
 * → {@link OciRegistry}; a path or `file://path` → {@link FilesystemRegistry}. Nothing is
 * contacted or created until the first call.
 *
 * @throws RegistryError `InvalidRegistrySpec` for an unknown scheme or a malformed URL.
 */
export function openRegistry(
  spec: string | undefined = process.env.FLOWSTATE_REGISTRY,
  options: OpenRegistryOptions = {},
): DefinitionRegistry {
  const value = spec?.trim() ? spec.trim() : DEFAULT_REGISTRY_PATH;
  if (value.startsWith('file:')) {
    try {
      return new FilesystemRegistry(fileURLToPath(value));
    } catch (err) {
      throw new RegistryError(
        'InvalidRegistrySpec',
        `invalid registry '${value}': ${(err as Error).message}`,
        { spec: value },
        { cause: err },
      );
    }
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(value)?.[1]?.toLowerCase();
  if (scheme === undefined) return new FilesystemRegistry(value);
  if (scheme !== 'oci' && scheme !== 'http' && scheme !== 'https') {
    throw new RegistryError(
      'InvalidRegistrySpec',
      `invalid registry '${value}': unknown scheme '${scheme}' (use oci://, http://, https://, file:// or a path)`,
      { spec: value },
    );
  }
  const env = options.env ?? process.env;
  const username = env.FLOWSTATE_REGISTRY_USERNAME;
  const password = env.FLOWSTATE_REGISTRY_PASSWORD;
  if ((username === undefined) !== (password === undefined)) {
    throw new RegistryError(
      'InvalidRegistrySpec',
      'set both FLOWSTATE_REGISTRY_USERNAME and FLOWSTATE_REGISTRY_PASSWORD, or neither',
      {},
    );
  }
  return new OciRegistry(parseOciEndpoint(value), {
    ...(username !== undefined && password !== undefined ? { credentials: { username, password } } : {}),
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
  });
}
