import fc from 'fast-check';
import {
  compileExpression,
  evaluate,
  expressionOf,
  ExpressionError,
  functionsCalled,
  hasTemplate,
  hasUnclosedTemplate,
  readsOf,
  render,
  renderTemplate,
  splitTemplate,
  templateExpressions,
  wholeExpression,
} from '../../../src/expressions';

const ROOTS = new Set(['input', 'tasks', 'item', 'index']);

describe('templates', () => {
  it('tell a whole {{ }} from text around it', () => {
    expect(wholeExpression('  {{ input.a }} ')).toBe('input.a');
    expect(wholeExpression('{{ a }} and {{ b }}')).toBeUndefined();
    expect(wholeExpression('x {{ a }}')).toBeUndefined();
    expect(templateExpressions('{{ a }} and {{b}}')).toEqual(['a', 'b']);
    expect(hasTemplate('no braces')).toBe(false);
    expect(hasTemplate('{{ open')).toBe(false);
    expect(expressionOf('{{ input.n > 3 }}')).toBe('input.n > 3');
    expect(expressionOf(' input.n > 3 ')).toBe('input.n > 3');
  });

  it('keep the type of a whole {{ }} and make text of the others', async () => {
    const scope = { input: { n: 2, list: [1, 2], o: { a: 1 } } };
    expect(await render('{{ input.n }}', scope)).toBe(2);
    expect(await render('{{ input.o }}', scope)).toEqual({ a: 1 });
    expect(await render('n={{ input.n }}, o={{ input.o }}, none={{ input.none }}', scope)).toBe(
      'n=2, o={"a":1}, none=',
    );
    expect(await render({ deep: ['{{ input.list[1] }}', 7, null] }, scope)).toEqual({ deep: [2, 7, null] });
  });

  it('keep an own __proto__ key as a key (found by fast-check)', async () => {
    const v = JSON.parse('{"__proto__": {"x": 1}}') as object;
    const out = (await render('{{ input.v }}', { input: { v } })) as object;
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });

  it('turn "no match" into null', async () => {
    expect(await evaluate('input.missing', { input: {} })).toBeNull();
  });
});

describe('compiling expressions', () => {
  it('caches by text', () => {
    expect(compileExpression('input.a + 1')).toBe(compileExpression('input.a + 1'));
  });

  it('report syntax errors with their position', () => {
    expect(() => compileExpression('input.(')).toThrow(ExpressionError);
    try {
      compileExpression('a +');
    } catch (e) {
      expect(e).toMatchObject({
        position: 3,
        code: 'S0207',
        message: "Unexpected end of expression at character 3 in 'a +'",
      });
    }
    expect(() => compileExpression('  ')).toThrow('empty expression');
  });

  it.each([
    '$now()',
    '$millis()',
    '$random()',
    '$map([1], function($x) { $x + $random() })',
    '($f := $now; $f())',
    '$map([1, 2], $random)',
  ])('reject the non-deterministic call in %s', (text) => {
    expect(() => compileExpression(text)).toThrow(/is not allowed/);
  });

  it.each([
    ['$count([1..9000000])', 'a sequence of 9,000,000 items is over the limit of 1,000,000 items'],
    ['$count([1..20000000])', 'a sequence of 20,000,000 items is over the limit of 1,000,000 items'],
    [
      '$count($append([1..600000], [1..600000]))',
      'a sequence of 1,200,000 items is over the limit of 1,000,000 items',
    ],
  ])('name the sequence limit, not the size asked for, in %s (issue 18 row 12)', async (text, message) => {
    const error = await evaluate(text, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExpressionError);
    expect((error as Error).message).toContain(message);
    expect((error as Error).message).not.toContain('maximum sequence length of 9000000');
  });

  it('say where the forbidden call is', () => {
    expect(() => compileExpression('1 + $now()')).toThrow(
      expect.objectContaining({
        position: 8,
        code: 'NonDeterministicFunction',
        message: expect.stringContaining('$now() is not allowed at character 8'),
      }),
    );
  });

  it('list the functions called', () => {
    expect(functionsCalled('$count(input.a) + $sum([1])').sort()).toEqual(['count', 'sum']);
  });
});

describe('readsOf', () => {
  it.each([
    ['input.a + tasks.b.output', ['input', 'tasks.b']],
    ['tasks.`file-bug`.output.id', ['tasks.file-bug']],
    ['tasks.b.output.items[kind = "x"].name', ['tasks.b']],
    ['$count(tasks.*)', ['tasks']],
    ['$$.input.a', ['input']],
    ['$', ['*']],
    ['item.x & index', ['index', 'item']],
    ['unknownRoot.x', []],
  ])('%s reads %j', (text, expected) => {
    expect(readsOf(text, ROOTS)).toEqual(expected);
  });
});

describe('properties', () => {
  it('rendering a valid template never throws, whatever JSON the scope holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), fc.jsonValue(), async (input, tasks) => {
        const out = await render('{{ input.a }} and {{ tasks.x.output }}', { input, tasks });
        expect(typeof out).toBe('string');
      }),
      { numRuns: 300 },
    );
  });

  it('a whole {{ input.v }} returns the value unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue(), async (v) => {
        // toEqual compares numbers with Object.is, so 0 and -0 differ here.
        expect(await render('{{ input.v }}', { input: { v } })).toEqual(v);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps -0 and every other finite double as is (fc.jsonValue never makes -0)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.double({ noNaN: true, noDefaultInfinity: true }), async (v) => {
        expect(Object.is(await render('{{ input.v }}', { input: { v } }), v)).toBe(true);
      }),
    );
    expect(Object.is(await render('{{ input.v }}', { input: { v: -0 } }), -0)).toBe(true);
  });

  it('gives null, never undefined, for a value that is not there, and for NaN or ±Infinity', async () => {
    expect(await render('{{ input.v }}', { input: {} })).toBeNull();
    expect(await render('{{ input.v }}', { input: { v: undefined } })).toBeNull();
    expect(await render('{{ input.v }}', { input: { v: Infinity } })).toBeNull();
    expect(await render('{{ input.v }}', { input: { v: [1, NaN] } })).toEqual([1, null]);
    expect(await render('{{ input.v }}', { input: { v: { a: undefined, b: 1 } } })).toEqual({ b: 1 });
  });
});

describe('the template splitter', () => {
  it('cuts a template into literals and expressions, with where each {{ starts', () => {
    expect(splitTemplate('a {{ x }} b {{y}}')).toEqual({
      literals: ['a ', ' b ', ''],
      expressions: [
        { text: 'x', at: 2 },
        { text: 'y', at: 12 },
      ],
    });
    expect(splitTemplate('no braces')).toEqual({ literals: ['no braces'], expressions: [] });
  });

  it('renders with the formatter it is given, evaluating in order', async () => {
    const seen: string[] = [];
    const text = await renderTemplate(
      splitTemplate('{{ a }} and {{ b }}!'),
      async (e) => (seen.push(e), e === 'a' ? [1, 2] : null),
      (v) => (v === null ? '-' : JSON.stringify(v)),
    );
    expect(text).toBe('[1,2] and -!');
    expect(seen).toEqual(['a', 'b']);
  });

  it('tells a {{ left without its }}', () => {
    expect(hasUnclosedTemplate('{{ a }} {{ b')).toBe(true);
    expect(hasUnclosedTemplate('{{ a }} }} b')).toBe(false);
    expect(hasUnclosedTemplate('{{{ a }}')).toBe(false);
  });
});
