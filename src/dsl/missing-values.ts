/**
 * Comparisons that read a value the input may not have. In JSONata `=` and `!=` with a missing value
 * are false: with `{}` as input, `input.skip != true` is false, and so is `input.skip = null`; `<`,
 * `<=`, `>`, `>=` give a missing value, and `$not` of a missing value is missing too (falsy). The
 * checker warns where the definition's `input` JSON Schema does not require the value (at every
 * level of its path) and the expression does not test it with `$exists`.
 */
import { expressionAst, walk, type AstNode } from '../expressions';

/** A warning for one comparison, with the idiom to use. */
export interface MissingValueWarning {
  position?: number;
  message: string;
}

/** Warnings for the comparisons of `expression` with input values `inputSchema` does not require. */
export function missingValueWarnings(expression: string, inputSchema: unknown): MissingValueWarning[] {
  const ast = expressionAst(expression) as AstNode;
  const tested = new Set<string>();
  walk(ast, (n) => {
    if (n.type === 'function' && n.procedure?.value === 'exists') {
      const path = inputPath((n.arguments as AstNode[] | undefined)?.[0]);
      if (path) tested.add(path.join('.'));
    }
  });
  const warnings: MissingValueWarning[] = [];
  const missing = (node: AstNode | undefined): { text: string; why: string } | undefined => {
    const path = inputPath(node);
    if (!path || tested.has(path.join('.'))) return undefined;
    const why = whyMissing(inputSchema, path.slice(1));
    return why ? { text: `input.${path.slice(1).join('.')}`, why } : undefined;
  };
  walk(ast, (n) => {
    const arg = (n.arguments as AstNode[] | undefined)?.[0];
    if (n.type !== 'function' || n.procedure?.value !== 'not' || arg?.type !== 'binary') return;
    if (!['<', '<=', '>', '>='].includes(arg.value as string)) return;
    const side = missing(arg.lhs as AstNode) ?? missing(arg.rhs as AstNode);
    if (side) warnings.push({ position: n.position as number, message: notOrdering(side.text, side.why) });
  });
  walk(ast, (n) => {
    if (n.type !== 'binary' || (n.value !== '!=' && n.value !== '=')) return;
    const [lhs, rhs] = [n.lhs as AstNode, n.rhs as AstNode];
    for (const [side, other] of [
      [lhs, rhs],
      [rhs, lhs],
    ] as const) {
      const path = inputPath(side);
      if (!path || tested.has(path.join('.'))) continue;
      const why = whyMissing(inputSchema, path.slice(1));
      if (!why) continue;
      const text = `input.${path.slice(1).join('.')}`;
      if (n.value === '!=') {
        warnings.push({ position: n.position as number, message: notEqual(text, why, other) });
        break;
      }
      if (isNull(other) || (inputPath(other) && whyMissing(inputSchema, inputPath(other)!.slice(1)))) {
        warnings.push({ position: n.position as number, message: equalNull(text, why) });
        break;
      }
    }
  });
  return warnings;
}

function notEqual(text: string, why: string, other: AstNode): string {
  const value = other.type === 'string' ? `'${String(other.value)}'` : (literal(other) ?? '...');
  return (
    `${text} != ${value} is false when ${text} is missing (${why}): in JSONata a comparison with a ` +
    `missing value is false, whatever the operator. Write $not(${text} = ${value}) to include a ` +
    `missing value, or $exists(${text}) and ${text} != ${value} to say it is left out`
  );
}

function notOrdering(text: string, why: string): string {
  return (
    `$not(...) of a comparison with ${text} is missing, not true, when ${text} is missing (${why}): ` +
    `in JSONata <, <=, > and >= with a missing value give a missing value, and $not of it is missing ` +
    `too (false in an if). Write $not($exists(${text})) or ... to include a missing value`
  );
}

function equalNull(text: string, why: string): string {
  return (
    `${text} = ... is false when ${text} is missing (${why}), even against null: in JSONata a ` +
    `comparison with a missing value is false and a missing value is not null. Write ` +
    `$not($exists(${text})) to test that it is missing`
  );
}

function literal(node: AstNode): string | undefined {
  if (node.type === 'value' || node.type === 'number') return JSON.stringify(node.value);
  return undefined;
}

function isNull(node: AstNode): boolean {
  return node.type === 'value' && node.value === null;
}

/** `['input', 'a', 'b']` for a plain path `input.a.b` (also `$.input...`, `$$.input...`), else undefined. */
function inputPath(node: AstNode | undefined): string[] | undefined {
  if (node?.type !== 'path' || !Array.isArray(node.steps)) return undefined;
  let steps = node.steps;
  if (steps[0]?.type === 'variable' && (steps[0].value === '' || steps[0].value === '$'))
    steps = steps.slice(1);
  if (steps.length < 2 || steps[0].value !== 'input') return undefined;
  const names: string[] = [];
  for (const s of steps) {
    if (s.type !== 'name' || typeof s.value !== 'string' || s.stages || s.predicate) return undefined;
    names.push(s.value);
  }
  return names;
}

/**
 * `input.my-key` is JSONata for `input.my` minus `key`: errors where the input schema has a
 * property `my-key` at that place, with the backtick fix.
 */
export function hyphenatedInputKeys(expression: string, inputSchema: unknown): MissingValueWarning[] {
  const found: MissingValueWarning[] = [];
  walk(expressionAst(expression) as AstNode, (n) => {
    if (n.type !== 'binary' || n.value !== '-') return;
    const path = inputPath(n.lhs as AstNode);
    const rhs = n.rhs as AstNode;
    const next = rhs.type === 'path' && Array.isArray(rhs.steps) ? rhs.steps[0] : undefined;
    if (!path || next?.type !== 'name' || typeof next.value !== 'string') return;
    const parent = propertiesAt(inputSchema, path.slice(1, -1));
    const key = `${path[path.length - 1]}-${next.value}`;
    if (!parent || !Object.hasOwn(parent, key)) return;
    const written = `${path.join('.')}-${next.value}`;
    const fix = `${path.slice(0, -1).join('.')}.\`${key}\``;
    found.push({
      position: n.position as number,
      message: `reads ${written} as ${path.join('.')} minus ${next.value}: a key with '-' must be quoted in expressions: ${fix}`,
    });
  });
  return found;
}

/** The `properties` of the object schema at `path` of the input, if the schema declares them. */
function propertiesAt(schema: unknown, path: readonly string[]): Record<string, unknown> | undefined {
  let current = schema as Schema | undefined;
  for (const name of path) current = current?.properties?.[name] as Schema | undefined;
  return current?.properties;
}

type Schema = { type?: unknown; required?: unknown; properties?: Record<string, unknown> };

/**
 * Why the value at `path` of the input may be missing under `schema` (a clause for the message), or
 * undefined when the schema requires every level of it.
 */
export function whyMissing(schema: unknown, path: readonly string[]): string | undefined {
  if (schema === undefined) return 'the definition has no input schema';
  let current: unknown = schema;
  for (let i = 0; i < path.length; i++) {
    const at = i === 0 ? 'input' : `input.${path.slice(0, i).join('.')}`;
    if (current === null || typeof current !== 'object')
      return `the input schema does not require ${path[i]} in ${at}`;
    const s = current as Schema;
    const required = Array.isArray(s.required) ? (s.required as unknown[]) : [];
    if (!required.includes(path[i])) return `the input schema does not require ${path[i]} in ${at}`;
    current = s.properties?.[path[i]];
  }
  return undefined;
}
