/**
 * References an expression makes that nothing resolves, each of which would evaluate silently to
 * nothing: a function or variable no one binds (`$uppercasee(...)`, `$item`), a bracket with a string
 * (`tasks['first-step']`, a JSONata filter whose string is always true, not a key lookup), and
 * `$eval`, which evaluates text no check can see.
 */
import { closest } from '../contract/suggest';
import { walk, type AstNode } from './ast';
import { expressionAst } from './compile';
import { KNOWN_FUNCTIONS } from './functions';

/** One reference nothing resolves, with the fix in its message. */
export interface Unresolved {
  kind: 'function' | 'variable' | 'bracket' | 'eval';
  /** The name (without `$`), or the bracket's key. */
  name: string;
  /** Character offset in the expression, when JSONata gives one. */
  position?: number;
  message: string;
}

/** What an expression may reference besides JSONata's and Flowstate's functions. */
export interface ReferenceOptions {
  /** Functions the caller binds (a spec template's `$checklist`...). */
  functions?: Iterable<string>;
  /** Scope roots, read without `$` (`item`): `$item` is then said to mean `item`. */
  roots?: Iterable<string>;
}

/**
 * The unresolved references of an expression that compiles (it throws `ExpressionError` otherwise),
 * in the order they appear. Names the expression binds itself (`$f := ...`, a function's
 * parameters, `@$x`, `#$i`) and `$`/`$$` resolve.
 */
export function unresolvedReferences(text: string, options: ReferenceOptions = {}): Unresolved[] {
  const ast = expressionAst(text) as AstNode;
  const bound = boundIn(ast);
  const functions = options.functions === undefined ? undefined : new Set(options.functions);
  const isKnown = (name: string) =>
    KNOWN_FUNCTIONS.has(name) || bound.has(name) || functions?.has(name) === true;
  // Only for the messages of names nothing resolves (most expressions have none: no sets per expression).
  let known: ReadonlySet<string> | undefined;
  let roots: ReadonlySet<string> | undefined;
  const called = new Set<AstNode>();
  walk(ast, (n) => {
    if ((n.type === 'function' || n.type === 'partial') && n.procedure) called.add(n.procedure);
  });
  const found: Unresolved[] = [];
  walk(ast, (n) => {
    const position = typeof n.position === 'number' ? n.position : undefined;
    for (const filter of [...asList(n.stages), ...asList(n.predicate)])
      if (filter.type === 'filter' && (filter.expr as AstNode | undefined)?.type === 'string')
        found.push(bracket(n, String((filter.expr as AstNode).value), filter));
    if (n.type !== 'variable' || typeof n.value !== 'string') return;
    const name = n.value;
    if (name === '' || name === '$') return;
    if (name === 'eval') {
      found.push({ kind: 'eval', name, position, message: EVAL_MESSAGE });
    } else if (!isKnown(name)) {
      known ??= new Set([...KNOWN_FUNCTIONS, ...(functions ?? []), ...bound]);
      roots ??= new Set(options.roots ?? []);
      found.push(unknownName(name, called.has(n), position, known, roots));
    }
  });
  return found.sort((a, b) => (a.position ?? 0) - (b.position ?? 0));
}

const EVAL_MESSAGE =
  '$eval() is not allowed: it evaluates text at run time, where no check sees what it calls (it could ' +
  'reach $now() or a misspelt name); write the expression itself in the definition, or compute the value in a tool';

function unknownName(
  name: string,
  call: boolean,
  position: number | undefined,
  known: ReadonlySet<string>,
  roots: ReadonlySet<string>,
): Unresolved {
  if (roots.has(name)) {
    const message = `$${name} is not defined: scope values are read without '$': write ${name}`;
    return { kind: 'variable', name, position, message };
  }
  const near = closest(name, known);
  const hint = near === undefined ? '' : `: did you mean $${near}${call ? '()' : ''}?`;
  if (call) {
    const message = `unknown function $${name}()${hint || ' (see the JSONata function library)'}`;
    return { kind: 'function', name, position, message };
  }
  const message =
    `$${name} is not defined${hint}` +
    (hint ? '' : ': bind it first in the expression ($x := ...), or read a scope value without $');
  return { kind: 'variable', name, position, message };
}

function bracket(node: AstNode, key: string, filter: AstNode): Unresolved {
  const position = typeof filter.position === 'number' ? filter.position : undefined;
  const quoted = JSON.stringify(key).slice(1, -1);
  const owner = node.type === 'name' && typeof node.value === 'string' ? node.value : '';
  const written = `${owner}['${quoted}']`;
  const fix = `${owner ? `${owner}.` : '.'}\`${key}\``;
  const message =
    `${written} is a JSONata filter, not a key lookup: a string there is always ` +
    `${key === '' ? 'false' : 'true'}, so it ${key === '' ? 'keeps nothing' : 'keeps everything'}; ` +
    `write ${fix} (backticks quote a name with '-' or spaces)`;
  return { kind: 'bracket', name: key, position, message };
}

/** Names the expression binds: `$x := ...`, function parameters, `@$x` and `#$i`. */
function boundIn(ast: AstNode): Set<string> {
  const bound = new Set<string>();
  walk(ast, (n) => {
    const lhs = n.lhs as AstNode | undefined;
    if (n.type === 'bind' && lhs?.type === 'variable' && typeof lhs.value === 'string') bound.add(lhs.value);
    if (n.type === 'lambda')
      for (const a of asList(n.arguments)) if (typeof a.value === 'string') bound.add(a.value);
    if (typeof n.focus === 'string') bound.add(n.focus);
    if (typeof n.index === 'string') bound.add(n.index);
  });
  return bound;
}

function asList(value: unknown): AstNode[] {
  return Array.isArray(value) ? (value as AstNode[]) : [];
}
