/**
 * JSONata expressions compiled once (cached by their text), bounded when they run, and refused when
 * they would mean something different on replay (`$now()`, `$millis()`, `$random()`).
 */
import jsonata from 'jsonata';
import { walk } from './ast';

/** Limits applied to every evaluation. */
export const EVALUATION_LIMITS = { timeout: 1_000, stack: 500, sequence: 1_000_000 } as const;

/** JSONata functions rejected because they mean something different on replay. */
export const NONDETERMINISTIC_FUNCTIONS = ['now', 'millis', 'random'] as const;

/** Thrown for an expression that does not parse or fails while evaluating. */
export class ExpressionError extends Error {
  override readonly name = 'ExpressionError';
  constructor(
    message: string,
    readonly expression: string,
    /** Character offset in the expression, when JSONata gives one. */
    readonly position?: number,
    readonly code?: string,
  ) {
    super(message);
  }
}

const cache = new Map<string, jsonata.Expression>();
const CACHE_LIMIT = 10_000;

/** Compile (once; cached by text) or throw `ExpressionError`. */
export function compileExpression(text: string): jsonata.Expression {
  let compiled = cache.get(text);
  if (compiled) return compiled;
  if (text.trim() === '')
    throw new ExpressionError('empty expression: write something between {{ and }}', text);
  try {
    compiled = jsonata(text, { ...EVALUATION_LIMITS });
  } catch (e) {
    throw toExpressionError(e, text);
  }
  const forbidden = forbiddenFunctionsIn(compiled.ast());
  if (forbidden.length > 0) {
    const [{ name, position }] = forbidden;
    const where = position !== undefined ? ` at character ${position}` : '';
    throw new ExpressionError(
      `$${name}() is not allowed${where}: a definition must mean the same on replay; ` +
        'pass the value in the input or compute it in a tool',
      text,
      position,
      'NonDeterministicFunction',
    );
  }
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(text, compiled);
  return compiled;
}

/** An error JSONata threw for `text`, as an `ExpressionError` naming the expression. */
export function toExpressionError(e: unknown, text: string): ExpressionError {
  if (e instanceof ExpressionError) return e;
  const err = e as { message?: string; position?: number; code?: string; token?: string; value?: unknown };
  const where = err.position !== undefined ? ` at character ${err.position}` : '';
  return new ExpressionError(
    `${sequenceLimitMessage(err) ?? err.message ?? String(e)}${where} in '${text}'`,
    text,
    err.position,
    err.code,
  );
}

/**
 * JSONata's D2014/D2015 say "The maximum sequence length of N was exceeded" with N the size asked
 * for (`[1..9000000]` says 9000000), not the limit: name both.
 */
function sequenceLimitMessage(err: { code?: string; value?: unknown }): string | undefined {
  if (err.code !== 'D2014' && err.code !== 'D2015') return undefined;
  const limit = EVALUATION_LIMITS.sequence;
  const size =
    typeof err.value === 'number' && err.value > limit
      ? `of ${err.value.toLocaleString('en-US')} items `
      : '';
  return (
    `a sequence ${size}exceeds the limit of ${limit.toLocaleString('en-US')} items per expression ` +
    '(EVALUATION_LIMITS.sequence); page the data, or compute it in a tool'
  );
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
  walk(compileExpression(text).ast(), (n) => {
    if (n.type === 'function' && n.procedure?.type === 'variable') found.add(n.procedure.value as string);
  });
  return [...found];
}
