import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { definitionJsonSchema, definitionJsonSchemaText } from '../../../src/dsl/json-schema';
import { FIXTURES, fixtureText, TYPES } from './helpers';

describe('definitionJsonSchema', () => {
  const schema = definitionJsonSchema(TYPES);
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it('is a draft 2020-12 schema with titles and descriptions', () => {
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Flowstate workflow definition',
      required: ['id', 'version'],
      additionalProperties: false,
    });
    const text = definitionJsonSchemaText(TYPES);
    expect(text).toContain('"title": "parallel task"');
    expect(text).toContain('Runs its tasks concurrently');
    expect(text).toContain("the task's input; strings may hold {{ }} templates");
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('describes tasks recursively through $defs', () => {
    expect(JSON.stringify(schema)).toContain('"$ref":"#/$defs/Task"');
  });

  it.each(readdirSync(join(FIXTURES, 'valid')))('accepts valid/%s', (file) => {
    const ok = validate(parse(fixtureText(`valid/${file}`)));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    'unknown-type.yaml',
    'unknown-field.yaml',
    'unknown-field-in-retry.yaml',
    'loop-missing-max.yaml',
    'bad-duration.yaml',
    'bad-semver-string.yaml',
    'wrong-type-max-workers.yaml',
    'inline-route-bad-field.yaml',
  ])('rejects invalid/%s', (file) => {
    expect(validate(parse(fixtureText(`invalid/${file}`)))).toBe(false);
  });
});
