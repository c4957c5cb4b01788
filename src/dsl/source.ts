/**
 * Parsing a definition's text (YAML, or JSON, which YAML reads too) while keeping source positions,
 * so any document path can be turned into `line:col`.
 */
import {
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Document,
  type Node,
} from 'yaml';
import type { DocPath } from './paths';
import type { SyntaxProblem } from './utf8';

export { decodeUtf8, type SyntaxProblem } from './utf8';

/** A 1-based position in the source text. */
export interface Position {
  line: number;
  col: number;
}

/** Where a diagnostic points: the value at a path, or the key naming it (unknown fields). */
export type Anchor = 'value' | 'key';

/** The parsed text: its plain value and a way back from document paths to positions. */
export interface ParsedSource {
  /** The document as plain JSON-like data (aliases resolved). */
  value: unknown;
  /** Position of the node at `path`; when the path does not exist, of its nearest existing parent. */
  locate(path: DocPath, anchor?: Anchor): Position;
}

/** Most aliases one document may expand (guards against "billion laughs"). */
const MAX_ALIAS_COUNT = 100;

/**
 * Parse YAML or JSON text. Returns the value and a locator, or the syntax errors (each with its
 * position); YAML warnings are returned either way.
 */
export function parseSource(
  text: string,
):
  | { ok: true; source: ParsedSource; warnings: SyntaxProblem[] }
  | { ok: false; errors: SyntaxProblem[]; warnings: SyntaxProblem[] } {
  const lines = new LineCounter();
  // yaml's own duplicate-key check compares every key with every other (58,000 keys: 74 s); ours is linear.
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: true, uniqueKeys: false });
  const problem =
    (severity: 'error' | 'warning') =>
    (e: { code: string; message: string; linePos?: [Position, ...Position[]] }) => ({
      line: e.linePos?.[0].line ?? 1,
      col: e.linePos?.[0].col ?? 1,
      message: tidyYamlMessage(e.code, e.message),
      severity,
    });
  const warnings = doc.warnings.map(problem('warning'));
  const errors = doc.errors.map(problem('error'));
  if (errors.length === 0) errors.push(...duplicateKeys(doc, lines));
  if (errors.length > 0) return { ok: false, errors, warnings };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return {
      ok: false,
      errors: [
        { line: 1, col: 1, message: `cannot read the document: ${(e as Error).message}`, severity: 'error' },
      ],
      warnings,
    };
  }
  const locate = (path: DocPath, anchor: Anchor = 'value'): Position => {
    const offset = offsetOf(doc, path, anchor);
    return lines.linePos(offset);
  };
  return { ok: true, source: { value, locate }, warnings };
}

/**
 * Keys repeated in one mapping, each at the repeated key, in one pass over the document: a set of the
 * keys seen per mapping (scalar keys; YAML compares them by value, so `1` and `'1'` differ).
 */
function duplicateKeys(doc: Document, lines: LineCounter): SyntaxProblem[] {
  const found: SyntaxProblem[] = [];
  const stack: unknown[] = [doc.contents];
  while (stack.length > 0) {
    const node = stack.pop();
    if (isMap(node)) {
      const seen = new Map<string, number>();
      for (const pair of node.items) {
        const key = pair.key;
        if (isScalar(key)) {
          const name = `${typeof key.value}:${String(key.value)}`;
          const first = seen.get(name);
          const at = key.range?.[0] ?? 0;
          if (first === undefined) seen.set(name, at);
          else {
            const { line, col } = lines.linePos(at);
            const before = lines.linePos(first).line;
            const message = `YAML syntax: Map keys must be unique: '${String(key.value)}' is already a key of this mapping at line ${before}`;
            found.push({ line, col, message, severity: 'error' });
          }
        } else if (key !== null && typeof key === 'object') stack.push(key);
        stack.push(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) stack.push(isPair(item) ? item.value : item);
    }
  }
  return found.sort((a, b) => a.line - b.line || a.col - b.col);
}

/** yaml's pretty messages end with ` at line L, column C:` and a source excerpt; the position is reported apart. */
function tidyYamlMessage(code: string, message: string): string {
  if (code === 'MULTIPLE_DOCS')
    return "YAML syntax: a definition file holds one document: remove this '---' and what follows";
  return `YAML syntax: ${message.replace(/ at line \d+, column \d+:[\s\S]*$/, '').trim()}`;
}

function offsetOf(doc: Document, path: DocPath, anchor: Anchor): number {
  let node: Node | null | undefined = doc.contents;
  let offset = node?.range?.[0] ?? 0;
  for (let i = 0; i < path.length; i++) {
    if (isAlias(node)) node = node.resolve(doc) ?? null;
    const segment = path[i];
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) return offset;
      const key = pair.key as Node;
      const last = i === path.length - 1;
      if (last && anchor === 'key') return key.range?.[0] ?? offset;
      const value = pair.value as Node | null;
      // A key with no value (`input:`) has no range of its own: point at the key.
      offset =
        value?.range?.[0] !== undefined && value.range[0] < value.range[1]
          ? value.range[0]
          : (key.range?.[0] ?? offset);
      node = value;
    } else if (isSeq(node) && typeof segment === 'number' && segment < node.items.length) {
      node = node.items[segment] as Node | null;
      offset = node?.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  return offset;
}
