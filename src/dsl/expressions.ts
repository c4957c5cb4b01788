/**
 * `{{ expression }}` templates holding JSONata.
 *
 * - A string that is exactly one `{{ }}` keeps the value's type; text around it makes a string.
 * - Each expression is compiled once and cached by its text.
 * - Evaluation is bounded (time, stack depth, sequence length) by JSONata's own guardrails, so a
 *   hostile expression cannot hang a worker.
 * - `readsOf` reports which scope roots an expression reads, so the interpreter can send a task only
 *   the slice of scope it needs.
 */
import jsonata from 'jsonata';

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

const WHOLE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;
const PART = /\{\{([\s\S]*?)\}\}/g;

/** True when the string holds at least one `{{ }}`. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{') && /\{\{[\s\S]*?\}\}/.test(text);
}

/** The expression of a string that is exactly one `{{ }}`, else undefined. */
export function wholeExpression(text: string): string | undefined {
  const m = WHOLE.exec(text);
  if (!m || m[1].includes('{{') || m[1].includes('}}')) return undefined;
  return m[1].trim();
}

/** Every expression inside the `{{ }}`s of a string, in order. */
export function templateExpressions(text: string): string[] {
  return [...text.matchAll(PART)].map((m) => m[1].trim());
}

/** A field that holds an expression may be written bare or as one `{{ }}`: return the expression. */
export function expressionOf(field: string): string {
  return wholeExpression(field) ?? field.trim();
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

/** Evaluate one expression against a scope; `undefined` (no match) becomes `null`. */
export async function evaluate(text: string, scope: Record<string, unknown>): Promise<unknown> {
  const compiled = compileExpression(text);
  let value: unknown;
  try {
    value = await compiled.evaluate(scope);
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
  const values = await Promise.all(templateExpressions(text).map((e) => evaluate(e, scope)));
  let i = 0;
  return text.replace(PART, () => stringify(values[i++]));
}

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

function toExpressionError(e: unknown, text: string): ExpressionError {
  if (e instanceof ExpressionError) return e;
  const err = e as { message?: string; position?: number; code?: string; token?: string };
  const where = err.position !== undefined ? ` at character ${err.position}` : '';
  return new ExpressionError(
    `${err.message ?? String(e)}${where} in '${text}'`,
    text,
    err.position,
    err.code,
  );
}

type Node = { type?: string; value?: unknown; steps?: Node[]; procedure?: Node; [k: string]: unknown };

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  visit(node as Node);
  for (const [k, v] of Object.entries(node)) if (k !== 'value' || typeof v === 'object') walk(v, visit);
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

/** Read of every root: the expression uses `$` or `$$` in a way whose target cannot be known. */
export const READS_ALL = '*';

/**
 * The scope roots an expression reads: `input`, `item`, ..., and for `tasks` either `tasks.<id>`
 * or `tasks` when the id is not a plain name. Only names in `roots` count (a predicate's relative
 * path `kind = 'x'` is not a root). Returns `['*']` when it cannot tell.
 */
export function readsOf(text: string, roots: ReadonlySet<string>): string[] {
  const reads = new Set<string>();
  const ast = compileExpression(text).ast() as Node;
  walk(ast, (n) => {
    if (n.type === 'path' && Array.isArray(n.steps)) {
      let steps = n.steps;
      const head = steps[0];
      if (head?.type === 'variable' && (head.value === '' || head.value === '$')) steps = steps.slice(1);
      addRoot(steps, reads, roots);
    } else if (n.type === 'variable' && (n.value === '' || n.value === '$') && !isPathHead(ast, n)) {
      reads.add(READS_ALL);
    }
  });
  if (reads.has(READS_ALL)) return [READS_ALL];
  return [...reads].sort();
}

function addRoot(steps: Node[], reads: Set<string>, roots: ReadonlySet<string>): void {
  const [first, second] = steps;
  if (first?.type !== 'name' || typeof first.value !== 'string' || !roots.has(first.value)) return;
  if (first.value === 'tasks') {
    const plain =
      second?.type === 'name' && typeof second.value === 'string' && !first.stages && !first.predicate;
    reads.add(plain ? `tasks.${second.value as string}` : 'tasks');
  } else reads.add(first.value);
}

function isPathHead(ast: Node, candidate: Node): boolean {
  let head = false;
  walk(ast, (n) => {
    if (n.type === 'path' && Array.isArray(n.steps) && n.steps[0] === candidate && n.steps.length > 1)
      head = true;
  });
  return head;
}
