/** Checking a subflow's `with` against the child definition's `input` JSON Schema. */
import type Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';

/** Made on first use: `validate` loads the task types but never checks a run's input (start-up budget). */
let ajv: Ajv | undefined;
const validators = new Map<string, ValidateFunction>();

/**
 * What is wrong with `input` for a definition whose `input` schema is `schema` (cached by `hash`):
 * one line listing every problem, or undefined when it matches (or there is no schema).
 */
export function inputProblems(schema: unknown, hash: string, input: unknown): string | undefined {
  if (schema === undefined || schema === null) return undefined;
  let validate = validators.get(hash);
  if (!validate) {
    ajv ??= new (require('ajv') as typeof import('ajv')).default({ allErrors: true, strict: false });
    validate = ajv.compile(schema as object);
    validators.set(hash, validate);
  }
  if (validate(input)) return undefined;
  return (validate.errors ?? []).map((e) => `${e.instancePath || '(input)'} ${e.message}`).join('; ');
}
