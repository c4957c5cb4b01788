/** Parsing of OCI registry specs: `oci://host[:port][/prefix]`, `http://...`, `https://...`. */
import { RegistryError } from './errors';

/** Where an OCI registry is and under which repository prefix definitions live. */
export interface OciEndpoint {
  /** Scheme, host and port: `http://127.0.0.1:5000`. */
  baseUrl: string;
  /** Host and port as in an OCI reference: `127.0.0.1:5000`. */
  host: string;
  /** Repository prefix (`flowstate`, `team/flowstate`), or '' for none. */
  prefix: string;
  /** The spec as given, normalised, for messages: `oci://127.0.0.1:5000/flowstate`. */
  display: string;
}

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$/;

/** True for `localhost`, `*.localhost`, `127.x.x.x` and `::1`: plain http is fine there. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

/**
 * Parse an OCI registry spec. `oci://` uses http for a loopback host and https otherwise;
 * `http://` and `https://` say it explicitly. The path, if any, is the repository prefix.
 *
 * @throws RegistryError `InvalidRegistrySpec`.
 */
export function parseOciEndpoint(spec: string): OciEndpoint {
  const bad = (why: string) =>
    new RegistryError(
      'InvalidRegistrySpec',
      `invalid registry '${spec}': ${why} (expected e.g. oci://localhost:5000/flowstate)`,
      { spec },
    );
  let url: URL;
  try {
    url = new URL(spec);
  } catch {
    throw bad('not a URL');
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!['oci', 'http', 'https'].includes(scheme)) throw bad(`unknown scheme '${scheme}'`);
  if (!url.host) throw bad('no host');
  if (url.username || url.password)
    throw bad(
      'credentials do not go in the URL: set FLOWSTATE_REGISTRY_USERNAME and FLOWSTATE_REGISTRY_PASSWORD',
    );
  if (url.search || url.hash) throw bad('a query or fragment is not allowed');
  const prefix = url.pathname.replace(/^\/+|\/+$/g, '');
  if (prefix && !prefix.split('/').every((c) => PATH_COMPONENT.test(c))) {
    throw bad(
      `'${prefix}' is not a valid repository prefix (lowercase letters, digits, '.', '_', '-', separated by '/')`,
    );
  }
  const http = scheme === 'http' || (scheme === 'oci' && isLoopbackHost(url.hostname));
  return {
    baseUrl: `${http ? 'http' : 'https'}://${url.host}`,
    host: url.host,
    prefix,
    display: `${scheme}://${url.host}${prefix ? `/${prefix}` : ''}`,
  };
}
