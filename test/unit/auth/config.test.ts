/**
 * The verifier's configuration from the worker's environment (FLOWSTATE_AUTH_*): what each setting
 * gives, and the settings that cannot work, refused with the variable and the fix named.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import {
  authConfigFromEnv,
  AuthConfigError,
  createVerifier,
  keySourceSummary,
  makeVerifyDecider,
} from '../../../src/auth';
import { EnvError } from '../../../src/env';

const SECRET = 'a-shared-secret-of-at-least-32-bytes!!';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-auth-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function file(name: string, text: string): string {
  const p = path.join(dir, name);
  fs.writeFileSync(p, text);
  return p;
}

describe('authConfigFromEnv', () => {
  test('nothing set: no verifier', () => {
    expect(authConfigFromEnv({})).toBeUndefined();
  });

  test('a shared secret, with the default audience and no issuer check', () => {
    const config = authConfigFromEnv({ FLOWSTATE_AUTH_HS256_SECRET: SECRET });
    expect(config).toEqual({
      keys: { kind: 'hs256', secret: new TextEncoder().encode(SECRET) },
      audience: 'flowstate',
    });
  });

  test('a JWKS URL, an issuer and an audience', () => {
    const config = authConfigFromEnv({
      FLOWSTATE_AUTH_JWKS: 'https://login.example.com/.well-known/jwks.json',
      FLOWSTATE_AUTH_ISSUER: 'https://login.example.com/',
      FLOWSTATE_AUTH_AUDIENCE: 'approvals',
    });
    expect(config).toEqual({
      keys: { kind: 'jwks-url', url: 'https://login.example.com/.well-known/jwks.json' },
      issuer: 'https://login.example.com/',
      audience: 'approvals',
    });
  });

  test('a JWKS file is read at start', () => {
    const p = file('ok.json', JSON.stringify({ keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] }));
    expect(authConfigFromEnv({ FLOWSTATE_AUTH_JWKS: p })?.keys).toEqual({
      kind: 'jwks-file',
      path: p,
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'a', y: 'b' }] },
    });
  });

  const refused: Array<[string, NodeJS.ProcessEnv, RegExp]> = [
    [
      'both kinds set',
      { FLOWSTATE_AUTH_JWKS: 'https://x.example/jwks', FLOWSTATE_AUTH_HS256_SECRET: SECRET },
      /FLOWSTATE_AUTH_JWKS and FLOWSTATE_AUTH_HS256_SECRET are both set.*unset the other/,
    ],
    [
      'an unreadable JWKS file',
      { FLOWSTATE_AUTH_JWKS: '/nonexistent/jwks.json' },
      /FLOWSTATE_AUTH_JWKS: cannot read the JWKS file \/nonexistent\/jwks.json \(ENOENT\); give the path of a JWKS document/,
    ],
    [
      'a JWKS file that is not JSON',
      { FLOWSTATE_AUTH_JWKS: 'NOT-JSON' },
      /FLOWSTATE_AUTH_JWKS: .*not JSON|cannot read/,
    ],
    [
      'a JWKS file without keys',
      { FLOWSTATE_AUTH_JWKS: '@empty' },
      /FLOWSTATE_AUTH_JWKS: .* holds no keys; a JWKS document is \{"keys"/,
    ],
    [
      'a JWKS file with a private key',
      { FLOWSTATE_AUTH_JWKS: '@private' },
      /holds a private key \("d"\); give the worker the public keys only/,
    ],
    [
      'another URL scheme',
      { FLOWSTATE_AUTH_JWKS: 'ftp://x.example/jwks' },
      /FLOWSTATE_AUTH_JWKS must be a JWKS file path or an http:\/\/ or https:\/\/ URL; got 'ftp:/,
    ],
    [
      'a short secret',
      { FLOWSTATE_AUTH_HS256_SECRET: 'short' },
      /FLOWSTATE_AUTH_HS256_SECRET is 5 bytes; HS256 needs at least 32 \(generate one with: openssl rand -base64 32\)/,
    ],
    [
      'an issuer without a verifier',
      { FLOWSTATE_AUTH_ISSUER: 'https://login.example.com/' },
      /FLOWSTATE_AUTH_ISSUER or FLOWSTATE_AUTH_AUDIENCE is set but no verifier is/,
    ],
  ];
  test.each(refused)('refused: %s', (_name, env, message) => {
    const files: Record<string, string> = {
      'NOT-JSON': file('bad.json', '{ nope'),
      '@empty': file('empty.json', '{"keys": []}'),
      '@private': file('private.json', JSON.stringify({ keys: [{ kty: 'EC', d: 'secret' }] })),
    };
    const jwks = env.FLOWSTATE_AUTH_JWKS;
    const resolved = jwks && files[jwks] ? { ...env, FLOWSTATE_AUTH_JWKS: files[jwks] } : env;
    let error: unknown;
    try {
      authConfigFromEnv(resolved);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AuthConfigError);
    expect(error).toBeInstanceOf(EnvError); // the CLI ends with exit code 2, as for any bad variable
    expect((error as Error).message).toMatch(message);
  });
});

describe('the verifier', () => {
  const key = new TextEncoder().encode(SECRET);
  const sign = (claims: Record<string, unknown>, exp: string | number = '5m', secret = key) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(exp).sign(secret);
  const verify = createVerifier(authConfigFromEnv({ FLOWSTATE_AUTH_HS256_SECRET: SECRET })!);

  test('a valid token: its subject, string groups and issuer', async () => {
    const token = await sign({ sub: 'alice', aud: 'flowstate', iss: 'corp', groups: ['legal', 3] });
    expect(await verify(token)).toEqual({
      verified: true,
      subject: 'alice',
      groups: ['legal'],
      issuer: 'corp',
    });
  });

  test.each([
    ['no token', undefined, /no token: this worker verifies deciders/],
    ['a forged token', 'forged', /its signature does not verify/],
    ['an expired token', 'expired', /it has expired/],
    ['another audience', 'audience', /its audience \(aud\) is not 'flowstate'/],
    ['not a JWT', 'garbage', /not a well-formed JWT|Invalid/],
  ])('refused: %s', async (_name, kind, message) => {
    const tokens: Record<string, Promise<string> | string> = {
      forged: sign({ sub: 'alice', aud: 'flowstate' }, '5m', new TextEncoder().encode('x'.repeat(40))),
      expired: sign({ sub: 'alice', aud: 'flowstate' }, Math.floor(Date.now() / 1000) - 60),
      audience: sign({ sub: 'alice', aud: 'elsewhere' }),
      garbage: 'a.b.c',
    };
    const token = kind ? await tokens[kind] : undefined;
    const answer = await verify(token);
    expect(answer.verified).toBe(false);
    expect(answer.refused?.type).toBe('Unauthenticated');
    expect(answer.refused?.message).toMatch(message);
    if (token) expect(answer.refused?.message).not.toContain(token);
  });

  test('a JWKS file: a token signed by its key verifies; the issuer is checked when set', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const p = file('es.json', JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), alg: 'ES256' }] }));
    const jwks = createVerifier(
      authConfigFromEnv({ FLOWSTATE_AUTH_JWKS: p, FLOWSTATE_AUTH_ISSUER: 'corp' })!,
    );
    const es = (iss: string) =>
      new SignJWT({ sub: 'bob', aud: 'flowstate', iss })
        .setProtectedHeader({ alg: 'ES256' })
        .setExpirationTime('5m')
        .sign(privateKey);
    expect(await jwks(await es('corp'))).toMatchObject({ verified: true, subject: 'bob', issuer: 'corp' });
    expect((await jwks(await es('other'))).refused?.message).toMatch(/its issuer \(iss\) is not 'corp'/);
  });

  test('without a verifier the activity answers verified: false, whatever the token', async () => {
    expect(await makeVerifyDecider(undefined)({ token: 'anything' })).toEqual({ verified: false });
  });
});

test("the worker's start line names the key source, never a secret or a JWKS URL's credentials", () => {
  const keys = (env: NodeJS.ProcessEnv) => authConfigFromEnv(env)!.keys;
  expect(
    keySourceSummary(keys({ FLOWSTATE_AUTH_JWKS: 'https://user:pass@idp.test/jwks.json?key=abc' })),
  ).toBe('jwks https://idp.test/jwks.json');
  expect(keySourceSummary(keys({ FLOWSTATE_AUTH_HS256_SECRET: 's'.repeat(32) }))).toBe('hs256 shared secret');
});
