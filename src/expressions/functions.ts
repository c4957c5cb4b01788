/**
 * The functions an expression may call, and the run-time guard of the determinism ban: every
 * evaluation binds throwing versions of the banned functions, so no path (not even `$eval` of a
 * string from the input) reaches the real ones.
 */
import { ExpressionError } from './errors';

/** JSONata's built-in functions (jsonata 2.x), banned ones included. */
export const JSONATA_FUNCTIONS: readonly string[] = [
  'sum', 'count', 'max', 'min', 'average', 'string', 'substring', 'substringBefore', 'substringAfter',
  'lowercase', 'uppercase', 'length', 'trim', 'pad', 'match', 'contains', 'replace', 'split', 'join',
  'formatNumber', 'formatBase', 'formatInteger', 'parseInteger', 'number', 'floor', 'ceil', 'round',
  'abs', 'sqrt', 'power', 'random', 'boolean', 'not', 'map', 'zip', 'filter', 'single', 'reduce',
  'sift', 'keys', 'lookup', 'append', 'exists', 'spread', 'merge', 'reverse', 'each', 'error',
  'assert', 'type', 'sort', 'shuffle', 'distinct', 'base64encode', 'base64decode',
  'encodeUrlComponent', 'encodeUrl', 'decodeUrlComponent', 'decodeUrl', 'eval', 'toMillis',
  'fromMillis', 'clone', 'now', 'millis',
]; // prettier-ignore

/**
 * JSONata functions rejected because they mean something different on replay (`$shuffle` is random
 * too).
 */
export const NONDETERMINISTIC_FUNCTIONS = ['now', 'millis', 'random', 'shuffle'] as const;

/** The message of a banned function, at compile time and at run time. */
export function bannedMessage(name: string, where = ''): string {
  return (
    `$${name}() is not allowed${where}: a definition must mean the same on replay; ` +
    'pass the value in the input or compute it in a tool'
  );
}

function banned(name: string): () => never {
  return () => {
    throw new ExpressionError(
      bannedMessage(name, ' (reached at run time)'),
      `$${name}()`,
      undefined,
      'NonDeterministicFunction',
    );
  };
}

/**
 * Bound on every evaluation: throwing versions of the banned functions (the compile-time check
 * refuses them by name; these stop any path the check cannot see, such as `$eval` of a string).
 */
export const RUNTIME_BINDINGS: Record<string, unknown> = Object.freeze(
  Object.fromEntries(NONDETERMINISTIC_FUNCTIONS.map((name) => [name, banned(name)])),
);

/** The functions Flowstate binds that a definition may call (none besides JSONata's, today). */
export const FLOWSTATE_FUNCTIONS: readonly string[] = [];

/** The functions a definition's expression may call: JSONata's and Flowstate's, without the banned ones. */
export const KNOWN_FUNCTIONS: ReadonlySet<string> = new Set(
  [...JSONATA_FUNCTIONS, ...FLOWSTATE_FUNCTIONS].filter(
    (f) => !(NONDETERMINISTIC_FUNCTIONS as readonly string[]).includes(f),
  ),
);
