/**
 * Which scope roots an expression reads, so the interpreter can send a task only the slice of scope
 * it needs.
 */
import { walk, type AstNode } from './ast';
import { expressionAst } from './compile';

/** Read of every root: the expression uses `$` or `$$` in a way whose target cannot be known. */
export const READS_ALL = '*';

/**
 * The scope roots an expression reads: `input`, `item`, ..., and for `tasks` either `tasks.<id>`
 * or `tasks` when the id is not a plain name. Only names in `roots` count (a predicate's relative
 * path `kind = 'x'` is not a root). Returns `['*']` when it cannot tell.
 */
export function readsOf(text: string, roots: ReadonlySet<string>): string[] {
  const { heads, all } = pathHeadsOf(text);
  if (all) return [READS_ALL];
  const reads = new Set<string>();
  for (const steps of heads) addRoot(steps, reads, roots);
  return [...reads].sort();
}

/** The first two steps of every path of an expression, and whether it reads `$` as a whole. */
interface PathHeads {
  heads: AstNode[][];
  all: boolean;
}

/** `pathHeadsOf` by text: small next to a syntax tree, so a large definition's are all kept. */
const headsByText = new Map<string, PathHeads>();
const HEADS_LIMIT = 100_000;

function pathHeadsOf(text: string): PathHeads {
  const known = headsByText.get(text);
  if (known) return known;
  const found: PathHeads = { heads: [], all: false };
  const ast = expressionAst(text) as AstNode;
  walk(ast, (n) => {
    if (n.type === 'path' && Array.isArray(n.steps)) {
      let steps = n.steps;
      const head = steps[0];
      if (head?.type === 'variable' && (head.value === '' || head.value === '$')) steps = steps.slice(1);
      found.heads.push(steps.slice(0, 2).map(headStep));
    } else if (n.type === 'variable' && (n.value === '' || n.value === '$') && !isPathHead(ast, n)) {
      found.all = true;
    }
  });
  if (headsByText.size >= HEADS_LIMIT) headsByText.delete(headsByText.keys().next().value as string);
  headsByText.set(text, found);
  return found;
}

/** What `addRoot` reads of a step, without the rest of the tree. */
function headStep(n: AstNode): AstNode {
  return {
    type: n.type,
    value: n.value,
    stages: n.stages ? [] : undefined,
    predicate: n.predicate ? [] : undefined,
  };
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
