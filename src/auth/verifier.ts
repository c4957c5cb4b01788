/**
 * The verifier: a JWT checked with `jose` (`jwtVerify`) against the configured keys, audience and
 * issuer, turned into a `DeciderIdentity`. A refusal is an answer (`refused`), never an exception,
 * so the local activity that asks is not retried. jose is loaded when a verifier is made, so a
 * worker without one never loads it.
 */
import type * as Jose from 'jose';
import type { DeciderIdentity, VerifyDeciderInput } from '../contract/activities';
import type { AuthConfig } from './config';

/** Checks a token; never throws for a bad token (the answer says why). */
export type DeciderVerifier = (token: string | undefined) => Promise<DeciderIdentity>;

/** How long a JWKS URL's keys are cached, and how long a fetch may take. */
const JWKS_CACHE_MS = 10 * 60_000;
const JWKS_TIMEOUT_MS = 5_000;
/** Leeway for clocks a little apart (seconds). */
const CLOCK_TOLERANCE_S = 5;

/** A verifier for `config`. */
export function createVerifier(config: AuthConfig): DeciderVerifier {
  const jose = require('jose') as typeof Jose;
  const { keys } = config;
  const key =
    keys.kind === 'hs256'
      ? keys.secret
      : keys.kind === 'jwks-file'
        ? jose.createLocalJWKSet(keys.jwks as unknown as Jose.JSONWebKeySet)
        : jose.createRemoteJWKSet(new URL(keys.url), {
            cacheMaxAge: JWKS_CACHE_MS,
            timeoutDuration: JWKS_TIMEOUT_MS,
          });
  const source = keys.kind === 'hs256' ? 'hs256' : keys.kind === 'jwks-file' ? `jwks:${keys.path}` : keys.url;
  const options: Jose.JWTVerifyOptions = {
    audience: config.audience,
    ...(config.issuer ? { issuer: config.issuer } : {}),
    clockTolerance: CLOCK_TOLERANCE_S,
    requiredClaims: ['sub', 'exp'],
    ...(keys.kind === 'hs256' ? { algorithms: ['HS256'] } : {}),
  };
  return async (token) => {
    if (!token) {
      return refused(
        'no token: this worker verifies deciders; send a token with --token or FLOWSTATE_TOKEN (client API: token)',
      );
    }
    try {
      const { payload } =
        typeof key === 'function'
          ? await jose.jwtVerify(token, key as Jose.JWTVerifyGetKey, options)
          : await jose.jwtVerify(token, key, options);
      const groups = Array.isArray(payload.groups)
        ? payload.groups.filter((g): g is string => typeof g === 'string')
        : [];
      return { verified: true, subject: payload.sub!, groups, issuer: payload.iss ?? source };
    } catch (e) {
      return refused(`token refused: ${reason(e, config)}`);
    }
  };
}

/** The local activity `verifyDecider`, bound to a verifier (or to none: `verified: false`). */
export function makeVerifyDecider(verifier: DeciderVerifier | undefined) {
  return async function verifyDecider(input: VerifyDeciderInput): Promise<DeciderIdentity> {
    if (!verifier) return { verified: false };
    return verifier(input?.token);
  };
}

function refused(message: string): DeciderIdentity {
  return { verified: false, refused: { type: 'Unauthenticated', message } };
}

/** A jose error as one line that says what was wrong with the token (never the token). */
function reason(e: unknown, config: AuthConfig): string {
  const code = (e as { code?: string })?.code;
  const claim = (e as { claim?: string })?.claim;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'it has expired (exp); get a new one';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'its signature does not verify with the keys this worker trusts';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key of the JWKS matches its kid/alg';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (claim === 'aud') return `its audience (aud) is not '${config.audience}'`;
      if (claim === 'iss') return `its issuer (iss) is not '${config.issuer}'`;
      return `claim '${claim}': ${(e as Error).message}`;
    case 'ERR_JWKS_TIMEOUT':
      return 'the issuer’s JWKS did not answer in time';
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'its algorithm is not accepted here';
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return 'it is not a well-formed JWT';
    default:
      return (e as Error)?.message ?? String(e);
  }
}
