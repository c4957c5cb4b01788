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
  // Keys, not entries: no pair arrays per node (validation walks every expression of a definition).
  for (const k of Object.keys(node)) {
    const v = (node as Record<string, unknown>)[k];
    if (v !== null && typeof v === 'object') walk(v, visit);
  }
}
