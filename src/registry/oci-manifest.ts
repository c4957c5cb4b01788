/**
 * The OCI manifest of a Flowstate definition (OCI image-spec 1.1 artifact form):
 *
 *     mediaType     application/vnd.oci.image.manifest.v1+json
 *     artifactType  application/vnd.flowstate.definition.v1
 *     config        the empty descriptor (application/vnd.oci.empty.v1+json, the 2-byte blob `{}`)
 *     layers        [the definition text, application/vnd.flowstate.definition.v1+yaml,
 *                    annotated org.opencontainers.image.title = <id>.yaml,
 *                    then each file it names (its templates), application/vnd.flowstate.file.v1,
 *                    annotated org.opencontainers.image.title = the name the definition gives it]
 *     annotations   dev.flowstate.content-hash, dev.flowstate.id, dev.flowstate.version
 *
 * No timestamps, so the same definition always yields the same manifest digest.
 */
import { z } from 'zod';
import { sha256Digest } from './digest';
import { RegistryError } from './errors';
import type { Descriptor } from './oci-client';
import { ANNOTATIONS, DEFINITION_ARTIFACT_TYPE } from './types';

/** A file stored as a layer after the definition: its name and blob. */
export interface FileLayer extends Descriptor {
  name: string;
}

/** Media type of an OCI image manifest. */
export const OCI_MANIFEST_MEDIA_TYPE = 'application/vnd.oci.image.manifest.v1+json';
/** Media type of the empty config blob. */
export const OCI_EMPTY_MEDIA_TYPE = 'application/vnd.oci.empty.v1+json';
/** The empty config blob, `{}`. */
export const EMPTY_CONFIG = Buffer.from('{}', 'utf8');

/** What goes into a definition manifest. */
export interface DefinitionManifestInput {
  id: string;
  version: string;
  contentHash: string;
  layer: Descriptor;
  /** The files pushed with the definition, in order (by name). */
  files?: FileLayer[];
}

/** Serialise the manifest of a definition; returns the exact bytes to PUT. */
export function buildDefinitionManifest(input: DefinitionManifestInput): Buffer {
  const manifest = {
    schemaVersion: 2,
    mediaType: OCI_MANIFEST_MEDIA_TYPE,
    artifactType: DEFINITION_ARTIFACT_TYPE,
    config: {
      mediaType: OCI_EMPTY_MEDIA_TYPE,
      digest: sha256Digest(EMPTY_CONFIG),
      size: EMPTY_CONFIG.length,
    },
    layers: [
      { ...input.layer, annotations: { [ANNOTATIONS.title]: `${input.id}.yaml` } },
      ...(input.files ?? []).map(({ name, ...blob }) => ({
        ...blob,
        annotations: { [ANNOTATIONS.title]: name },
      })),
    ],
    annotations: {
      [ANNOTATIONS.contentHash]: input.contentHash,
      [ANNOTATIONS.id]: input.id,
      [ANNOTATIONS.version]: input.version,
    },
  };
  return Buffer.from(JSON.stringify(manifest), 'utf8');
}

const DescriptorSchema = z.object({
  mediaType: z.string(),
  digest: z.string(),
  size: z.number().int().min(0),
  annotations: z.record(z.string(), z.string()).optional(),
});

const ManifestSchema = z.object({
  schemaVersion: z.literal(2),
  mediaType: z.string().optional(),
  artifactType: z.string().optional(),
  config: DescriptorSchema,
  layers: z.array(DescriptorSchema),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** What a definition manifest says about its definition. */
export interface ParsedDefinitionManifest {
  contentHash: string;
  layer: Descriptor;
  /** The layers after the first: files pushed with the definition, named by their title annotation. */
  files: FileLayer[];
  /** The manifest's `dev.flowstate.id` / `dev.flowstate.version`, when present. */
  id?: string;
  version?: string;
}

/**
 * Read a definition manifest (ours, or one `oras push` made with our artifact type and a
 * `dev.flowstate.content-hash` annotation).
 *
 * @param where `repository:tag`, for error messages.
 * @throws RegistryError `InvalidArtifact` when it is not a Flowstate definition with a content hash
 * (the definition first, then files each named by an `org.opencontainers.image.title` annotation).
 */
export function parseDefinitionManifest(bytes: Buffer, where: string): ParsedDefinitionManifest {
  const invalid = (why: string) =>
    new RegistryError('InvalidArtifact', `${where} is not a Flowstate definition: ${why}`, { where });
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('its manifest is not JSON');
  }
  const parsed = ManifestSchema.safeParse(json);
  if (!parsed.success) throw invalid('its manifest is not an OCI image manifest');
  const manifest = parsed.data;
  if (manifest.mediaType !== undefined && manifest.mediaType !== OCI_MANIFEST_MEDIA_TYPE) {
    throw invalid(`its manifest has media type ${manifest.mediaType}`);
  }
  // Image-spec 1.1 artifacts carry artifactType; older tools put it in the config media type.
  const artifactType = manifest.artifactType ?? manifest.config.mediaType;
  if (artifactType !== DEFINITION_ARTIFACT_TYPE)
    throw invalid(`its artifact type is ${artifactType}, not ${DEFINITION_ARTIFACT_TYPE}`);
  if (manifest.layers.length === 0) throw invalid('it has no layers');
  const [layer, ...rest] = manifest.layers as [
    z.infer<typeof DescriptorSchema>,
    ...z.infer<typeof DescriptorSchema>[],
  ];
  const files: FileLayer[] = [];
  for (const [i, extra] of rest.entries()) {
    const name = extra.annotations?.[ANNOTATIONS.title];
    if (name === undefined || files.some((f) => f.name === name))
      throw invalid(
        `its layer ${i + 2} has no ${ANNOTATIONS.title} annotation naming a file, or repeats one`,
      );
    files.push({ name, mediaType: extra.mediaType, digest: extra.digest, size: extra.size });
  }
  const annotations = manifest.annotations ?? {};
  const contentHash = annotations[ANNOTATIONS.contentHash];
  if (contentHash === undefined || !/^[0-9a-f]{64}$/.test(contentHash)) {
    throw invalid(`its manifest has no valid ${ANNOTATIONS.contentHash} annotation (64 hex digits)`);
  }
  const id = annotations[ANNOTATIONS.id];
  const version = annotations[ANNOTATIONS.version];
  return {
    contentHash,
    layer: { mediaType: layer.mediaType, digest: layer.digest, size: layer.size },
    files,
    ...(id === undefined ? {} : { id }),
    ...(version === undefined ? {} : { version }),
  };
}
