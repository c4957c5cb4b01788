import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmCodec,
  dataConverterFromEnv,
  DecryptionError,
  ENCRYPTED_ENCODING,
  fingerprint,
  isEncrypted,
  keyRingFromEnv,
  METADATA_KEY_ID,
} from '../../../src/codec';

const secret = { card: '4111-1111-1111-1111', owner: 'Ada Lovelace' };
const newKey = () => randomBytes(32).toString('base64');
const codecFor = (env: Record<string, string>) => new AesGcmCodec(keyRingFromEnv(env)!);
const toPayload = (v: unknown) => defaultPayloadConverter.toPayload(v) as Payload;
const fromPayload = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const meta = (p: Payload, k: string) => Buffer.from(p.metadata![k]).toString('utf8');

test('encrypts every payload and decodes it back to the same value and metadata', async () => {
  const codec = codecFor({ FLOWSTATE_ENCRYPTION_KEY: newKey(), FLOWSTATE_ENCRYPTION_KEY_ID: 'k1' });
  const original = [toPayload(secret), toPayload('plain text'), toPayload(null), toPayload(42)];
  const encoded = await codec.encode(original);
  for (const p of encoded) {
    expect(isEncrypted(p)).toBe(true);
    expect(meta(p, 'encoding')).toBe(ENCRYPTED_ENCODING);
    expect(meta(p, METADATA_KEY_ID)).toBe('k1');
    expect(Buffer.from(p.data!).toString('latin1')).not.toContain('Ada Lovelace');
    expect(Buffer.from(p.data!).toString('latin1')).not.toContain('json/plain');
  }
  const decoded = await codec.decode(encoded);
  expect(decoded.map(fromPayload)).toEqual([secret, 'plain text', null, 42]);
  expect(decoded.map((p) => meta(p, 'encoding'))).toEqual(original.map((p) => meta(p, 'encoding')));
});

test('uses a fresh IV per payload: the same value encrypts differently each time', async () => {
  const codec = codecFor({ FLOWSTATE_ENCRYPTION_KEY: newKey() });
  const [a, b] = await codec.encode([toPayload(secret), toPayload(secret)]);
  expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
});

test('passes payloads it did not encrypt through unchanged', async () => {
  const codec = codecFor({ FLOWSTATE_ENCRYPTION_KEY: newKey() });
  const plain = toPayload(secret);
  expect(await codec.decode([plain])).toEqual([plain]);
});

test('rotation: a new key encrypts, the old one (FLOWSTATE_DECRYPTION_KEYS) still decrypts old payloads', async () => {
  const oldKey = newKey();
  const before = codecFor({ FLOWSTATE_ENCRYPTION_KEY: oldKey, FLOWSTATE_ENCRYPTION_KEY_ID: '2024-01' });
  const old = await before.encode([toPayload(secret)]);
  const after = codecFor({
    FLOWSTATE_ENCRYPTION_KEY: newKey(),
    FLOWSTATE_ENCRYPTION_KEY_ID: '2025-01',
    FLOWSTATE_DECRYPTION_KEYS: `2024-01=${oldKey}`,
  });
  expect((await after.decode(old)).map(fromPayload)).toEqual([secret]);
  const fresh = await after.encode([toPayload(secret)]);
  expect(meta(fresh[0], METADATA_KEY_ID)).toBe('2025-01');
  await expect(before.decode(fresh)).rejects.toThrow(
    /key '2025-01', which is not configured here.*FLOWSTATE_DECRYPTION_KEYS/,
  );
});

test('decrypt-only ring (no current key) reads old payloads and writes plain ones', async () => {
  const key = newKey();
  const old = await codecFor({ FLOWSTATE_ENCRYPTION_KEY: key }).encode([toPayload(secret)]);
  const readOnly = codecFor({ FLOWSTATE_DECRYPTION_KEYS: key });
  expect((await readOnly.decode(old)).map(fromPayload)).toEqual([secret]);
  const plain = toPayload('x');
  expect(await readOnly.encode([plain])).toEqual([plain]);
});

