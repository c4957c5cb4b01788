/**
 * Bounded versions of the JSONata functions that build long strings from short arguments (`$pad`,
 * `$join`, `$string`): past the limit they fail at once with a message naming the function and the
 * limit, before allocating, instead of growing the heap until a V8 fatal error. They wrap JSONata's
 * own implementations (same signatures, same results below the limit) and are passed as bindings to
 * every evaluation, inside and outside the box.
 */
import jsonata from 'jsonata';
import { EVALUATION_LIMITS } from '../compile';
import { limitVariable } from './limits';

/** A JSONata built-in as the evaluator holds it. */
interface JsonataFunction {
  _jsonata_function: true;
  implementation: (...args: unknown[]) => unknown;
  signature?: unknown;
}

/** Thrown by a bounded function; `code` is `FunctionLimit`. */
export class FunctionLimitError extends Error {
  readonly code = 'FunctionLimit';
}

/** The error a bounded function throws: the function, what it was asked for, the limit and the knob. */
export function functionLimitError(fn: string, asked: string, max: number): FunctionLimitError {
  return new FunctionLimitError(
    `$${fn}: ${asked} is over the limit of ${max} characters for a string built by an expression ` +
      `(${limitVariable('maxResultBytes')}); build large data in a tool, not in a template`,
  );
}

/** True when the strings joined with `separator` would be longer than `max` (counted before joining). */
export function joinedTooLong(strs: readonly unknown[], separator: string, max: number): number | undefined {
  let total = strs.length > 1 ? separator.length * (strs.length - 1) : 0;
  for (const s of strs) total += typeof s === 'string' ? s.length : 0;
  return total > max ? total : undefined;
}

/**
 * JSONata's error for a range over its limits (D2014: over 1e7; D2015 with the range's size, which
 * JSONata reports as if it were the limit: "maximum sequence length of 9000000"), as an error that
 * names both the size and the limit; undefined for any other error.
 */
export function rangeLimit(e: unknown): { message: string; position?: number; code: string } | undefined {
  const err = e as { code?: string; value?: unknown; position?: number } | undefined;
  const max = EVALUATION_LIMITS.sequence;
  const size = typeof err?.value === 'number' ? err.value : undefined;
  if (size === undefined || !(err?.code === 'D2014' || (err?.code === 'D2015' && size > max)))
    return undefined;
  return {
    message: `a sequence of ${size.toLocaleString('en-US')} items is over the limit of ${max.toLocaleString('en-US')} items an expression may build; build large data in a tool, not in an expression`,
    position: err.position,
    code: 'RangeLimit',
  };
}

const cache = new Map<number, Promise<Record<string, JsonataFunction>>>();

/** `pad`, `join` and `string` bounded to `max` characters, as JSONata bindings (built once per limit). */
export function boundedFunctions(max: number): Promise<Record<string, JsonataFunction>> {
  let found = cache.get(max);
  if (!found) {
    found = builtins().then((b) => bind(b, max));
    cache.set(max, found);
  }
  return found;
}

async function builtins(): Promise<Record<'pad' | 'join' | 'string', JsonataFunction>> {
  const [pad, join, string] = (await jsonata('[$pad, $join, $string]').evaluate({})) as JsonataFunction[];
  return { pad: pad!, join: join!, string: string! };
}

function bind(
  b: Record<'pad' | 'join' | 'string', JsonataFunction>,
  max: number,
): Record<string, JsonataFunction> {
  const wrap = (
    original: JsonataFunction,
    check: (args: unknown[]) => void,
    after?: (result: unknown) => void,
  ): JsonataFunction => ({
    ...original,
    implementation(this: unknown, ...args: unknown[]) {
      check(args);
      let result: unknown;
      try {
        result = original.implementation.apply(this, args);
      } catch (e) {
        if (e instanceof RangeError) throw functionLimitError(nameOf(original, b), 'the result', max);
        throw e;
      }
      after?.(result);
      return result;
    },
  });
  return {
    pad: wrap(b.pad, ([str, width]) => {
      const w = Math.abs(Math.trunc(Number(width)));
      if (str !== undefined && w > max) throw functionLimitError('pad', `width ${w}`, max);
    }),
    join: wrap(b.join, ([strs, separator]) => {
      if (!Array.isArray(strs)) return;
      const total = joinedTooLong(strs, typeof separator === 'string' ? separator : '', max);
      if (total !== undefined) throw functionLimitError('join', `a result of ${total} characters`, max);
    }),
    string: wrap(
      b.string,
      () => undefined,
      (result) => {
        if (typeof result === 'string' && result.length > max)
          throw functionLimitError('string', `a result of ${result.length} characters`, max);
      },
    ),
  };
}

function nameOf(fn: JsonataFunction, b: Record<string, JsonataFunction>): string {
  return Object.keys(b).find((k) => b[k] === fn) ?? 'function';
}
