/** Walking a JSONata syntax tree. */

/** A node of JSONata's syntax tree, as far as the walks here read it. */
export type AstNode = {
  type?: string;
  value?: unknown;
  steps?: AstNode[];
  procedure?: AstNode;
  [k: string]: unknown;
};

/** Visit every node, depth first (a node's `value` only when it is itself a node). */
export function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) {
    for (const n of node) walk(n, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  visit(node as AstNode);
  for (const [k, v] of Object.entries(node)) if (k !== 'value' || typeof v === 'object') walk(v, visit);
}
