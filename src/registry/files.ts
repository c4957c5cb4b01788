/**
 * The files pushed with a definition (a `dynamic` definition's templates): checked and put in a fixed
 * order (by name), so the same definition always yields the same stored entry and manifest digest.
 */
import { RegistryError } from './errors';
import type { DefinitionFile } from './types';

/** Most files one definition may carry. */
export const MAX_FILES = 64;

/** The files of a push request, checked (names, no repeats) and sorted by name. */
export function checkedFiles(ref: string, files: readonly DefinitionFile[] = []): DefinitionFile[] {
  const invalid = (why: string) =>
    new RegistryError('InvalidRequest', `refusing to push ${ref}: ${why}`, { ref });
  if (files.length > MAX_FILES) throw invalid(`it names ${files.length} files, more than ${MAX_FILES}`);
  const seen = new Set<string>();
  for (const { name } of files) {
    // eslint-disable-next-line no-control-regex
    if (name.length === 0 || name.length > 1024 || /[\u0000-\u001f]/.test(name))
      throw invalid(`file name '${name}' is empty, longer than 1024 characters or has control characters`);
    if (seen.has(name)) throw invalid(`file '${name}' is given twice`);
    seen.add(name);
  }
  return [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