test('tampered ciphertext, a swapped key id or a wrong key fail authentication', async () => {
  const k1 = newKey();
  const k2 = newKey();
  const codec = codecFor({
    FLOWSTATE_ENCRYPTION_KEY: k1,
    FLOWSTATE_ENCRYPTION_KEY_ID: 'a',
    FLOWSTATE_DECRYPTION_KEYS: `b=${k2}`,
  });
  const [p] = await codec.encode([toPayload(secret)]);
  const flipped = Buffer.from(p.data!);
  flipped[20] ^= 1;
  await expect(codec.decode([{ ...p, data: new Uint8Array(flipped) }])).rejects.toThrow(DecryptionError);
  // Same key under another id: the id is the GCM additional data, so this fails too.
  const sameKeyOtherId = codecFor({
    FLOWSTATE_ENCRYPTION_KEY: k2,
    FLOWSTATE_ENCRYPTION_KEY_ID: 'b',
    FLOWSTATE_DECRYPTION_KEYS: `a=${k2}`,
  });
  await expect(sameKeyOtherId.decode([p])).rejects.toThrow(/key 'a' failed authentication/);
  await expect(codec.decode([{ ...p, data: new Uint8Array(4) }])).rejects.toThrow(/too short/);
});

describe('keys from the environment', () => {
  test('no key: encryption off', () => {
    expect(keyRingFromEnv({})).toBeUndefined();
    expect(dataConverterFromEnv({})).toBeUndefined();
  });

  test('a key gives a converter with one codec; the default id is a fingerprint, not the key', () => {
    const key = newKey();
    const ring = keyRingFromEnv({ FLOWSTATE_ENCRYPTION_KEY: key })!;
    expect(ring.current!.id).toBe(fingerprint(Buffer.from(key, 'base64')));
    expect(ring.current!.id).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(dataConverterFromEnv({ FLOWSTATE_ENCRYPTION_KEY: key })!.payloadCodecs).toHaveLength(1);
  });

  test('accepts base64url and bare decryption keys (with padding)', () => {
    const raw = randomBytes(32);
    const ring = keyRingFromEnv({
      FLOWSTATE_ENCRYPTION_KEY: raw.toString('base64url'),
      FLOWSTATE_DECRYPTION_KEYS: ` ${newKey()} , old=${newKey()} `,
    })!;
    expect(ring.current!.key.equals(raw)).toBe(true);
    expect(ring.byId.size).toBe(3);
    expect(ring.byId.has('old')).toBe(true);
  });

  test.each([
    [
      'a key that is not base64',
      { FLOWSTATE_ENCRYPTION_KEY: 'not base64!' },
      /FLOWSTATE_ENCRYPTION_KEY is not base64/,
    ],
    [
      'a 16-byte key',
      { FLOWSTATE_ENCRYPTION_KEY: randomBytes(16).toString('base64') },
      /decodes to 16 bytes; AES-256 needs exactly 32/,
    ],
    [
      'a key id without a key',
      { FLOWSTATE_ENCRYPTION_KEY_ID: 'k' },
      /FLOWSTATE_ENCRYPTION_KEY_ID is set but FLOWSTATE_ENCRYPTION_KEY is not/,
    ],
    [
      'a key id with a space',
      { FLOWSTATE_ENCRYPTION_KEY: newKey(), FLOWSTATE_ENCRYPTION_KEY_ID: 'has space' },
      /key id 'has space'/,
    ],
    [
      'one id for two keys',
      {
        FLOWSTATE_ENCRYPTION_KEY: newKey(),
        FLOWSTATE_ENCRYPTION_KEY_ID: 'k',
        FLOWSTATE_DECRYPTION_KEYS: `k=${newKey()}`,
      },
      /'k' is already used/,
    ],
    [
      'a short decryption key',
      { FLOWSTATE_DECRYPTION_KEYS: `a=${newKey()},b=short` },
      /DECRYPTION_KEYS entry 2 decodes to/,
    ],
  ])('rejects %s', (_label, env, message) => {
    expect(() => keyRingFromEnv(env)).toThrow(message);
  });
});
