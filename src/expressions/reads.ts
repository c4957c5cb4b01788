/**
 * Which scope roots an expression reads, so the interpreter can send a task only the slice of scope
 * it needs.
 */
import { walk, type AstNode } from './ast';
import { compileExpression } from './compile';

/** Read of every root: the expression uses `$` or `$$` in a way whose target cannot be known. */
export const READS_ALL = '*';

/**
 * The scope roots an expression reads: `input`, `item`, ..., and for `tasks` either `tasks.<id>`
 * or `tasks` when the id is not a plain name. Only names in `roots` count (a predicate's relative
 * path `kind = 'x'` is not a root). Returns `['*']` when it cannot tell.
 */
export function readsOf(text: string, roots: ReadonlySet<string>): string[] {
  const reads = new Set<string>();
  const ast = compileExpression(text).ast() as AstNode;
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

function addRoot(steps: AstNode[], reads: Set<string>, roots: ReadonlySet<string>): void {
  const [first, second] = steps;
  if (first?.type !== 'name' || typeof first.value !== 'string' || !roots.has(first.value)) return;
  if (first.value === 'tasks') {
    const plain =
      second?.type === 'name' && typeof second.value === 'string' && !first.stages && !first.predicate;
    reads.add(plain ? `tasks.${second.value as string}` : 'tasks');
  } else reads.add(first.value);
}

function isPathHead(ast: AstNode, candidate: AstNode): boolean {
  let head = false;
  walk(ast, (n) => {
    if (n.type === 'path' && Array.isArray(n.steps) && n.steps[0] === candidate && n.steps.length > 1)
      head = true;
  });
  return head;
}
