/**
 * What an expression references that nothing resolves (src/expressions/references.ts), the list of
 * JSONata's functions it is checked against, and the run-time guard of the determinism ban.
 */
import fs from 'node:fs';
import {
  compileExpression,
  evaluate,
  ExpressionError,
  JSONATA_FUNCTIONS,
  unresolvedReferences,
} from '../../../src/expressions';
import { renderUncached } from '../../../src/orchestrators/spec-session/render';

const names = (text: string, functions?: string[]) =>
  unresolvedReferences(text, { functions, roots: ['item', 'input'] }).map((u) => `${u.kind}:${u.name}`);

describe('unresolvedReferences', () => {
  it('finds unknown functions and variables, brackets with a string, and $eval, in order', () => {
    expect(names("$uppercasee(tasks['first-step'].output) & $foo & $eval(input.x) & $item")).toEqual([
      'function:uppercasee',
      'bracket:first-step',
      'variable:foo',
      'eval:eval',
      'variable:item',
    ]);
  });

  it('resolves what the expression binds, JSONata functions, $ and $$, and the functions given', () => {
    expect(
      names(
        '($f := function($x){ $x + 1 }; $g := $f; books@$b#$i.($b.title & $i) ~> $map($uppercase) & $f(1) & $g(2) & $$.a & $.b & $checklist(x))',
        ['checklist'],
      ),
    ).toEqual([]);
    expect(names('$checklist(x)')).toEqual(['function:checklist']);
  });

  it('brackets with numbers or expressions are filters users mean, and are left alone', () => {
    expect(names("tasks.a.output[0] & items[kind = 'x'] & tasks[$exists(a)]")).toEqual([]);
    expect(names("a['']")).toEqual(['bracket:']);
    expect(unresolvedReferences("a['']")[0].message).toContain('always false, so it keeps nothing');
  });

  it('gives a position for each, as JSONata reports it', () => {
    expect(unresolvedReferences('1 + $nope()').map((u) => u.position)).toEqual([9]);
  });
});

describe("JSONata's functions", () => {
  it('are exactly those jsonata binds (checked against its source, so an upgrade cannot drift)', () => {
    const source = fs.readFileSync(require.resolve('jsonata/jsonata.js'), 'utf8');
    const bound = [...source.matchAll(/(?:staticFrame|environment)\.bind\('(\w+)'/g)].map((m) => m[1]);
    expect(new Set(JSONATA_FUNCTIONS)).toEqual(new Set(bound));
  });
});

describe('the banned functions at run time', () => {
  it('$eval of a string from the input cannot reach $now, $millis, $random or $shuffle', async () => {
    for (const code of ['$now()', '$millis()', '$random()', '$shuffle([1,2])', "$eval('$now()')"]) {
      const failure = await evaluate('$eval(input.code)', { input: { code } }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(ExpressionError);
      expect(failure).toMatchObject({ code: 'NonDeterministicFunction' });
    }
  });

  it('binds on the compiled expression, so callers with bindings of their own are guarded too', async () => {
    // JSONata's own evaluate rejects with a plain object (D3121) wrapping our error.
    await expect(compileExpression('$eval(x)').evaluate({ x: '$now()' }, { other: 1 })).rejects.toMatchObject(
      {
        code: 'D3121',
        error: { code: 'NonDeterministicFunction' },
      },
    );
    await expect(renderUncached('{{ $eval(input.t) }}', { input: { t: '$random()' } })).rejects.toThrow(
      '$random() is not allowed',
    );
  });

  it('$eval of deterministic text still evaluates (a pinned definition keeps working)', async () => {
    await expect(evaluate("$eval('[1, 2]') ~> $sum()", {})).resolves.toBe(3);
  });
});
