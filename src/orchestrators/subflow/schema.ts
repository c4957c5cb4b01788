import { z } from 'zod';

export const subflowFields = () => ({
  definition: z
    .string()
    .min(1)
    .describe(
      'the child definition: `<id>[@<version or range>]` from the registry, or a path relative to this file',
    ),
});

/** A subflow's compiled spec: what it names, its input, and the child definition pinned at compile. */
export type SubflowSpec = {
  definition: string;
  with?: unknown;
  /** The child's `CompiledDefinition`, pinned by the DSL when the parent compiled. */
  pinned?: { id: string; version: string; hash: string; input?: unknown };
};
