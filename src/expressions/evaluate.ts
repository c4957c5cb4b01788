/**
 * Evaluating expressions and rendering values against a scope. A string that is exactly one `{{ }}`
 * keeps the value's type; text around it makes a string. Results are plain JSON.
 */
import { compileExpression, toExpressionError } from './compile';
import { RUNTIME_BINDINGS } from './functions';
import { renderTemplate, splitTemplate, wholeExpression } from './template';

/** Evaluate one expression against a scope; `undefined` (no match) becomes `null`. */
export async function evaluate(text: string, scope: Record<string, unknown>): Promise<unknown> {
  const compiled = compileExpression(text);
  let value: unknown;
  try {
    value = await compiled.evaluate(scope, RUNTIME_BINDINGS);
  } catch (e) {
    throw toExpressionError(e, text);
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
