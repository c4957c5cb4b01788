/**
 * Which secrets an expression reads: `secrets.NAME` names one; any other use of the root
 * (`secrets.*`, `$lookup(secrets, n)`, `$s := secrets`) is a dynamic read, which sees every allowed
 * secret. A whole-scope read (`$`, `$$`) does not count: the activity never puts secrets in it.
 */
import { compileExpression, type AstNode } from '../expressions';
import { walk } from '../expressions/ast';

/** The scope root secrets are read from. */
export const SECRETS_ROOT = 'secrets';

/** The secrets one expression (or several) reads. */
export interface SecretReads {
  /** Names read as `secrets.NAME`, sorted. */
  names: string[];
  /** True when the expression reads the root in a way whose name cannot be known. */
  dynamic: boolean;
}

const NONE: SecretReads = { names: [], dynamic: false };
const cache = new Map<string, SecretReads>();
const CACHE_LIMIT = 10_000;

/**
 * The secrets an expression reads. An expression that does not compile reads none (evaluating it
 * throws the `ExpressionError` that says why).
 */
export function secretReadsOf(expression: string): SecretReads {
  if (!expression.includes(SECRETS_ROOT)) return NONE;
  const cached = cache.get(expression);
  if (cached) return cached;
  let ast: unknown;
  try {
    ast = compileExpression(expression).ast();
  } catch {
    return NONE;
  }
  const names = new Set<string>();
  let dynamic = false;
  walk(ast, (n) => {
    if (n.type !== 'path' || !Array.isArray(n.steps)) return;
    let steps: AstNode[] = n.steps;
    const head = steps[0];
    if (head?.type === 'variable' && (head.value === '' || head.value === '$')) steps = steps.slice(1);
    const [first, second] = steps;
    if (first?.type !== 'name' || first.value !== SECRETS_ROOT) return;
    if (!first.stages && !first.predicate && second?.type === 'name' && typeof second.value === 'string')
      names.add(second.value);
    else dynamic = true;
  });
  const reads = { names: [...names].sort(), dynamic };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(expression, reads);
  return reads;
}

/** The union of what several expressions read. */
export function mergeReads(all: Iterable<SecretReads>): SecretReads {
  const names = new Set<string>();
  let dynamic = false;
  for (const r of all) {
    r.names.forEach((n) => names.add(n));
    dynamic ||= r.dynamic;
  }
  return { names: [...names].sort(), dynamic };
}
