/**
 * A plain path's syntax tree is built without JSONata's parser (validation of a 20,000-task definition
 * spent most of its time there); it must be exactly JSONata's tree, or the checks would read
 * something else. Anything that is not a plain path of names is left to JSONata.
 */
import jsonata from 'jsonata';
import { expressionAst } from '../../../src/expressions';
import { plainPathAst } from '../../../src/expressions/plain-path';

describe('plainPathAst', () => {
  it.each([
    'input',
    'x',
    '_',
    'input.name',
    'tasks.t0.output.value',
    'tasks.fetch_2.output.body.items',
    'item.A_b9.c',
    'tasks.order.output',
    'tasks.andy.output.inner', // keywords only as whole names
    'iN.Or.AND.True', // JSONata's keywords are lower case
  ])('builds what JSONata builds for %s', (text) => {
    expect(plainPathAst(text)).toEqual(jsonata(text).ast());
  });

  it.each([
    ' input.name', // callers trim; untrimmed text goes to JSONata
    'input.name ',
    'input. name',
    'tasks.`first-step`.output',
    'tasks.t-1.output',
    '$.input',
    '$x',
    'input.x + 1',
    'input.x[0]',
    'input.1a',
    '1',
    'a..b',
    '.a',
    'a.',
    'tasks.and.output',
    'in',
    'true',
    'false.x',
    'null',
    'a.function',
    'inpüt.x',
    '',
  ])('leaves %j to JSONata', (text) => {
    expect(plainPathAst(text)).toBeUndefined();
  });

  it('is what expressionAst returns for a plain path, and JSONata still reports what is not one', () => {
    expect(expressionAst('tasks.a.output.b')).toEqual(jsonata('tasks.a.output.b').ast());
    expect(() => expressionAst('tasks.a.')).toThrow();
  });
});
