/**
 * Rendering the views of a spec session: template text with `{{ }}` JSONata expressions, split by the
 * one template splitter of `src/expressions` and formatted for reading (`format.ts`), rendered in the
 * activity (never in workflow code), with a bounded cache keyed by sha256(template) + sha256(content).
 */
import { createHash } from 'node:crypto';
import {
  compileExpression,
  ExpressionError,
  renderTemplate,
  splitTemplate,
  type TemplateParts,
} from '../../expressions';
import { formatValue, HELPERS } from './format';

/** Split templates whose expressions compiled (through the shared, checked cache). */
const parsedTemplates = new Map<string, TemplateParts>();
const PARSED_LIMIT = 256;

function parse(template: string): TemplateParts {
  let parsed = parsedTemplates.get(template);
  if (parsed) return parsed;
  parsed = splitTemplate(template);
  for (const e of parsed.expressions) compileExpression(e.text);
  if (parsedTemplates.size >= PARSED_LIMIT)
    parsedTemplates.delete(parsedTemplates.keys().next().value as string);
  parsedTemplates.set(template, parsed);
  return parsed;
}

/** Render a template against its roots, uncached. An expression that fails throws `ExpressionError`. */
export async function renderUncached(template: string, roots: Record<string, unknown>): Promise<string> {
  const evaluate = async (text: string): Promise<unknown> => {
    try {
      return await compileExpression(text).evaluate(roots, HELPERS);
    } catch (e) {
      const err = e as { message?: string; position?: number };
      throw new ExpressionError(
        `template expression '${text}' failed: ${err.message ?? String(e)}`,
        text,
        err.position,
      );
    }
  };
  return tidy(await renderTemplate(parse(template), evaluate, formatValue));
}

/** Lines left empty by placeholders that rendered nothing collapse: at most one blank line in a row. */
function tidy(text: string): string {
  return (
    text
      .replace(/[ \t]+$/gm, '')
      .replace(/\n{3,}/g, '\n\n')
      .trim() + '\n'
  );
}

// ---------------------------------------------------------------------------------------------------
// The cache: sha256(template) + sha256(content), least recently used first out.

export interface RenderCacheStats {
  hits: number;
  misses: number;
  size: number;
}

/** Rendered views by template and input, so queries of an unchanged session render nothing again. */
export class RenderCache {
  private readonly entries = new Map<string, string>();
  private readonly templateHashes = new Map<string, string>();
  private chars = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly maxEntries = 2_000,
    /** Bound on the rendered text kept (UTF-16 code units), so big documents cannot grow the worker. */
    readonly maxChars = 8_000_000,
  ) {}

  async render(template: string, roots: Record<string, unknown>): Promise<string> {
    const key = `${this.templateHash(template)}:${sha256(JSON.stringify(roots))}`;
    const found = this.entries.get(key);
    if (found !== undefined) {
      this.hits++;
      this.entries.delete(key);
      this.entries.set(key, found);
      return found;
    }
    this.misses++;
    const text = await renderUncached(template, roots);
    this.entries.set(key, text);
    this.chars += text.length;
    while (this.entries.size > this.maxEntries || (this.chars > this.maxChars && this.entries.size > 1)) {
      const [oldest, value] = this.entries.entries().next().value as [string, string];
      this.entries.delete(oldest);
      this.chars -= value.length;
    }
    return text;
  }

  stats(): RenderCacheStats {
    return { hits: this.hits, misses: this.misses, size: this.entries.size };
  }

  clear(): void {
    this.entries.clear();
    this.templateHashes.clear();
    this.chars = 0;
    this.hits = 0;
    this.misses = 0;
  }

  private templateHash(template: string): string {
    let hash = this.templateHashes.get(template);
    if (hash === undefined) {
      hash = sha256(template);
      if (this.templateHashes.size >= 256) this.templateHashes.clear();
      this.templateHashes.set(template, hash);
    }
    return hash;
  }
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The worker's cache of rendered views. */
export const renderCache = new RenderCache();
