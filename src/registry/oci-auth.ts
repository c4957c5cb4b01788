/**
 * Registry authentication for the OCI client: anonymous by default; on a `401` it answers the
 * `WWW-Authenticate` challenge, either with HTTP Basic credentials or by fetching a bearer token
 * from the challenge's realm (the token flow of the distribution spec, credentials sent as Basic to
 * the token endpoint when configured). Tokens are cached per scope for the client's lifetime.
 */
import { RegistryError } from './errors';

/** Credentials for a registry (`FLOWSTATE_REGISTRY_USERNAME` / `FLOWSTATE_REGISTRY_PASSWORD`). */
export interface RegistryCredentials {
  username: string;
  password: string;
}

/** A parsed `WWW-Authenticate` challenge: the scheme (lowercase) and its parameters. */
export interface AuthChallenge {
  scheme: string;
  params: Record<string, string>;
}

/**
 * Parse a `WWW-Authenticate` header such as
 * `Bearer realm="https://auth.example/token",service="registry",scope="repository:a/b:pull"`.
 * Returns undefined for an empty header.
 */
export function parseChallenge(header: string | null | undefined): AuthChallenge | undefined {
  const match = /^\s*([A-Za-z][\w-]*)\s*(.*)$/s.exec(header ?? '');
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const m of (match[2] ?? '').matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[(m[1] as string).toLowerCase()] =
      m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] as string);
  }
  return { scheme: (match[1] as string).toLowerCase(), params };
}

function basic(credentials: RegistryCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Holds the Authorization header to send for each scope, learnt from challenges. */
export class AuthSession {
  private readonly byScope = new Map<string, string>();
  /** Set once the registry asked for Basic: the same header then serves every scope. */
  private basicHeader: string | undefined;

  constructor(
    private readonly credentials: RegistryCredentials | undefined,
    private readonly registry: string,
    private readonly timeoutMs: number,
  ) {}

  /** The Authorization header for `scope`, if a challenge for it has been answered. */
  headerFor(scope: string): string | undefined {
    return this.byScope.get(scope) ?? this.basicHeader;
  }

  /**
   * Answer the challenge of a `401` response for `scope`. Returns true when the request should be
   * retried with {@link AuthSession.headerFor}.
   * @throws RegistryError `Unauthorized` when there is nothing (more) to try.
   */
  async answer(response: Response, scope: string, alreadyTried: boolean): Promise<boolean> {
    const challenge = parseChallenge(response.headers.get('www-authenticate'));
    const needs = this.credentials
      ? `the registry refused the credentials of FLOWSTATE_REGISTRY_USERNAME (${this.credentials.username})`
      : 'the registry wants credentials: set FLOWSTATE_REGISTRY_USERNAME and FLOWSTATE_REGISTRY_PASSWORD';
    if (alreadyTried || !challenge)
      throw new RegistryError('Unauthorized', `${this.registry}: ${needs}`, { registry: this.registry });
    if (challenge.scheme === 'basic') {
      if (!this.credentials)
        throw new RegistryError('Unauthorized', `${this.registry}: ${needs}`, { registry: this.registry });
      this.basicHeader = basic(this.credentials);
      return true;
    }
    if (challenge.scheme === 'bearer' && challenge.params.realm) {
      this.byScope.set(scope, `Bearer ${await this.fetchToken(challenge.params, scope)}`);
      return true;
    }
    throw new RegistryError(
      'Unauthorized',
      `${this.registry}: unsupported authentication challenge '${challenge.scheme}'`,
      {
        registry: this.registry,
      },
    );
  }

  private async fetchToken(params: Record<string, string>, scope: string): Promise<string> {
    const url = new URL(params.realm as string);
    if (params.service) url.searchParams.set('service', params.service);
    const wanted = params.scope ?? scope;
    if (wanted) url.searchParams.set('scope', wanted);
    const headers: Record<string, string> = {};
    if (this.credentials) headers.authorization = basic(this.credentials);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw new RegistryError(
        'Unreachable',
        `token service ${url.origin}${url.pathname} of ${this.registry} is unreachable: ${describeFetchError(err)}`,
        { url: url.href },
        { cause: err },
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new RegistryError(
        'Unauthorized',
        `${this.registry}: the token service refused ${this.credentials ? `user ${this.credentials.username}` : 'anonymous access'} (${response.status})`,
        {
          registry: this.registry,
        },
      );
    }
    const body = (await response.json().catch(() => undefined)) as
      { token?: unknown; access_token?: unknown } | undefined;
    const token = body?.token ?? body?.access_token;
    if (!response.ok || typeof token !== 'string') {
      throw new RegistryError(
        'ProtocolError',
        `${this.registry}: the token service answered ${response.status} without a token`,
        {
          registry: this.registry,
        },
      );
    }
    return token;
  }
}

/** One line saying why `fetch` failed: the system error code and address when there is one. */
export function describeFetchError(err: unknown): string {
  if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return 'no answer before the timeout';
  const cause = (err as { cause?: { code?: string; message?: string } } | undefined)?.cause;
  if (cause?.message) return cause.message;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.message : String(err);
}
