/**
 * Which expressions may skip the box and run in the worker's own process: those whose cost the
 * syntax tree bounds. Without regular expressions, user functions, variables or `$$` inside a
 * mapping, every step of a path sees only the item it maps over, so time and memory grow linearly
 * with the (bounded) scope; a literal range and a literal `$pad` width are capped so their product
 * stays small. Anything else goes to the box.
 */
import { walk, type AstNode } from '../ast';

/** Functions whose result grows at most linearly with their arguments and that take no regex or function. */
export const INLINE_FUNCTIONS: ReadonlySet<string> = new Set([
  'sum', 'count', 'max', 'min', 'average', 'string', 'length', 'substring', 'substringBefore',
  'substringAfter', 'uppercase', 'lowercase', 'trim', 'pad', 'contains', 'split', 'join', 'number',
  'abs', 'floor', 'ceil', 'round', 'power', 'sqrt', 'boolean', 'not', 'exists', 'keys', 'lookup',
  'append', 'type', 'reverse', 'merge', 'spread', 'sort', 'zip', 'base64encode', 'base64decode',
  'encodeUrl', 'encodeUrlComponent', 'decodeUrl', 'decodeUrlComponent', 'error', 'assert',
]); // prettier-ignore
// Left out on purpose: `$distinct` (quadratic: every item compared with every kept one, in native code
// that JSONata's time check never interrupts), the picture-string functions (`$formatNumber`,
// `$formatInteger`, `$parseInteger`, `$toMillis`, `$fromMillis`: `$toMillis` builds a regular
// expression from its picture), and everything that takes a regex or a function.

/** The largest literal range (`[1..1000]`) and literal `$pad` width that run inline. */
export const INLINE_MAX_LITERAL = 1_000;

/** Node types that always go to the box: regex, user functions, partial application, variables, transforms. */
const BOXED_TYPES = new Set(['regex', 'lambda', 'partial', 'bind', 'transform']);

/** The reason an expression must run in the box, or undefined when it may run inline. */
export function boxReason(ast: unknown): string | undefined {
  const vetted = new Set<AstNode>();
  let reason: string | undefined;
  let ranges = 0;
  const root = ast as AstNode;
  const rootHead = root?.type === 'path' ? root.steps?.[0] : undefined;
  walk(ast, (n) => {
    if (reason) return;
    if (BOXED_TYPES.has(n.type ?? '')) reason = n.type;
    else if (n.type === 'function') {
      const name = n.procedure?.type === 'variable' ? (n.procedure.value as string) : undefined;
      if (!name || !INLINE_FUNCTIONS.has(name)) reason = `$${name ?? 'function'}`;
      else if (name !== 'pad' || smallLiteral((n.arguments as AstNode[] | undefined)?.[1]))
        vetted.add(n.procedure!);
      else reason = '$pad width';
    } else if (n.type === 'variable') {
      const name = n.value as string;
      if (name === '$' && n !== rootHead) reason = '$$';
      else if (name !== '' && name !== '$' && (name === 'pad' ? !vetted.has(n) : !INLINE_FUNCTIONS.has(name)))
        reason = `$${name}`;
    } else if (n.type === 'binary' && n.value === '..') {
      ranges++;
      const lo = n.lhs as AstNode | undefined;
      const hi = n.rhs as AstNode | undefined;
      const span =
        lo?.type === 'number' && hi?.type === 'number'
          ? (hi.value as number) - (lo.value as number)
          : Infinity;
      if (ranges > 1 || span > INLINE_MAX_LITERAL) reason = 'range';
    }
  });
  return reason;
}

function smallLiteral(node: AstNode | undefined): boolean {
  return node?.type === 'number' && Math.abs(node.value as number) <= INLINE_MAX_LITERAL;
}
