/** sha256 digests in the OCI form (`sha256:<64 hex>`). */
import { createHash } from 'node:crypto';

/** The OCI digest (`sha256:<hex>`) of `bytes`. */
export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** True when `digest` is a well-formed sha256 OCI digest. */
export function isSha256Digest(digest: string): boolean {
  return /^sha256:[0-9a-f]{64}$/.test(digest);
}
