/**
 * JSONata expressions compiled once (cached by their text), bounded when they run, and refused when
 * they would mean something different on replay (`$now()`, `$millis()`, `$random()`).
 */
import jsonata from 'jsonata';
import { walk } from './ast';
import { ExpressionError, toExpressionError } from './errors';
import { syntaxHint } from './hints';
import { bannedMessage, NONDETERMINISTIC_FUNCTIONS, RUNTIME_BINDINGS } from './functions';
import { boxLimits } from './box/limits';
import { plainPathAst } from './plain-path';

export { ExpressionError, toExpressionError } from './errors';
export { NONDETERMINISTIC_FUNCTIONS } from './functions';

/** Limits applied to every evaluation (the time limit is FLOWSTATE_EXPR_TIMEOUT_MS, default 1,000 ms). */
export const EVALUATION_LIMITS = { timeout: 1_000, stack: 500, sequence: 1_000_000 } as const;

const cache = new Map<string, jsonata.Expression>();
const CACHE_LIMIT = 10_000;

/** Compile (once; cached by text) or throw `ExpressionError`. */
export function compileExpression(text: string): jsonata.Expression {
  let compiled = cache.get(text);
  if (compiled) return compiled;
  compiled = parseChecked(text);
  // Every evaluation of it, by any caller, finds the throwing versions of the banned functions.
  for (const [name, value] of Object.entries(RUNTIME_BINDINGS)) compiled.assign(name, value);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, compiled);
  return compiled;
}

/** Syntax trees parsed for reading, not running: the last few only (a tree is ~10 KB). */
const recent = new Map<string, jsonata.ExprNode>();
const RECENT_LIMIT = 64;

/**
 * The syntax tree of an expression that compiles (else `ExpressionError`), for the checks that read
 * it. Unlike `compileExpression` it keeps only the last few trees: validation reads each expression a
 * few times in a row, and must not hold 20,000 compiled expressions (the garbage collector then took
 * most of a large definition's validation time). A plain path (`tasks.a.output`) gets the same tree
 * without JSONata's parser (`plain-path.ts`).
 */
export function expressionAst(text: string): jsonata.ExprNode {
  const ast = cache.get(text)?.ast() ?? recent.get(text);
  if (ast) return ast;
  const parsed = (plainPathAst(text) as jsonata.ExprNode | undefined) ?? parseChecked(text).ast();
  if (recent.size >= RECENT_LIMIT) recent.delete(recent.keys().next().value as string);
  recent.set(text, parsed);
  return parsed;
}

/** Parse with JSONata's limits and refuse the banned functions; no cache. */
function parseChecked(text: string): jsonata.Expression {
  if (text.trim() === '')
    throw new ExpressionError('empty expression: write something between {{ and }}', text);
  let compiled: jsonata.Expression;
  try {
    compiled = jsonata(text, { ...EVALUATION_LIMITS, timeout: boxLimits().timeoutMs });
  } catch (e) {
    const err = toExpressionError(e, text);
    const hint = syntaxHint(text);
    throw hint ? new ExpressionError(err.message + hint, text, err.position, err.code) : err;
  }
  const forbidden = forbiddenFunctionsIn(compiled.ast());
  if (forbidden.length > 0) {
    const [{ name, position }] = forbidden;
    const where = position !== undefined ? ` at character ${position}` : '';
    throw new ExpressionError(bannedMessage(name, where), text, position, 'NonDeterministicFunction');
  }
  return compiled;
}

/**
 * Uses of forbidden functions, in order, with JSONata's position (just after the name). Any
 * reference counts, not only a call: `($f := $now; $f())` must not slip through.
 */
function forbiddenFunctionsIn(ast: unknown): Array<{ name: string; position?: number }> {
  const found: Array<{ name: string; position?: number }> = [];
  walk(ast, (n) => {
    if (
      n.type === 'variable' &&
      (NONDETERMINISTIC_FUNCTIONS as readonly string[]).includes(n.value as string)
    ) {
      found.push({
        name: n.value as string,
        position: typeof n.position === 'number' ? n.position : undefined,
      });
    }
  });
  return found.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

/** Names of `$functions` an expression calls (for validation messages). */
export function functionsCalled(text: string): string[] {
  const found = new Set<string>();
  walk(expressionAst(text), (n) => {
    if (n.type === 'function' && n.procedure?.type === 'variable') found.add(n.procedure.value as string);
  });
  return [...found];
}
