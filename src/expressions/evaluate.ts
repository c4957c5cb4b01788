/**
 * Evaluating expressions and rendering values against a scope. A string that is exactly one `{{ }}`
 * keeps the value's type; text around it makes a string. Results are plain JSON.
 *
 * Where: an expression whose syntax bounds its cost runs here, in this process (`boxReason`); any
 * other (regular expressions, user functions, `$eval`, large ranges...) runs in the expression box, a
 * pool of evaluator processes with a hard time limit, a memory limit and a result size limit. Both
 * use the bounded `$pad`/`$join`/`$string`.
 */
import { compileExpression, toExpressionError } from './compile';
import { RUNTIME_BINDINGS } from './functions';
import { boxLimits, boxReason, expressionBox, type BoxLimits } from './box';
import { boundedFunctions, rangeLimit } from './box/bounded';
import { timeLimitError } from './box/pool';
import { renderTemplate, splitTemplate, wholeExpression } from './template';

/** Whether each expression (by text) runs here (true) or in the box (false). */
const inline = new Map<string, boolean>();
const ROUTE_LIMIT = 10_000;

/** Evaluate one expression against a scope; `undefined` (no match) becomes `null`. */
export async function evaluate(text: string, scope: Record<string, unknown>): Promise<unknown> {
  let here = inline.get(text);
  if (here === undefined) {
    here = boxReason(compileExpression(text).ast()) === undefined;
    if (inline.size >= ROUTE_LIMIT) inline.delete(inline.keys().next().value as string);
    inline.set(text, here);
  }
  return here ? evaluateHere(text, scope) : expressionBox().evaluate(text, scope);
}

/** The bindings every evaluation gets (the bounded functions), for the limit they were built for. */
let bound: { max: number; bindings: Record<string, unknown> } | undefined;

async function bindingsFor(limits: BoxLimits): Promise<Record<string, unknown>> {
  const max = limits.maxResultBytes;
  if (bound?.max !== max)
    bound = { max, bindings: { ...(await boundedFunctions(max)), ...RUNTIME_BINDINGS } };
  return bound.bindings;
}

/**
 * Evaluate in this process, with the bounded functions (the box's evaluators call this too). Only
 * JSONata's own limits hold here (time checked between steps, stack depth, sequence length).
 */
export async function evaluateHere(
  text: string,
  scope: Record<string, unknown>,
  limits: BoxLimits = boxLimits(),
): Promise<unknown> {
  const compiled = compileExpression(text);
  const fns = bound?.max === limits.maxResultBytes ? bound.bindings : await bindingsFor(limits);
  let value: unknown;
  try {
    value = await compiled.evaluate(scope, fns);
  } catch (e) {
    // JSONata's own time limit (checked between steps) says the same as the box's.
    if ((e as { code?: string })?.code === 'D1012') throw timeLimitError(text, limits);
    throw toExpressionError(rangeLimit(e) ?? e, text);
  }
  return toJson(value);
}

/**
 * Render a value: strings with `{{ }}` are evaluated (a whole `{{ }}` keeps its type), arrays and
 * objects are rendered deeply, anything else is returned as is.
 */
export async function render(value: unknown, scope: Record<string, unknown>): Promise<unknown> {
  if (typeof value === 'string') return renderString(value, scope);
  if (Array.isArray(value)) return Promise.all(value.map((v) => render(v, scope)));
  if (value !== null && typeof value === 'object') {
    const entries = await Promise.all(
      Object.entries(value).map(async ([k, v]) => [k, await render(v, scope)] as const),
    );
    return Object.fromEntries(entries);
  }
  return value;
}

async function renderString(text: string, scope: Record<string, unknown>): Promise<unknown> {
  if (!text.includes('{{')) return text;
  const whole = wholeExpression(text);
  if (whole !== undefined) return evaluate(whole, scope);
  return renderTemplate(splitTemplate(text), (e) => evaluate(e, scope), stringify);
}

/** A value inside text: null as nothing, objects and arrays as JSON. */
function stringify(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** JSONata sequences and functions become plain JSON. */
function toJson(value: unknown): unknown {
  if (value === undefined || typeof value === 'function') return null;
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    // fromEntries defines own properties: a `__proto__` key stays a key instead of setting the prototype.
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined && typeof v !== 'function')
        .map(([k, v]) => [k, toJson(v)]),
    );
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}
