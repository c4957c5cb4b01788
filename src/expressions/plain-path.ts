/**
 * The syntax tree of a plain path (`tasks.fetch.output.body`, `input.name`) built without JSONata.
 * Most expressions of a large definition are such paths, and JSONata's parser rebuilds its symbol
 * table on every call (some 100 µs and tens of KB of garbage each): 20,000 of them were the largest
 * part of validating a 20,000-task definition. The tree is the one JSONata makes, node for node
 * (test/unit/expressions/plain-path.test.ts compares them), so every check reads the same thing.
 */
import type { AstNode } from './ast';

/** Dot-separated ASCII names; anything else (spaces, backticks, `$`, operators) goes to JSONata. */
const PLAIN_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Words JSONata reads as operators, values or keywords rather than names. */
const KEYWORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

/**
 * JSONata's syntax tree of `text` when it is a plain path of names (a name's `position` is the offset
 * just after it, as JSONata gives it), else undefined.
 */
export function plainPathAst(text: string): AstNode | undefined {
  if (!PLAIN_PATH.test(text)) return undefined;
  const names = text.split('.');
  const steps: AstNode[] = [];
  let end = 0;
  for (const name of names) {
    if (KEYWORDS.has(name)) return undefined;
    end += name.length;
    steps.push({ value: name, type: 'name', position: end });
    end += 1; // the dot
  }
  return { type: 'path', steps };
}
