/**
 * Encryption keys for the payload codec, read from the environment.
 *
 * - `FLOWSTATE_ENCRYPTION_KEY`: the current key, base64 of exactly 32 random bytes (AES-256). New
 *   payloads are encrypted with it.
 * - `FLOWSTATE_ENCRYPTION_KEY_ID`: optional name of the current key, written next to every payload
 *   it encrypts. Default: a fingerprint of the key (`sha256:` + 16 hex digits), which names the key
 *   without revealing it.
 * - `FLOWSTATE_DECRYPTION_KEYS`: optional earlier keys, decrypt only, comma separated, each
 *   `id=base64` or just `base64` (the id is then the fingerprint). Keep a key here for as long as
 *   histories encrypted with it may still be read (the namespace's retention).
 */
import { createHash } from 'node:crypto';
import { EnvError } from '../env';

/** An AES-256 key and the id written next to what it encrypts. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

/** The key that encrypts (if any) and every key that may decrypt, by id. */
export interface KeyRing {
  current?: EncryptionKey;
  byId: ReadonlyMap<string, Buffer>;
}

/** The environment holds a key that cannot be used; the message says which variable and why. */
export class EncryptionConfigError extends EnvError {
  override readonly name = 'EncryptionConfigError';
}

const KEY_BYTES = 32;
const ID_PATTERN = /^[A-Za-z0-9._:-]{1,64}$/;

/** `sha256:` and the first 16 hex digits of the key's SHA-256: a stable, non-secret key id. */
export function fingerprint(key: Buffer): string {
  return `sha256:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`;
}

/** Decode a base64 (or base64url) key of exactly 32 bytes; `where` names its source in errors. */
export function parseKey(text: string, where: string): Buffer {
  const trimmed = text.trim();
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    throw new EncryptionConfigError(`${where} is not base64; generate a key with: openssl rand -base64 32`);
  }
  const key = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new EncryptionConfigError(
      `${where} decodes to ${key.length} bytes; AES-256 needs exactly ${KEY_BYTES} (generate one with: openssl rand -base64 32)`,
    );
  }
  return key;
}

function checkId(id: string, where: string): string {
  if (!ID_PATTERN.test(id)) {
    throw new EncryptionConfigError(
      `${where}: key id '${id}' must be 1-64 characters of letters, digits, '.', '_', ':' or '-'`,
    );
  }
  return id;
}

/** One `id=base64` or `base64` entry of `FLOWSTATE_DECRYPTION_KEYS`. */
function parseEntry(entry: string, index: number): EncryptionKey {
  const where = `FLOWSTATE_DECRYPTION_KEYS entry ${index + 1}`;
  const eq = entry.indexOf('=');
  // A bare base64 key may end in '=' padding; an id prefix has its '=' before the end of the text.
  const named = eq > 0 && eq < entry.replace(/=+$/, '').length;
  if (!named) {
    const key = parseKey(entry, where);
    return { id: fingerprint(key), key };
  }
  return { id: checkId(entry.slice(0, eq).trim(), where), key: parseKey(entry.slice(eq + 1), where) };
}

/**
 * The key ring the environment describes, or undefined when it names no key at all (encryption off).
 * Throws `EncryptionConfigError` for a malformed key or id, or one id used for two different keys.
 */
export function keyRingFromEnv(env: NodeJS.ProcessEnv = process.env): KeyRing | undefined {
  const byId = new Map<string, Buffer>();
  const add = ({ id, key }: EncryptionKey, where: string) => {
    const known = byId.get(id);
    if (known && !known.equals(key))
      throw new EncryptionConfigError(`${where}: key id '${id}' is already used for a different key`);
    byId.set(id, key);
  };
  let current: EncryptionKey | undefined;
  if (env.FLOWSTATE_ENCRYPTION_KEY?.trim()) {
    const key = parseKey(env.FLOWSTATE_ENCRYPTION_KEY, 'FLOWSTATE_ENCRYPTION_KEY');
    const id = env.FLOWSTATE_ENCRYPTION_KEY_ID?.trim()
      ? checkId(env.FLOWSTATE_ENCRYPTION_KEY_ID.trim(), 'FLOWSTATE_ENCRYPTION_KEY_ID')
      : fingerprint(key);
    current = { id, key };
    add(current, 'FLOWSTATE_ENCRYPTION_KEY');
  } else if (env.FLOWSTATE_ENCRYPTION_KEY_ID?.trim()) {
    throw new EncryptionConfigError('FLOWSTATE_ENCRYPTION_KEY_ID is set but FLOWSTATE_ENCRYPTION_KEY is not');
  }
  const entries = (env.FLOWSTATE_DECRYPTION_KEYS ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  entries.forEach((entry, i) => add(parseEntry(entry, i), `FLOWSTATE_DECRYPTION_KEYS entry ${i + 1}`));
  if (byId.size === 0) return undefined;
  return current ? { current, byId } : { byId };
}
