/**
 * `validate` skips ajv for the plain input schemas most definitions have (`plain-schema.ts`): for
 * each schema it calls plain, ajv (with the options `input-schema.ts` gives it) must find nothing
 * wrong, and anything else must still go to ajv, whose messages the user sees.
 */
import Ajv from 'ajv';
import { checkInputSchema } from '../../../src/dsl/input-schema';
import { isPlainSchema } from '../../../src/dsl/plain-schema';

/** ajv's verdict, as `checkInputSchema` asks for it: valid against the meta-schema and compiles. */
function ajvAccepts(schema: object): boolean {
  const ajv = new Ajv({ allErrors: true, logger: false, validateFormats: false });
  if (!ajv.validateSchema(schema)) return false;
  try {
    ajv.compile(schema);
    return true;
  } catch {
    return false;
  }
}

const PLAIN: object[] = [
  {},
  { type: 'object' },
  { type: 'object', properties: { name: { type: 'string' } } },
  {
    type: 'object',
    title: 'Order',
    description: 'what the run needs',
    required: ['id', 'items'],
    additionalProperties: false,
    properties: {
      id: { type: 'string', minLength: 1, maxLength: 64, description: 'order id' },
      count: { type: 'integer', minimum: 0, maximum: 10, default: 3 },
      ratio: { type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1.5 },
      skip: { type: 'boolean', default: false },
      nothing: { type: 'null' },
      items: { type: 'array', minItems: 1, maxItems: 5, items: { type: 'object', properties: {} } },
      extra: { type: 'object', additionalProperties: { type: 'string' } },
      anything: {},
    },
  },
  { type: 'string', default: { a: [1, 'b'] } },
  { type: 'object', required: [] },
  { type: 'array', items: { type: 'object', required: ['x'] } },
];

const NOT_PLAIN: object[] = [
  { type: 'strin' },
  { type: 'object', requird: ['a'] },
  { type: ['string', 'null'] },
  { type: 'object', required: ['a', 'a'] },
  { type: 'object', required: 'a' },
  { type: 'string', minLength: -1 },
  { type: 'string', minLength: 1.5 },
  { type: 'number', minimum: '3' },
  { type: 'object', properties: { a: { type: 'strng' } } },
  { type: 'object', properties: { a: true } },
  { type: 'array', items: [{ type: 'string' }] },
  { type: 'object', additionalProperties: 'no' },
  { $schema: 'https://json-schema.org/draft/2020-12/schema', type: 'object' },
  { type: 'string', pattern: '[' },
  { type: 'string', format: 'email' },
  { type: 'string', enum: ['a', 'b'] },
  { $ref: '#/definitions/x' },
  { type: 'object', title: 3 },
];

describe('isPlainSchema', () => {
  it.each(PLAIN.map((s) => [JSON.stringify(s), s]))('%s is plain, and ajv accepts it', (_, schema) => {
    expect(isPlainSchema(schema)).toBe(true);
    expect(ajvAccepts(schema as object)).toBe(true);
  });

  it.each(NOT_PLAIN.map((s) => [JSON.stringify(s), s]))('%s goes to ajv', (_, schema) => {
    expect(isPlainSchema(schema)).toBe(false);
  });

  it('leaves the messages to ajv: a misspelt keyword is still named with its fix', () => {
    expect(checkInputSchema({ type: 'object', requird: ['a'] }, ['input'])).toEqual([
      expect.objectContaining({
        path: ['input', 'requird'],
        message: expect.stringContaining("unknown keyword 'requird'"),
      }),
    ]);
  });

  it('goes to ajv past a depth no hand-written schema reaches', () => {
    let deep: object = { type: 'string' };
    for (let i = 0; i < 40; i++) deep = { type: 'object', properties: { a: deep } };
    expect(isPlainSchema(deep)).toBe(false);
    expect(checkInputSchema(deep as Record<string, unknown>, ['input'])).toEqual([]);
  });
});
