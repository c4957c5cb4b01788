/** Checks a run's input against the definition's `input` JSON Schema before the run starts. */
import Ajv, { type ValidateFunction } from 'ajv';
import type { CompiledDefinition } from '../contract/compiled';

/** The input does not match the definition's `input` schema; the message lists every problem. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = new Map<string, ValidateFunction>();

/** Check an input against the definition's `input` schema; throws an `InputError` listing what is wrong. */
export function checkInput(definition: CompiledDefinition, input: unknown): void {
  if (definition.input === undefined || definition.input === null) return;
  let validate = validators.get(definition.hash);
  if (!validate) {
    validate = ajv.compile(definition.input as object);
    validators.set(definition.hash, validate);
  }
  if (validate(input)) return;
  const problems = (validate.errors ?? [])
    .map((e) => `${e.instancePath || '(input)'} ${e.message}`)
    .join('; ');
  throw new InputError(
    `input does not match the input schema of ${definition.id}@${definition.version}: ${problems}`,
  );
}
