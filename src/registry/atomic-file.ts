/**
 * Crash-safe file writes for the folder registry: data goes to a temporary file in the same folder,
 * is flushed to disk, and only then appears under its final name, so a reader never sees half a file.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { copyFile, link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

async function writeTemp(target: string, data: Uint8Array | string): Promise<string> {
  const tmp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  const handle = await open(tmp, 'wx');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return tmp;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Create `target` with `data` unless it already exists, atomically: of several concurrent callers
 * exactly one wins. Returns false (writing nothing) when `target` already exists.
 */
export async function createExclusive(target: string, data: Uint8Array | string): Promise<boolean> {
  const tmp = await writeTemp(target, data);
  try {
    try {
      await link(tmp, target); // fails with EEXIST, never replaces
    } catch (err) {
      if (errno(err) === 'EEXIST') return false;
      if (errno(err) !== 'EPERM' && errno(err) !== 'ENOTSUP' && errno(err) !== 'EXDEV') throw err;
      // A filesystem without hard links: an exclusive copy still lets only one caller win, though a
      // reader may see the file while it is being copied (readers verify digests, and say so).
      try {
        await copyFile(tmp, target, fsConstants.COPYFILE_EXCL);
      } catch (copyErr) {
        if (errno(copyErr) === 'EEXIST') return false;
        throw copyErr;
      }
    }
    return true;
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** Write `target` atomically, replacing it if it exists (temp file + rename). */
export async function replaceAtomically(target: string, data: Uint8Array | string): Promise<void> {
  const tmp = await writeTemp(target, data);
  try {
    await rename(tmp, target);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
