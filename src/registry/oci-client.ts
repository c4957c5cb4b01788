/**
 * A small client of the OCI distribution HTTP API (v2), over Node's `fetch`: just what the
 * definition registry needs (blobs, manifests, tags, catalog), with digest verification of
 * everything it reads and one-line errors that name the registry.
 */
import { AuthSession, describeFetchError, type RegistryCredentials } from './oci-auth';
import { isSha256Digest, sha256Digest } from './digest';
import { RegistryError } from './errors';

/** Options of {@link OciClient}. */
export interface OciClientOptions {
  credentials?: RegistryCredentials;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** How the registry is named in error messages; default the base URL. */
  displayName?: string;
}

/** A content descriptor (the parts this client uses). */
export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
}

/** A manifest read back: its exact bytes, their digest, and the media type the registry reported. */
export interface FetchedManifest {
  bytes: Buffer;
  digest: string;
  mediaType: string;
}

interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: Buffer;
  /** The token scope this request needs (`repository:<name>:pull,push`, `registry:catalog:*`). */
  scope: string;
  /** Statuses that are answers rather than errors (2xx always are). */
  accept?: number[];
}

const MAX_PAGES = 1000;

/** The client of one registry (`http(s)://host[:port]`). */
export class OciClient {
  private readonly timeoutMs: number;
  private readonly auth: AuthSession;
  private readonly name: string;

  /** @param baseUrl scheme, host and port of the registry, e.g. `http://127.0.0.1:5000`. */
  constructor(
    readonly baseUrl: string,
    options: OciClientOptions = {},
  ) {
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.name = options.displayName ?? baseUrl;
    this.auth = new AuthSession(options.credentials, this.name, this.timeoutMs);
  }

  /** Check that the registry speaks the v2 API (`GET /v2/`). */
  async ping(): Promise<void> {
    await this.request('/v2/', { scope: '' });
  }

