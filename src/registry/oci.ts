/**
 * The definition registry on an OCI distribution registry (`FLOWSTATE_REGISTRY=oci://host/prefix`).
 *
 * `id@version` is stored as the tag `version` of the repository `<prefix>/<id>`, as an OCI artifact
 * whose first layer is the definition and whose other layers are the files it names (see
 * `oci-manifest.ts`). Pushes check the tag first, so a version is never overwritten
 * with a different content hash. The OCI distribution API has no "create tag only if absent", so
 * two pushes of the same new version racing each other cannot be told apart by the registry; the
 * last one's manifest wins the tag. Pushes of one version from one place never race.
 */
import { definitionNotFound, RegistryError, versionExists } from './errors';
import { checkedFiles } from './files';
import type { RegistryCredentials } from './oci-auth';
import { OciClient } from './oci-client';
import { type OciEndpoint } from './oci-endpoint';
import {
  buildDefinitionManifest,
  EMPTY_CONFIG,
  type FileLayer,
  OCI_MANIFEST_MEDIA_TYPE,
  parseDefinitionManifest,
  type ParsedDefinitionManifest,
} from './oci-manifest';
import {
  assertContentHash,
  assertId,
  assertVersion,
  formatRef,
  isId,
  resolveAgainst,
  sortVersions,
} from './ref';
import {
  DEFINITION_FILE_MEDIA_TYPE,
  DEFINITION_MEDIA_TYPE,
  type DefinitionRegistry,
  type ListedDefinition,
  type PulledDefinition,
  type PulledFile,
  type PushRequest,
  type PushResult,
  type ResolvedRef,
} from './types';

/** Options of {@link OciRegistry}. */
export interface OciRegistryOptions {
  credentials?: RegistryCredentials;
  /** Per HTTP request; default 30 s. */
  timeoutMs?: number;
}

/** A {@link DefinitionRegistry} on an OCI distribution registry. */
export class OciRegistry implements DefinitionRegistry {
  readonly location: string;
  private readonly client: OciClient;

  constructor(
    readonly endpoint: OciEndpoint,
    options: OciRegistryOptions = {},
  ) {
    this.location = endpoint.display;
    this.client = new OciClient(endpoint.baseUrl, {
      displayName: endpoint.display,
      ...(options.credentials ? { credentials: options.credentials } : {}),
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
  }

  /** The repository holding the versions of `id`: `<prefix>/<id>`. */
  repository(id: string): string {
    return this.endpoint.prefix ? `${this.endpoint.prefix}/${id}` : id;
  }

  /** The OCI reference of `id@version`, as `oras` and `docker` write it: `host/prefix/id:version`. */
  reference(id: string, version: string): string {
    return `${this.endpoint.host}/${this.repository(id)}:${version}`;
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
    const ref = formatRef({ id, version });
    const repository = this.repository(id);

    const existing = await this.readManifest(id, version);
    if (existing) {
      if (existing.parsed.contentHash !== contentHash)
        throw versionExists(ref, existing.parsed.contentHash, contentHash, this.location);
      return { ref, digest: existing.digest, created: false };
    }

    await this.client.pushBlob(repository, EMPTY_CONFIG);
    const layer = await this.client.pushBlob(repository, Buffer.from(content, 'utf8'));
    const files: FileLayer[] = [];
    for (const file of checkedFiles(ref, request.files)) {
      const blob = await this.client.pushBlob(repository, Buffer.from(file.content, 'utf8'));
      files.push({ name: file.name, mediaType: DEFINITION_FILE_MEDIA_TYPE, ...blob });
    }
    const manifest = buildDefinitionManifest({
      id,
      version,
      contentHash,
      layer: { mediaType: request.mediaType ?? DEFINITION_MEDIA_TYPE, ...layer },
      files,
    });
    const digest = await this.client.putManifest(repository, version, manifest, OCI_MANIFEST_MEDIA_TYPE);
    return { ref, digest, created: true };
  }

  /** See {@link DefinitionRegistry.pull}. */
  async pull(id: string, version?: string): Promise<PulledDefinition> {
    const exact = version === undefined ? await this.resolve(id) : { id, version };
    assertId(exact.id);
    assertVersion(exact.version);
    const found = await this.readManifest(exact.id, exact.version);
    if (!found) throw definitionNotFound(id, version, await this.versions(id), this.location);
    const bytes = await this.client.fetchBlob(this.repository(exact.id), found.parsed.layer);
    const files: PulledFile[] = [];
    for (const file of found.parsed.files) {
      const blob = await this.client.fetchBlob(this.repository(exact.id), file); // checked against its digest
      files.push({ name: file.name, content: blob.toString('utf8'), digest: file.digest });
    }
    return {
      ...exact,
      content: bytes.toString('utf8'),
      contentHash: found.parsed.contentHash,
      digest: found.digest,
      mediaType: found.parsed.layer.mediaType,
      files,
    };
  }

  /** See {@link DefinitionRegistry.list}. Repositories under the prefix that hold no version tag are left out. */
  async list(): Promise<ListedDefinition[]> {
    const prefix = this.endpoint.prefix ? `${this.endpoint.prefix}/` : '';
    const ids = (await this.client.catalog())
      .filter((name) => name.startsWith(prefix))
      .map((name) => name.slice(prefix.length))
      .filter(isId)
      .sort();
    const listed: ListedDefinition[] = [];
    for (const id of ids) {
      const versions = await this.versions(id);
      if (versions.length > 0) listed.push({ id, versions });
    }
    return listed;
  }

  /** See {@link DefinitionRegistry.versions}. Tags that are not versions (such as `latest`) are ignored. */
  async versions(id: string): Promise<string[]> {
    assertId(id);
    return sortVersions(await this.client.listTags(this.repository(id)));
  }

  /** See {@link DefinitionRegistry.resolve}. */
  resolve(ref: string): Promise<ResolvedRef> {
    return resolveAgainst(ref, (id) => this.versions(id), this.location);
  }

  /** Check that the registry answers the v2 API (`GET /v2/`). */
  ping(): Promise<void> {
    return this.client.ping();
  }

  /** The manifest tagged `version` in the repository of `id`, parsed; undefined when there is none. */
  private async readManifest(
    id: string,
    version: string,
  ): Promise<{ digest: string; parsed: ParsedDefinitionManifest } | undefined> {
    const fetched = await this.client.fetchManifest(this.repository(id), version, [OCI_MANIFEST_MEDIA_TYPE]);
    if (!fetched) return undefined;
    const where = this.reference(id, version);
    const parsed = parseDefinitionManifest(fetched.bytes, where);
    if (
      (parsed.id !== undefined && parsed.id !== id) ||
      (parsed.version !== undefined && parsed.version !== version)
    ) {
      throw new RegistryError(
        'InvalidArtifact',
        `${where} holds a manifest annotated as ${parsed.id ?? id}@${parsed.version ?? version}, not ${id}@${version} (retagged?): push ${id}@${version} with flowstate push`,
        { where, annotatedId: parsed.id, annotatedVersion: parsed.version },
      );
    }
    return { digest: fetched.digest, parsed };
  }
}
