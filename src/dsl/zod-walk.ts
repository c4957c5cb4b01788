/**
 * Just enough zod introspection for the DSL: unwrap optional/default/lazy/pipe layers, read the field
 * roles types put on their fields (`fieldRoles`), and step from a schema to the schema of a child value.
 */
import type { z } from 'zod';
import { fieldRoles, type FieldRole } from '../contract/fields';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  getter?: () => z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'catch', 'readonly', 'nonoptional']);

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** The schema and each schema it wraps (optional, default, lazy, pipe...), outermost first. */
export function layers(schema: z.ZodType): z.ZodType[] {
  const out: z.ZodType[] = [];
  let current: z.ZodType | undefined = schema;
  while (current && out.length < 32) {
    out.push(current);
    const def = defOf(current);
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'lazy') current = def.getter?.();
    else if (def.type === 'pipe') current = def.in;
    else current = undefined;
  }
  return out;
}

/** The innermost schema under the wrappers. */
export function baseOf(schema: z.ZodType): z.ZodType {
  const all = layers(schema);
  return all[all.length - 1];
}

/** Roles marked on any layer of the schema. */
export function rolesOf(schema: z.ZodType): FieldRole[] {
  return layers(schema).flatMap((s) => {
    const role = fieldRoles.get(s);
    return role ? [role] : [];
  });
}

/** True when `target` is one of the schema's layers (identity). */
export function wraps(schema: z.ZodType, target: z.ZodType): boolean {
  return layers(schema).includes(target);
}

/** Field names of an object schema (under its wrappers), or undefined. */
export function shapeKeys(schema: z.ZodType): string[] | undefined {
  const def = defOf(baseOf(schema));
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : undefined;
}

/**
 * The schema of the value found under `segment` of a value of `schema`: an object's field, an
 * array's element, a record's value. (For a union, pick the option first with `optionFor`.)
 */
export function childSchema(schema: z.ZodType | undefined, segment: string | number): z.ZodType | undefined {
  if (!schema) return undefined;
  const def = defOf(baseOf(schema));
  if (def.type === 'object') return typeof segment === 'string' ? def.shape?.[segment] : undefined;
  if (def.type === 'array') return def.element;
  if (def.type === 'record') return def.valueType;
  return undefined;
}

/** For a union, the option that fits a value's kind (mapping or not); other schemas are returned as is. */
export function optionFor(schema: z.ZodType, value: unknown, isTask: (s: z.ZodType) => boolean): z.ZodType {
  const def = defOf(baseOf(schema));
  if (def.type !== 'union' || !def.options) return schema;
  const mapping = value !== null && typeof value === 'object' && !Array.isArray(value);
  const fits = def.options.find((option) => {
    const kind = defOf(baseOf(option)).type;
    const objectLike = isTask(option) || kind === 'object' || kind === 'record';
    return mapping === objectLike;
  });
  return fits ?? schema;
}
