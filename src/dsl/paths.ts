/** Paths into a definition document: `['tasks', 2, 'routes', 'bug']` ⇄ `tasks[2].routes.bug`. */

/** A path into the parsed document: object keys and array indices. */
export type DocPath = ReadonlyArray<string | number>;

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `tasks[2].routes.bug`; keys that are not plain names are quoted: `routes["needs review"]`. */
export function formatPath(path: DocPath): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** The value at a path of a plain JSON value, or undefined. */
export function valueAt(root: unknown, path: DocPath): unknown {
  let value = root;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}
