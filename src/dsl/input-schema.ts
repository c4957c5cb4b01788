/**
 * The workflow `input` must be a JSON Schema ajv can compile: it is checked against the meta-schema
 * of its draft (`$schema`: 2020-12, 2019-09, default draft-07), then compiled in strict mode, which
 * rejects unknown keywords (`requird`).
 */
import type Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import type Ajv2019 from 'ajv/dist/2019';
import type Ajv2020 from 'ajv/dist/2020';
import type { Problem } from './issues';
import type { DocPath } from './paths';
import { didYouMean } from '../contract/suggest';
import { isPlainSchema } from './plain-schema';

type AnyAjv = Ajv | Ajv2019 | Ajv2020;
const instances = new Map<string, AnyAjv>();

function ajvFor(schema: Record<string, unknown>): AnyAjv {
  const draft = typeof schema.$schema === 'string' ? schema.$schema : '';
  const key = draft.includes('2020-12') ? '2020' : draft.includes('2019-09') ? '2019' : '07';
  let ajv = instances.get(key);
  if (!ajv) {
    // Formats are a runtime concern (and need ajv-formats): here only the schema's shape is checked.
    const options = { allErrors: true, logger: false as const, validateFormats: false };
    // Only the draft's class is loaded (each is some 30 modules): `validate` starts faster (DESIGN.md 8).
    ajv =
      key === '2020'
        ? new (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default(options)
        : key === '2019'
          ? new (require('ajv/dist/2019') as typeof import('ajv/dist/2019')).default(options)
          : new (require('ajv') as typeof import('ajv')).default(options);
    instances.set(key, ajv);
  }
  return ajv;
}

/** Problems with the `input` JSON Schema found at `path` (empty when it compiles). */
export function checkInputSchema(schema: Record<string, unknown>, path: DocPath): Problem[] {
  if (isPlainSchema(schema)) return [];
  const ajv = ajvFor(schema);
  let valid: boolean;
  try {
    valid = ajv.validateSchema(schema) as boolean;
  } catch (e) {
    return [{ path, anchor: 'value', message: `input is not a valid JSON Schema: ${(e as Error).message}` }];
  }
  if (!valid) return metaSchemaProblems(ajv.errors ?? [], path);
  try {
    ajv.compile(schema);
    return [];
  } catch (e) {
    return [compileProblem((e as Error).message, schema, path, ajv)];
  } finally {
    ajv.removeSchema(schema);
  }
}

/** One problem per place in the schema, preferring the error that lists the allowed values. */
function metaSchemaProblems(errors: ErrorObject[], path: DocPath): Problem[] {
  const byPlace = new Map<string, ErrorObject>();
  for (const e of errors) {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') continue;
    const seen = byPlace.get(e.instancePath);
    if (!seen || (!('allowedValues' in seen.params) && 'allowedValues' in e.params))
      byPlace.set(e.instancePath, e);
  }
  return [...byPlace.values()].map((e) => {
    const at = pointerToPath(e.instancePath);
    const allowed = (e.params as { allowedValues?: unknown[] }).allowedValues;
    const where = e.instancePath || '/';
    const message = allowed
      ? `input is not a valid JSON Schema: ${where} ${e.message}: ${allowed.map(String).join(', ')}${hintFor(e.data, allowed)}`
      : `input is not a valid JSON Schema: ${where} ${e.message}`;
    return { path: [...path, ...at], anchor: 'value' as const, message };
  });
}

function hintFor(value: unknown, allowed: unknown[]): string {
  return typeof value === 'string' ? didYouMean(value, allowed.map(String)) : '';
}

function compileProblem(
  message: string,
  schema: Record<string, unknown>,
  path: DocPath,
  ajv: AnyAjv,
): Problem {
  const unknown = /unknown keyword: "([^"]+)"/.exec(message)?.[1];
  if (unknown) {
    const keywords = Object.keys(
      (ajv as unknown as { RULES: { keywords: Record<string, unknown> } }).RULES.keywords,
    );
    const holder = findKey(schema, unknown);
    return {
      path: holder ? [...path, ...holder, unknown] : path,
      anchor: 'key',
      message: `input is not a valid JSON Schema: unknown keyword '${unknown}'${didYouMean(unknown, keywords)}`,
    };
  }
  return { path, anchor: 'value', message: `input is not a valid JSON Schema: ${message}` };
}

/** Path of the object holding `key`, searching breadth first. */
function findKey(root: unknown, key: string): Array<string | number> | undefined {
  const queue: Array<[unknown, Array<string | number>]> = [[root, []]];
  while (queue.length > 0) {
    const [value, at] = queue.shift()!;
    if (value === null || typeof value !== 'object') continue;
    if (!Array.isArray(value) && Object.hasOwn(value, key)) return at;
    for (const [k, v] of Object.entries(value))
      queue.push([v, [...at, Array.isArray(value) ? Number(k) : k]]);
  }
  return undefined;
}

/** `/properties/repo/type` → `['properties', 'repo', 'type']` (RFC 6901 escapes undone). */
function pointerToPath(pointer: string): Array<string | number> {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}
