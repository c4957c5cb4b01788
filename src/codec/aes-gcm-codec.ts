/**
 * A `PayloadCodec` that encrypts every payload with AES-256-GCM, so workflow inputs, results,
 * activity arguments, signals, updates and queries are ciphertext in the server's history.
 *
 * Each encoded payload holds the whole original payload (metadata and data, as protobuf), encrypted:
 * `data` = 12-byte random IV ‖ ciphertext ‖ 16-byte GCM tag, with metadata
 * `encoding: binary/encrypted`, `encryption-cipher: AES-256-GCM` and `encryption-key-id: <id>`. The
 * key id is also the GCM additional data, so a payload cannot be passed off under another key's id.
 *
 * Codecs run outside the workflow sandbox (in the client and in the worker), so the workflow bundle
 * does not change. Client and worker must both use it, with the same keys.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { KeyRing } from './keys';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const METADATA_KEY_ID = 'encryption-key-id';
export const METADATA_CIPHER = 'encryption-cipher';
export const CIPHER = 'AES-256-GCM';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const PayloadProto = temporal.api.common.v1.Payload;
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : undefined);

/** A payload could not be decrypted; the message names the key id and what to do. */
export class DecryptionError extends Error {
  override readonly name = 'DecryptionError';
}

/** Encrypts payloads with the key ring's current key (AES-256-GCM) and decrypts with any key of the ring. */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly keys: KeyRing) {}

  /** Encrypt each payload with the current key; without a current key (decrypt-only), pass them through. */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    const current = this.keys.current;
    if (!current) return payloads;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', current.key, iv);
      cipher.setAAD(Buffer.from(current.id, 'utf8'));
      const plain = PayloadProto.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: {
          [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING),
          [METADATA_CIPHER]: utf8(CIPHER),
          [METADATA_KEY_ID]: utf8(current.id),
        },
        data: new Uint8Array(sealed),
      };
    });
  }

  /** Decrypt the payloads this codec encrypted (with any key of the ring); pass the others through. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => (isEncrypted(payload) ? this.decrypt(payload) : payload));
  }

  private decrypt(payload: Payload): Payload {
    const id = text(payload.metadata?.[METADATA_KEY_ID]);
    const cipherName = text(payload.metadata?.[METADATA_CIPHER]) ?? CIPHER;
    if (cipherName !== CIPHER)
      throw new DecryptionError(`payload is encrypted with '${cipherName}'; this codec reads ${CIPHER} only`);
    if (!id) throw new DecryptionError(`encrypted payload carries no '${METADATA_KEY_ID}'`);
    const key = this.keys.byId.get(id);
    if (!key) {
      throw new DecryptionError(
        `payload is encrypted with key '${id}', which is not configured here; add it to FLOWSTATE_DECRYPTION_KEYS (id=base64)`,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new DecryptionError(`encrypted payload is too short (${data.length} bytes)`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    let plain: Buffer;
    try {
      plain = Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new DecryptionError(
        `payload encrypted with key '${id}' failed authentication: wrong key for this id, or tampered data`,
      );
    }
    return PayloadProto.decode(plain);
  }
}

/** True for a payload this codec encrypted. */
export function isEncrypted(payload: Payload): boolean {
  return text(payload.metadata?.[METADATA_ENCODING_KEY]) === ENCRYPTED_ENCODING;
}
