/** Tokens for the tests of verified deciders: what an identity provider would issue. */
import { SignJWT } from 'jose';

/**
 * An HS256 token for audience `flowstate` (claims may override it), signed with `secret`;
 * `exp` in seconds from now (negative: expired).
 */
export function hs256Token(
  secret: string | Uint8Array,
  claims: Record<string, unknown>,
  options: { exp?: number } = {},
): Promise<string> {
  return new SignJWT({ aud: 'flowstate', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.exp ?? 300))
    .sign(typeof secret === 'string' ? new TextEncoder().encode(secret) : secret);
}
