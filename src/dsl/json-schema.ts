/**
 * The definition language as JSON Schema (draft 2020-12), generated from the same zod schemas the
 * loader uses, for editors (`# yaml-language-server: $schema=...`) and other tools.
 */
import { z } from 'zod';
import type { TaskTypeRegistry } from '../contract/registry';
import { documentSchema } from './schema';

/**
 * JSON Schema of a workflow definition whose tasks are of the registry's types, with the titles and
 * descriptions of the zod schemas.
 */
export function definitionJsonSchema(types: TaskTypeRegistry): Record<string, unknown> {
  // io 'input': what an author writes (fields with defaults are optional); refinements are dropped.
  return z.toJSONSchema(documentSchema(types), {
    io: 'input',
    target: 'draft-2020-12',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
}

/** The JSON Schema as formatted text (two-space indent, final newline), ready to print or write. */
export function definitionJsonSchemaText(types: TaskTypeRegistry): string {
  return `${JSON.stringify(definitionJsonSchema(types), null, 2)}\n`;
}
