/**
 * The identity verifier's configuration, read from the worker's environment (docs/people.md):
 * `FLOWSTATE_AUTH_JWKS` (a JWKS file path or an http(s) URL of an issuer's JWKS) or
 * `FLOWSTATE_AUTH_HS256_SECRET` (a shared secret), `FLOWSTATE_AUTH_ISSUER` (checked when set) and
 * `FLOWSTATE_AUTH_AUDIENCE` (default `flowstate`). Pure: reads files, never the network.
 */
import fs from 'node:fs';
import path from 'node:path';
import { EnvError } from '../env';

/** The audience a token must name when `FLOWSTATE_AUTH_AUDIENCE` is not set. */
export const DEFAULT_AUDIENCE = 'flowstate';

/** Where the verifier's keys come from. */
export type KeySource =
  /** An issuer's JWKS endpoint, fetched (and cached) by jose. */
  | { kind: 'jwks-url'; url: string }
  /** A JWKS document read from a file at start. */
  | { kind: 'jwks-file'; path: string; jwks: { keys: Record<string, unknown>[] } }
  /** A shared HS256 secret. */
  | { kind: 'hs256'; secret: Uint8Array };

/** What the worker verifies deciders' tokens with. */
export interface AuthConfig {
  keys: KeySource;
  /** The `iss` a token must carry, when set. */
  issuer?: string;
  audience: string;
}

/**
 * The key source as the worker's start line names it: never the secret, and a JWKS URL without the
 * user, password or query it may carry.
 */
export function keySourceSummary(keys: KeySource): string {
  if (keys.kind === 'hs256') return 'hs256 shared secret';
  if (keys.kind === 'jwks-file') return `jwks ${keys.path}`;
  const url = new URL(keys.url);
  url.username = '';
  url.password = '';
  url.search = '';
  return `jwks ${url.href}`;
}

/** The environment configures the verifier in a way that cannot work; the message names the variable and the fix. */
export class AuthConfigError extends EnvError {
  override readonly name = 'AuthConfigError';
}

/** Shortest shared secret accepted: 32 bytes, as RFC 7518 asks of HS256 keys. */
const MIN_SECRET_BYTES = 32;

/**
 * The verifier's configuration from `env`; undefined when neither `FLOWSTATE_AUTH_JWKS` nor
 * `FLOWSTATE_AUTH_HS256_SECRET` is set (no verifier: deciders are taken as they say). Throws an
 * `AuthConfigError` when both are set, the JWKS file cannot be read or holds no keys, or the secret
 * is too short.
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig | undefined {
  const jwks = env.FLOWSTATE_AUTH_JWKS?.trim();
  const secret = env.FLOWSTATE_AUTH_HS256_SECRET;
  const issuer = env.FLOWSTATE_AUTH_ISSUER?.trim();
  const audience = env.FLOWSTATE_AUTH_AUDIENCE?.trim() || DEFAULT_AUDIENCE;
  if (jwks && secret) {
    throw new AuthConfigError(
      'FLOWSTATE_AUTH_JWKS and FLOWSTATE_AUTH_HS256_SECRET are both set: the worker verifies tokens with one of them; unset the other',
    );
  }
  if (!jwks && !secret) {
    if (issuer || env.FLOWSTATE_AUTH_AUDIENCE?.trim()) {
      throw new AuthConfigError(
        'FLOWSTATE_AUTH_ISSUER or FLOWSTATE_AUTH_AUDIENCE is set but no verifier is: set FLOWSTATE_AUTH_JWKS (a JWKS file or URL) or FLOWSTATE_AUTH_HS256_SECRET',
      );
    }
    return undefined;
  }
  const keys = jwks ? jwksSource(jwks) : hs256Source(secret!);
  return { keys, audience, ...(issuer ? { issuer } : {}) };
}

function jwksSource(value: string): KeySource {
  if (/^https?:\/\//i.test(value)) {
    try {
      return { kind: 'jwks-url', url: new URL(value).toString() };
    } catch {
      throw new AuthConfigError(`FLOWSTATE_AUTH_JWKS is not a valid URL: '${value}'`);
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new AuthConfigError(
      `FLOWSTATE_AUTH_JWKS must be a JWKS file path or an http:// or https:// URL; got '${value}'`,
    );
  }
  const file = path.resolve(value);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new AuthConfigError(
      `FLOWSTATE_AUTH_JWKS: cannot read the JWKS file ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); give the path of a JWKS document ({"keys": [...]}) or the issuer's JWKS URL`,
    );
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new AuthConfigError(
      `FLOWSTATE_AUTH_JWKS: ${file} is not JSON (${(e as Error).message}); it must hold {"keys": [...]}`,
    );
  }
  const keys = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(keys) || keys.length === 0 || !keys.every((k) => typeof k === 'object' && k !== null)) {
    throw new AuthConfigError(
      `FLOWSTATE_AUTH_JWKS: ${file} holds no keys; a JWKS document is {"keys": [{ "kty": ..., ... }]} with public keys only`,
    );
  }
  if (keys.some((k) => 'd' in (k as object))) {
    throw new AuthConfigError(
      `FLOWSTATE_AUTH_JWKS: ${file} holds a private key ("d"); give the worker the public keys only`,
    );
  }
  return { kind: 'jwks-file', path: file, jwks: { keys: keys as Record<string, unknown>[] } };
}

function hs256Source(secret: string): KeySource {
  const bytes = new TextEncoder().encode(secret);
  if (bytes.length < MIN_SECRET_BYTES) {
    throw new AuthConfigError(
      `FLOWSTATE_AUTH_HS256_SECRET is ${bytes.length} bytes; HS256 needs at least ${MIN_SECRET_BYTES} (generate one with: openssl rand -base64 32)`,
    );
  }
  return { kind: 'hs256', secret: bytes };
}
