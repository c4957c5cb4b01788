/**
 * The JSON Schemas that need no ajv to be known valid: draft-07 (no `$schema`) built only from
 * `type`, `properties`, `required`, `items`, `additionalProperties`, the number and length bounds,
 * `title`, `description` and `default`. Most definitions' `input` is such a schema, and loading and
 * running ajv (some 70 modules and a meta-schema compiled to code) was a quarter of `flowstate
 * validate`'s start-up; anything else is checked by ajv as before (`input-schema.ts`).
 * test/unit/dsl/plain-schema.test.ts holds ajv to the same verdict for the schemas said plain.
 */

const SIMPLE_TYPES = new Set(['array', 'boolean', 'integer', 'null', 'number', 'object', 'string']);
const NUMBER_BOUNDS = new Set(['minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const LENGTH_BOUNDS = new Set(['minLength', 'maxLength', 'minItems', 'maxItems']);
/** Deeper schemas go to ajv (and a recursion this simple check need not bound otherwise). */
const MAX_DEPTH = 32;

/** True when `schema` is a draft-07 schema of the plain keywords above, and so valid for ajv. */
export function isPlainSchema(schema: unknown): boolean {
  return isRecord(schema) && schema.$schema === undefined && plain(schema, 0);
}

function plain(schema: unknown, depth: number): boolean {
  if (!isRecord(schema) || depth > MAX_DEPTH) return false;
  for (const [key, value] of Object.entries(schema)) {
    if (!plainKeyword(key, value, depth)) return false;
  }
  return true;
}

function plainKeyword(key: string, value: unknown, depth: number): boolean {
  if (key === 'type') return typeof value === 'string' && SIMPLE_TYPES.has(value);
  if (key === 'title' || key === 'description') return typeof value === 'string';
  if (key === 'default') return true;
  if (key === 'properties') return isRecord(value) && Object.values(value).every((s) => plain(s, depth + 1));
  if (key === 'required')
    return (
      Array.isArray(value) &&
      value.every((v) => typeof v === 'string') &&
      new Set(value).size === value.length
    );
  if (key === 'items') return plain(value, depth + 1);
  if (key === 'additionalProperties') return typeof value === 'boolean' || plain(value, depth + 1);
  if (NUMBER_BOUNDS.has(key)) return typeof value === 'number' && Number.isFinite(value);
  if (LENGTH_BOUNDS.has(key)) return Number.isSafeInteger(value) && (value as number) >= 0;
  return false;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
