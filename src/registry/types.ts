/**
 * The definition registry contract: immutable `id@version` workflow definitions, stored either in a
 * folder ({@link FilesystemRegistry}) or in an OCI registry ({@link OciRegistry}).
 */

/** Media type of a stored definition (the OCI layer holding the YAML/JSON text). */
export const DEFINITION_MEDIA_TYPE = 'application/vnd.flowstate.definition.v1+yaml';
/** Media type of a file a definition names (a `dynamic` template), stored with the definition. */
export const DEFINITION_FILE_MEDIA_TYPE = 'application/vnd.flowstate.file.v1';
/** OCI `artifactType` of a Flowstate definition manifest. */
export const DEFINITION_ARTIFACT_TYPE = 'application/vnd.flowstate.definition.v1';

/** Annotation keys Flowstate writes on the OCI manifest (and reads back on pull). */
export const ANNOTATIONS = {
  /** sha256 hex of the canonical definition, as computed by the caller of `push`. */
  contentHash: 'dev.flowstate.content-hash',
  id: 'dev.flowstate.id',
  version: 'dev.flowstate.version',
  /** Standard OCI annotation naming the file (`<id>.yaml`); `oras pull` saves the layer under it. */
  title: 'org.opencontainers.image.title',
} as const;

/** What to push. */
export interface PushRequest {
  id: string;
  version: string;
  /** The definition text (YAML or JSON), stored byte for byte. */
  content: string;
  /** sha256 hex (64 lowercase digits) of the canonical definition, computed by the caller. */
  contentHash: string;
  /** Defaults to {@link DEFINITION_MEDIA_TYPE}. */
  mediaType?: string;
  /**
   * The files the definition names (a `dynamic` definition's templates), stored with it and pulled
   * back with it; `name` as the definition writes it (relative to the definition).
   */
  files?: DefinitionFile[];
}

/** A file stored with a definition. */
export interface DefinitionFile {
  /** The name the definition gives it, e.g. `templates/spec-phase.md`. */
  name: string;
  /** Its text, stored byte for byte (UTF-8). */
  content: string;
}

/** A file pulled back with a definition, checked against its digest. */
export interface PulledFile extends DefinitionFile {
  /** `sha256:...` of its bytes. */
  digest: string;
}

/** The outcome of a push. */
export interface PushResult {
  /** `id@version`. */
  ref: string;
  /** The stored artifact's digest (`sha256:...`): the OCI manifest digest, or the file's digest. */
  digest: string;
  /** False when the same content hash was already stored under `ref` (nothing was written). */
  created: boolean;
}

/** A definition read back from the registry. */
export interface PulledDefinition {
  id: string;
  /** Always exact, also when `pull` was asked for the latest. */
  version: string;
  content: string;
  contentHash: string;
  /** As in {@link PushResult.digest}. */
  digest: string;
  mediaType: string;
  /** The files pushed with it (empty when none), each verified against its digest. */
  files: PulledFile[];
}

/** One id and its versions, ascending by semver. */
export interface ListedDefinition {
  id: string;
  versions: string[];
}

/** An exact, existing `id@version`. */
export interface ResolvedRef {
  id: string;
  version: string;
}

/**
 * A store of immutable, versioned workflow definitions.
 *
 * Versions are immutable: pushing the same content hash again is a no-op success, pushing a
 * different one to an existing `id@version` fails with `VersionExists`. Every method throws
 * {@link RegistryError} (see its `type`) on failure.
 */
export interface DefinitionRegistry {
  /** Where this registry is, for messages (`oci://127.0.0.1:5000/flowstate`, a folder path). */
  readonly location: string;

  /** Store `id@version`; see the interface comment for the immutability rule. */
  push(request: PushRequest): Promise<PushResult>;

  /**
   * Read `id@version`, or the latest version of `id` (highest by semver) when `version` is omitted.
   * @throws RegistryError `DefinitionNotFound` listing the available versions.
   */
  pull(id: string, version?: string): Promise<PulledDefinition>;

  /** Every id with at least one version, ascending by id; versions ascending by semver. */
  list(): Promise<ListedDefinition[]>;

  /** The versions of `id`, ascending by semver; empty when there are none. */
  versions(id: string): Promise<string[]>;

  /**
   * Turn `id` or `id@version` into an exact version that exists, before a run starts: a bare id
   * means its latest version.
   * @throws RegistryError `InvalidRef` or `DefinitionNotFound`.
   */
  resolve(ref: string): Promise<ResolvedRef>;
}
