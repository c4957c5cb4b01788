/** Fixes for operators people bring from other languages, added to JSONata's syntax errors. */

const STRINGS = /'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`[^`]*`/g;

const FIXES: Array<[RegExp, string]> = [
  [/&&/, "write 'and' instead of '&&'"],
  [/\|\|/, "write 'or' instead of '||'"],
  [/={2,}/, "write '=' instead of '==' (JSONata compares with one '=')"],
  [/!(?!=)/, "write $not(...) instead of '!'"],
];

/** `: write 'and' instead of '&&'`... for the operators of `text` JSONata does not have, else ''. */
export function syntaxHint(text: string): string {
  const code = text.replace(STRINGS, "''");
  const fixes = FIXES.filter(([pattern]) => pattern.test(code)).map(([, fix]) => fix);
  return fixes.length === 0 ? '' : ` (in JSONata ${fixes.join('; ')})`;
}
