/**
 * Turning zod issues into problems a person can act on: the field, what is wrong, what would be
 * right. Messages a schema sets itself are kept; zod's generic ones are rewritten with the field name
 * and the value found. Unknown fields become one problem each, with a "did you mean".
 */
import { z } from 'zod';
import type { Anchor } from './source';
import type { DocPath } from './paths';
import { didYouMean } from '../contract/suggest';

/** A problem at a document path (relative to the value validated). */
export interface Problem {
  path: DocPath;
  message: string;
  anchor: Anchor;
}

/** Marks an issue whose message is final (raised by the DSL itself, e.g. for a nested task). */
export interface FinalParams {
  flowstate: { anchor: Anchor; notATask?: boolean };
}

/** Returned by the per-parse error map: "no message of the schema's own; write one later". */
const GENERIC = '\u0000generic';

type Issue = z.core.$ZodIssue & { input?: unknown; params?: Partial<FinalParams>; errors?: Issue[][] };

/**
 * Validate `value` with `schema`; on failure, every issue becomes a problem. `subject` names what is
 * validated in messages ("a parallel task").
 */
export function parseWithProblems<T>(
  schema: z.ZodType<T>,
  value: unknown,
  subject: string,
): { ok: true; data: T } | { ok: false; problems: Problem[] } {
  const known = new WeakMap<object, string[]>();
  const result = schema.safeParse(value, {
    reportInput: true,
    error: (iss) => {
      const inst = (iss as { inst?: { _zod?: { def?: { shape?: object } } } }).inst;
      if (
        iss.code === 'unrecognized_keys' &&
        iss.input &&
        typeof iss.input === 'object' &&
        inst?._zod?.def?.shape
      )
        known.set(iss.input, Object.keys(inst._zod.def.shape));
      return GENERIC;
    },
  });
  if (result.success) return { ok: true, data: result.data };
  const problems = (result.error.issues as Issue[]).flatMap((i) => toProblems(i, [], known, subject));
  return { ok: false, problems };
}

function toProblems(
  issue: Issue,
  prefix: DocPath,
  known: WeakMap<object, string[]>,
  subject: string,
): Problem[] {
  const path = [...prefix, ...(issue.path as Array<string | number>)];
  const final = issue.params?.flowstate;
  if (issue.code === 'custom' && final) return [{ path, message: issue.message, anchor: final.anchor }];
  if (issue.code === 'unrecognized_keys') {
    const allowed = issue.input && typeof issue.input === 'object' ? known.get(issue.input) : undefined;
    return issue.keys.map((key) => ({
      path: [...path, key],
      anchor: 'key' as const,
      message: unknownField(key, allowed),
    }));
  }
  if (issue.code === 'invalid_union' && issue.errors) {
    const branches = issue.errors.filter((branch) => !branch.every(isRootMismatch));
    if (branches.length >= 1) return branches[0].flatMap((i) => toProblems(i, path, known, subject));
    return [{ path, anchor: 'value', message: unionMismatch(path, issue) }];
  }
  const message = issue.message === GENERIC ? describe(issue, path, subject) : withValue(issue, path);
  return [{ path, message, anchor: 'value' }];
}

/** `unknown field 'retires': did you mean 'retry'?`, or the list of fields allowed there. */
export function unknownField(key: string, allowed: readonly string[] | undefined): string {
  const hint = allowed ? didYouMean(key, allowed) : '';
  if (hint) return `unknown field '${key}'${hint}`;
  return `unknown field '${key}'${allowed ? ` (allowed here: ${allowed.join(', ')})` : ''}`;
}

function isRootMismatch(issue: Issue): boolean {
  if (issue.path.length > 0) return false;
  return issue.code === 'invalid_type' || Boolean(issue.params?.flowstate?.notATask);
}

function unionMismatch(path: DocPath, issue: Issue): string {
  const expected = new Set<string>();
  for (const branch of issue.errors ?? []) {
    for (const i of branch) {
      if (i.params?.flowstate?.notATask) expected.add('an inline task (a mapping)');
      else if (i.code === 'invalid_type') expected.add(kindPhrase(i.expected));
    }
  }
  return `${fieldName(path)} must be ${[...expected].join(' or ')}, not ${preview(issue.input)}`;
}

/** A schema's own message, with the field and the value found in front when that value is a scalar. */
function withValue(issue: Issue, path: DocPath): string {
  if (issue.input === undefined || issue.code === 'custom' || typeof issue.input === 'object')
    return issue.message;
  return `${fieldName(path)} ${preview(issue.input)}: ${issue.message}`;
}

function describe(issue: Issue, path: DocPath, subject: string): string {
  const field = fieldName(path);
  const got = preview(issue.input);
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) {
        return path.length === 0
          ? `${subject} is empty`
          : `missing required field '${field}' (${subject} needs it)`;
      }
      if (path.length === 0) return `${subject} must be ${kindPhrase(issue.expected)}, not ${got}`;
      return `${field} must be ${kindPhrase(issue.expected)}, not ${got}`;
    case 'invalid_value': {
      const values = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof issue.input === 'string' ? didYouMean(issue.input, issue.values.map(String)) : '';
      return values.length === 1
        ? `${field} must be ${values[0]}, not ${got}`
        : `${field} must be one of ${values.join(', ')}, not ${got}${hint}`;
    }
    case 'too_small':
      return `${field} ${sizePhrase(issue.origin, 'at least', issue.minimum, issue.inclusive)}, not ${got}`;
    case 'too_big':
      return `${field} ${sizePhrase(issue.origin, 'at most', issue.maximum, issue.inclusive)}, not ${got}`;
    case 'invalid_format':
      return `${field} ${got} is not a valid ${issue.format}`;
    case 'not_multiple_of':
      return `${field} must be a multiple of ${String(issue.divisor)}, not ${got}`;
    default:
      return `${field}: ${z.locales.en().localeError!(issue as never)?.toString() ?? issue.code}`;
  }
}

function sizePhrase(
  origin: string,
  bound: 'at least' | 'at most',
  limit: number | bigint,
  inclusive = true,
): string {
  const n = Number(limit);
  if (origin === 'array' || origin === 'set') return `needs ${bound} ${n} ${n === 1 ? 'item' : 'items'}`;
  if (origin === 'string')
    return n === 1 && bound === 'at least' ? 'must not be empty' : `needs ${bound} ${n} characters`;
  const op = bound === 'at least' ? (inclusive ? '≥' : '>') : inclusive ? '≤' : '<';
  return `must be ${op} ${n}`;
}

function kindPhrase(expected: string): string {
  const phrases: Record<string, string> = {
    string: 'a string',
    number: 'a number',
    int: 'a whole number',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping',
    record: 'a mapping',
    null: 'null',
  };
  return phrases[expected] ?? expected;
}

/** The field a path names: its last key (`retry`), or `parent[2]` for a list item. */
export function fieldName(path: DocPath): string {
  const last = path[path.length - 1];
  if (typeof last === 'string') return last;
  const parent = path[path.length - 2];
  return last === undefined ? 'value' : `${typeof parent === 'string' ? parent : 'item'}[${last}]`;
}

/** A short, quoted rendering of a value for messages: `'5 minutes'`, `3`, `a list`, `a mapping`. */
export function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 37)}...` : value}'`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return String(value);
}
