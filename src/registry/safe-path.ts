/**
 * The folder registry never follows a symbolic link: a linked id folder would let `push` write outside
 * the registry, and a linked version file would let `pull` read any file of the host. Folders are
 * checked with `lstat` and against their real path under the registry's real root; files are opened
 * with `O_NOFOLLOW`. (Whoever can write into the registry folder can still swap a folder for a link
 * between the check and the write; the checks close the planted-link attacks, not that race.)
 */
import { constants } from 'node:fs';
import { lstat, mkdir, open, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { RegistryError } from './errors';

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** The error for a link found at `path` inside the registry `root`. */
export async function linkRefused(path: string, root: string): Promise<RegistryError> {
  const target = await readlink(path).catch(() => undefined);
  const to = target === undefined ? '' : ` (to ${target})`;
  return new RegistryError(
    'UnsafePath',
    `${path} is a symbolic link${to}: the folder registry ${root} never follows links; replace it with a real folder or file (or remove it) and push again`,
    { path, ...(target === undefined ? {} : { target }) },
  );
}

/**
 * Check that `root/name` is a real folder inside the real `root` (not a link, not elsewhere).
 * Returns false when it does not exist or is not a folder; throws `UnsafePath` for a link or a folder
 * that resolves outside.
 */
export async function checkFolder(root: string, name: string, shownRoot: string): Promise<boolean> {
  const path = join(root, name);
  let info;
  try {
    info = await lstat(path);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return false;
    throw err;
  }
  if (info.isSymbolicLink()) throw await linkRefused(path, shownRoot);
  if (!info.isDirectory()) return false;
  const real = await realpath(path);
  if (real !== join(await realpath(root), name)) {
    throw new RegistryError(
      'UnsafePath',
      `${path} resolves to ${real}, outside the folder registry ${shownRoot}: replace it with a real folder and push again`,
      { path, real },
    );
  }
  return true;
}

/** Read a file without following a link at its name; undefined when it does not exist. */
export async function readNoFollow(path: string, shownRoot: string): Promise<Buffer | undefined> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (err) {
    if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return undefined;
    if (errno(err) === 'ELOOP') throw await linkRefused(path, shownRoot);
    throw err;
  }
  try {
    if (!(await handle.stat()).isFile()) {
      throw new RegistryError('IntegrityError', `${path} is not a regular file; remove it and push again`, {
        path,
      });
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

/** Make `root/name` a folder unless it is one; refuse a link, and anything else in its place. */
export async function ensureFolder(root: string, name: string, shownRoot: string): Promise<void> {
  if (await checkFolder(root, name, shownRoot)) return;
  await mkdir(join(root, name)).catch((err: unknown) => {
    if (errno(err) !== 'EEXIST') throw err;
  });
  if (!(await checkFolder(root, name, shownRoot))) {
    const path = join(root, name);
    throw new RegistryError(
      'IntegrityError',
      `${path} is not a folder: the folder registry ${shownRoot} needs a folder there; remove it and push again`,
      { path },
    );
  }
}

/** Whether `path` exists, a link counting as existing (it is never followed). */
export async function existsNoFollow(path: string): Promise<boolean> {
  try {
    await lstat(path);
    return true;
  } catch (err) {
    if (errno(err) === 'ENOENT') return false;
    throw err;
  }
}
