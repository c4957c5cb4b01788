/**
 * The folder registry: the default when no `FLOWSTATE_REGISTRY` is configured.
 *
 * Layout, one folder per id:
 *
 *     <root>/<id>/<version>.yaml        the definition text, byte for byte as pushed
 *     <root>/<id>/<version>.meta.json   {id, version, contentHash, digest, mediaType, size, pushedAt,
 *                                        files: [{name, digest, size}]}
 *     <root>/<id>/<version>.files/<hex> each file pushed with it (a template), named by its sha256
 *
 * The metadata file is the commit point: it is created first, exclusively (hard link of a flushed
 * temp file), so of two concurrent pushes of one version exactly one wins and the other is judged
 * against it; the text follows atomically (temp file + rename). A version exists once its metadata
 * does, and every read checks the text (and each file) against the metadata's digests. No symbolic
 * link is ever followed (see `safe-path.ts`).
 */
import { mkdir, readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { createExclusive, replaceAtomically } from './atomic-file';
import { sha256Digest } from './digest';
import { definitionNotFound, RegistryError, versionExists } from './errors';
import { checkedFiles } from './files';
import {
  assertContentHash,
  assertId,
  assertVersion,
  formatRef,
  isId,
  isVersion,
  resolveAgainst,
  sortVersions,
} from './ref';
import { checkFolder, ensureFolder, existsNoFollow, readNoFollow } from './safe-path';
import {
  DEFINITION_MEDIA_TYPE,
  type DefinitionRegistry,
  type ListedDefinition,
  type PulledDefinition,
  type PulledFile,
  type PushRequest,
  type PushResult,
  type ResolvedRef,
} from './types';

const META_SUFFIX = '.meta.json';

const Meta = z.object({
  id: z.string(),
  version: z.string(),
  contentHash: z.string(),
  digest: z.string(),
  mediaType: z.string(),
  size: z.number().int().min(0),
  pushedAt: z.string(),
  files: z
    .array(z.object({ name: z.string(), digest: z.string(), size: z.number().int().min(0) }))
    .default([]),
});
type Meta = z.infer<typeof Meta>;

/** A file to store with a definition, as bytes. */
interface StoredFile {
  name: string;
  bytes: Buffer;
}

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/** A {@link DefinitionRegistry} kept in a folder (created on the first push). */
export class FilesystemRegistry implements DefinitionRegistry {
  /** The absolute path of the folder. */
  readonly root: string;
  readonly location: string;

  /** @param root the registry folder; relative paths resolve against the current directory. */
  constructor(root: string) {
    this.root = resolve(root);
    this.location = this.root;
  }

  /** See {@link DefinitionRegistry.push}. */
  async push(request: PushRequest): Promise<PushResult> {
    const { id, version, content, contentHash } = request;
    assertId(id);
    assertVersion(version);
    assertContentHash(contentHash);
    if (content.length === 0)
      throw new RegistryError('InvalidRequest', `refusing to push an empty definition as ${id}@${version}`, {
        id,
        version,
      });

    const bytes = Buffer.from(content, 'utf8');
    const files = checkedFiles(formatRef({ id, version }), request.files).map((f) => ({
      name: f.name,
      bytes: Buffer.from(f.content, 'utf8'),
    }));
    const meta: Meta = {
      id,
      version,
      contentHash,
      digest: sha256Digest(bytes),
      mediaType: request.mediaType ?? DEFINITION_MEDIA_TYPE,
      size: bytes.length,
      pushedAt: new Date().toISOString(),
      files: files.map((f) => ({ name: f.name, digest: sha256Digest(f.bytes), size: f.bytes.length })),
    };
    const existing = await this.readMeta(id, version);
    if (existing) return this.settleExisting(existing, meta, bytes, files);

    await mkdir(this.root, { recursive: true });
    await ensureFolder(this.root, id, this.location);
    if (!(await createExclusive(this.metaPath(id, version), `${JSON.stringify(meta, null, 2)}\n`))) {
      const winner = await this.readMeta(id, version); // a concurrent push got there first
      if (!winner) throw this.corrupt(id, version, 'its metadata vanished during the push');
      return this.settleExisting(winner, meta, bytes, files);
    }
    await replaceAtomically(this.textPath(id, version), bytes);
    await this.writeFiles(meta, files);
    return { ref: formatRef({ id, version }), digest: meta.digest, created: true };
  }

  /** See {@link DefinitionRegistry.pull}. */
  async pull(id: string, version?: string): Promise<PulledDefinition> {
    const exact = await this.resolve(version === undefined ? id : `${id}@${version}`);
    const meta = await this.readMeta(exact.id, exact.version);
    if (!meta) throw definitionNotFound(id, version, await this.versions(id), this.location); // deleted meanwhile
    const bytes = await readNoFollow(this.textPath(exact.id, exact.version), this.location);
    if (bytes === undefined) {
      throw this.corrupt(
        exact.id,
        exact.version,
        `${this.textPath(exact.id, exact.version)} is missing (a push died half-way? pushing the same file again repairs it)`,
      );
    }
    const digest = sha256Digest(bytes);
    if (digest !== meta.digest) {
      throw new RegistryError(
        'IntegrityError',
        `${formatRef(exact)} in ${this.location} is corrupt: ${this.textPath(exact.id, exact.version)} has digest ${digest}, its metadata says ${meta.digest}`,
        { ref: formatRef(exact), expected: meta.digest, actual: digest },
      );
    }
    return {
      ...exact,
      content: bytes.toString('utf8'),
      contentHash: meta.contentHash,
      digest,
      mediaType: meta.mediaType,
      files: await this.readFiles(meta),
    };
  }

  /** See {@link DefinitionRegistry.list}. */
  async list(): Promise<ListedDefinition[]> {
    let entries: string[];
    try {
      entries = await readdir(this.root);
    } catch (err) {
      if (errno(err) === 'ENOENT') return [];
      throw err;
    }
    const listed: ListedDefinition[] = [];
    for (const id of entries.filter(isId).sort()) {
      if (!(await checkFolder(this.root, id, this.location))) continue;
      const versions = await this.versions(id);
      if (versions.length > 0) listed.push({ id, versions });
    }
    return listed;
  }

  /** See {@link DefinitionRegistry.versions}. */
  async versions(id: string): Promise<string[]> {
    assertId(id);
    let names: string[];
    try {
      if (!(await checkFolder(this.root, id, this.location))) return [];
      names = await readdir(join(this.root, id));
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return [];
      throw err;
    }
    return sortVersions(
      names
        .filter((n) => n.endsWith(META_SUFFIX))
        .map((n) => n.slice(0, -META_SUFFIX.length))
        .filter(isVersion),
    );
  }

  /** See {@link DefinitionRegistry.resolve}. */
  resolve(ref: string): Promise<ResolvedRef> {
    return resolveAgainst(ref, (id) => this.versions(id), this.location);
  }

  /** The same content hash is a no-op success (repairing a missing text file); another is refused. */
  private async settleExisting(
    existing: Meta,
    pushed: Meta,
    bytes: Buffer,
    files: StoredFile[],
  ): Promise<PushResult> {
    const ref = formatRef(existing);
    if (existing.contentHash !== pushed.contentHash)
      throw versionExists(ref, existing.contentHash, pushed.contentHash, this.location);
    // A push that died between its two writes leaves metadata without text; the same bytes repair it.
    if (
      existing.digest === pushed.digest &&
      !(await this.exists(this.textPath(existing.id, existing.version)))
    ) {
      await replaceAtomically(this.textPath(existing.id, existing.version), bytes);
    }
    await this.writeFiles(existing, files); // the same content hash covers the same files
    return { ref, digest: existing.digest, created: false };
  }

  /** Write the files the metadata lists that are missing (content-addressed, so never replaced). */
  private async writeFiles(meta: Meta, files: StoredFile[]): Promise<void> {
    if (meta.files.length === 0) return;
    const folder = this.filesFolder(meta.id, meta.version);
    const dir = join(this.root, meta.id);
    await ensureFolder(dir, folder, this.location);
    for (const listed of meta.files) {
      const file = files.find((f) => f.name === listed.name && sha256Digest(f.bytes) === listed.digest);
      const path = this.filePath(meta.id, meta.version, listed.digest);
      if (file && !(await existsNoFollow(path))) await replaceAtomically(path, file.bytes);
    }
  }

  /** The files the metadata lists, each checked against its digest. */
  private async readFiles(meta: Meta): Promise<PulledFile[]> {
    if (meta.files.length === 0) return [];
    const dir = join(this.root, meta.id);
    const folder = this.filesFolder(meta.id, meta.version);
    if (!(await checkFolder(dir, folder, this.location)))
      throw this.corrupt(
        meta.id,
        meta.version,
        `${join(dir, folder)} is missing (pushing the same file again repairs it)`,
      );
    const pulled: PulledFile[] = [];
    for (const { name, digest } of meta.files) {
      const path = this.filePath(meta.id, meta.version, digest);
      const bytes = await readNoFollow(path, this.location);
      if (bytes === undefined)
        throw this.corrupt(
          meta.id,
          meta.version,
          `${path} (${name}) is missing (pushing the same file again repairs it)`,
        );
      if (sha256Digest(bytes) !== digest)
        throw this.corrupt(meta.id, meta.version, `${path} (${name}) does not match its digest ${digest}`);
      pulled.push({ name, content: bytes.toString('utf8'), digest });
    }
    return pulled;
  }

  private async readMeta(id: string, version: string): Promise<Meta | undefined> {
    const path = this.metaPath(id, version);
    if (!(await checkFolder(this.root, id, this.location))) return undefined;
    const bytes = await readNoFollow(path, this.location);
    if (bytes === undefined) return undefined;
    const text = bytes.toString('utf8');
    let parsed: ReturnType<typeof Meta.safeParse>;
    try {
      parsed = Meta.safeParse(JSON.parse(text));
    } catch {
      throw this.corrupt(id, version, `${path} is not JSON`);
    }
    if (!parsed.success) throw this.corrupt(id, version, `${path} is not valid registry metadata`);
    if (parsed.data.id !== id || parsed.data.version !== version) {
      throw this.corrupt(id, version, `${path} describes ${parsed.data.id}@${parsed.data.version}`);
    }
    return parsed.data;
  }

  private exists(path: string): Promise<boolean> {
    return existsNoFollow(path);
  }

  private corrupt(id: string, version: string, why: string): RegistryError {
    const ref = formatRef({ id, version });
    return new RegistryError(
      'IntegrityError',
      `${ref} in ${this.location} is damaged: ${why}; delete ${this.metaPath(id, version)} and push ${ref} again`,
      { ref, why },
    );
  }

  private metaPath(id: string, version: string): string {
    return join(this.root, id, `${version}${META_SUFFIX}`);
  }

  private textPath(id: string, version: string): string {
    return join(this.root, id, `${version}.yaml`);
  }

  private filesFolder(_id: string, version: string): string {
    return `${version}.files`;
  }

  private filePath(id: string, version: string, digest: string): string {
    return join(this.root, id, this.filesFolder(id, version), digest.replace(/^sha256:/, ''));
  }
}