  /** True when `repository` holds the blob `digest`. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.request(`/v2/${repository}/blobs/${digest}`, {
      method: 'HEAD',
      scope: pullScope(repository),
      accept: [404],
    });
    await discard(res);
    return res.status !== 404;
  }

  /**
   * Upload `bytes` as a blob of `repository` (monolithic: POST an upload session, PUT the bytes with
   * `?digest=`), unless the registry already has it. Returns the blob's descriptor fields.
   */
  async pushBlob(repository: string, bytes: Buffer): Promise<{ digest: string; size: number }> {
    const digest = sha256Digest(bytes);
    if (await this.hasBlob(repository, digest)) return { digest, size: bytes.length };
    const scope = pushScope(repository);
    const started = await this.request(`/v2/${repository}/blobs/uploads/`, {
      method: 'POST',
      scope,
      headers: { 'content-length': '0' },
    });
    await discard(started);
    const location = started.headers.get('location');
    if (!location) throw this.protocol(`answered the upload request for ${repository} without a Location`);
    const upload = new URL(location, started.url || this.baseUrl);
    upload.searchParams.set('digest', digest);
    const put = await this.request(upload.href, {
      method: 'PUT',
      scope,
      body: bytes,
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes.length) },
    });
    await discard(put);
    const stored = put.headers.get('docker-content-digest');
    if (stored && stored !== digest)
      throw this.integrity(`stored blob ${digest} of ${repository} as ${stored}`);
    return { digest, size: bytes.length };
  }

  /** Download a blob and check its size and sha256 digest against `descriptor`. */
  async fetchBlob(repository: string, descriptor: Pick<Descriptor, 'digest' | 'size'>): Promise<Buffer> {
    if (!isSha256Digest(descriptor.digest))
      throw this.protocol(`refers to blob '${descriptor.digest}', which is not a sha256 digest`);
    const res = await this.request(`/v2/${repository}/blobs/${descriptor.digest}`, {
      scope: pullScope(repository),
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const actual = sha256Digest(bytes);
    if (actual !== descriptor.digest || bytes.length !== descriptor.size) {
      throw this.integrity(
        `sent blob ${descriptor.digest} of ${repository} with digest ${actual} and ${bytes.length} bytes (expected ${descriptor.size})`,
      );
    }
    return bytes;
  }

  /** Store a manifest under `reference` (a tag); returns its digest. */
  async putManifest(
    repository: string,
    reference: string,
    bytes: Buffer,
    mediaType: string,
  ): Promise<string> {
    const digest = sha256Digest(bytes);
    const res = await this.request(`/v2/${repository}/manifests/${reference}`, {
      method: 'PUT',
      scope: pushScope(repository),
      body: bytes,
      headers: { 'content-type': mediaType, 'content-length': String(bytes.length) },
    });
    await discard(res);
    const stored = res.headers.get('docker-content-digest');
    if (stored && stored !== digest)
      throw this.integrity(`stored manifest ${repository}:${reference} as ${stored}, expected ${digest}`);
    return digest;
  }

  /**
   * Read the manifest under `reference` (tag or digest), or undefined when there is none. The bytes
   * are checked against the digest the registry reports (or the one asked for).
   */
  async fetchManifest(
    repository: string,
    reference: string,
    accept: string[],
  ): Promise<FetchedManifest | undefined> {
    const res = await this.request(`/v2/${repository}/manifests/${reference}`, {
      scope: pullScope(repository),
      headers: { accept: accept.join(', ') },
      accept: [404],
    });
    if (res.status === 404) return discard(res);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    const expected = reference.startsWith('sha256:') ? reference : res.headers.get('docker-content-digest');
    if (expected && expected !== digest)
      throw this.integrity(
        `sent manifest ${repository}:${reference} with digest ${digest}, expected ${expected}`,
      );
    return { bytes, digest, mediaType: (res.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '' };
  }

  /** Every tag of `repository` (all pages); empty when the repository does not exist. */
  async listTags(repository: string): Promise<string[]> {
    return this.paged(`/v2/${repository}/tags/list?n=1000`, pullScope(repository), 'tags');
  }

  /** Every repository of the registry (all pages of `/v2/_catalog`). */
  async catalog(): Promise<string[]> {
    return this.paged('/v2/_catalog?n=1000', 'registry:catalog:*', 'repositories');
  }

  private async paged(first: string, scope: string, field: 'tags' | 'repositories'): Promise<string[]> {
    const all: string[] = [];
    let next: string | undefined = first;
    for (let page = 0; next !== undefined; page++) {
      if (page >= MAX_PAGES) throw this.protocol(`kept paginating ${first} past ${MAX_PAGES} pages`);
      const res: Response = await this.request(next, { scope, accept: [404] });
      if (res.status === 404) {
        await discard(res);
        return all; // NAME_UNKNOWN: no such repository, so no tags
      }
      const body = (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined;
      const items = body?.[field];
      if (
        items !== null &&
        items !== undefined &&
        !(Array.isArray(items) && items.every((t) => typeof t === 'string'))
      ) {
        throw this.protocol(`answered ${first} without a list of ${field}`);
      }
      all.push(...((items as string[] | null | undefined) ?? []));
      next = nextLink(res.headers.get('link'));
    }
    return all;
  }

  /** One request, answering an auth challenge once; network failures become `Unreachable`. */
  private async request(pathOrUrl: string, options: RequestOptions): Promise<Response> {
    const url = new URL(pathOrUrl, this.baseUrl);
    for (let attempt = 0; ; attempt++) {
      const headers: Record<string, string> = { ...options.headers };
      const authorization = this.auth.headerFor(options.scope);
      if (authorization) headers.authorization = authorization;
      let res: Response;
      try {
        res = await fetch(url, {
          method: options.method ?? 'GET',
          headers,
          ...(options.body ? { body: options.body } : {}),
          signal: AbortSignal.timeout(this.timeoutMs),
        });
      } catch (err) {
        throw new RegistryError(
          'Unreachable',
          `registry ${this.name} is unreachable (${options.method ?? 'GET'} ${url.href}): ${describeFetchError(err)}`,
          {
            registry: this.name,
            url: url.href,
          },
          { cause: err },
        );
      }
      if (res.status === 401) {
        await discard(res);
        if (await this.auth.answer(res, options.scope, attempt > 0)) continue;
      }
      if (res.ok || options.accept?.includes(res.status)) return res;
      throw await this.statusError(res, options.method ?? 'GET', url);
    }
  }

  private async statusError(res: Response, method: string, url: URL): Promise<RegistryError> {
    const text = await res.text().catch(() => '');
    let detail = text.slice(0, 200).replace(/\s+/g, ' ').trim();
    try {
      const errors = (JSON.parse(text) as { errors?: { code?: string; message?: string }[] }).errors;
      if (errors?.length)
        detail = errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    } catch {
      // not JSON: keep the text
    }
    const type = res.status === 403 ? 'Unauthorized' : 'ProtocolError';
    return new RegistryError(
      type,
      `registry ${this.name} answered ${res.status}${detail ? ` (${detail})` : ''} to ${method} ${url.pathname}`,
      {
        registry: this.name,
        status: res.status,
        url: url.href,
      },
    );
  }

  private protocol(what: string): RegistryError {
    return new RegistryError('ProtocolError', `registry ${this.name} ${what}`, { registry: this.name });
  }

  private integrity(what: string): RegistryError {
    return new RegistryError('IntegrityError', `registry ${this.name} ${what}`, { registry: this.name });
  }
}

/** Release a response body we do not read, so its connection goes back to the pool. */
async function discard(res: Response): Promise<undefined> {
  await res.body?.cancel().catch(() => undefined);
  return undefined;
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

/** The `rel="next"` target of a `Link` header, if any. */
export function nextLink(header: string | null): string | undefined {
  for (const part of (header ?? '').split(',')) {
    const m = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (m && /(?:^|;)\s*rel="?next"?\s*(?:;|$)/.test(m[2] as string)) return m[1];
  }
  return undefined;
}
