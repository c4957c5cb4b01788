/**
 * Optional payload encryption. `dataConverterFromEnv()` is what the client and the worker pass as
 * `dataConverter`; it is undefined (Temporal's default) when no key is configured. See keys.ts for
 * the environment variables and docs/operations.md for rotation.
 */
import type { DataConverter } from '@temporalio/common';
import { AesGcmCodec } from './aes-gcm-codec';
import { keyRingFromEnv } from './keys';

/**
 * A DataConverter whose payload codec encrypts with `FLOWSTATE_ENCRYPTION_KEY` (and decrypts with it
 * and `FLOWSTATE_DECRYPTION_KEYS`), or undefined when neither is set. Throws
 * `EncryptionConfigError` for a malformed key, so a misconfigured process stops at startup.
 */
export function dataConverterFromEnv(env: NodeJS.ProcessEnv = process.env): DataConverter | undefined {
  const keys = keyRingFromEnv(env);
  return keys ? { payloadCodecs: [new AesGcmCodec(keys)] } : undefined;
}

export {
  AesGcmCodec,
  DecryptionError,
  isEncrypted,
  ENCRYPTED_ENCODING,
  METADATA_KEY_ID,
  METADATA_CIPHER,
  CIPHER,
} from './aes-gcm-codec';
export {
  keyRingFromEnv,
  fingerprint,
  parseKey,
  EncryptionConfigError,
  type EncryptionKey,
  type KeyRing,
} from './keys';
