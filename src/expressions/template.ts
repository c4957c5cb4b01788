/**
 * The `{{ }}` template syntax, and the one splitter every template engine uses: the definition's
 * values (`render`) and the spec-session views, each with its own way of turning a value into text.
 */

const WHOLE = /^\s*\{\{([\s\S]*?)\}\}\s*$/;
const PART = /\{\{([\s\S]*?)\}\}/g;

/** A template cut at its `{{ }}`s: `literals[i]` comes before `expressions[i]`, and one more literal ends it. */
export interface TemplateParts {
  literals: string[];
  /** Each expression (trimmed) and the offset of its `{{` in the template. */
  expressions: Array<{ text: string; at: number }>;
}

/** Cut a template at its `{{ }}`s. */
export function splitTemplate(template: string): TemplateParts {
  const literals: string[] = [];
  const expressions: TemplateParts['expressions'] = [];
  let last = 0;
  for (const m of template.matchAll(PART)) {
    literals.push(template.slice(last, m.index));
    expressions.push({ text: m[1]!.trim(), at: m.index! });
    last = m.index! + m[0].length;
  }
  literals.push(template.slice(last));
  return { literals, expressions };
}

/**
 * Template text: the expressions are evaluated in order, and each value becomes text through `format`
 * between the literal parts.
 */
export async function renderTemplate(
  parts: TemplateParts,
  evaluate: (expression: string) => Promise<unknown>,
  format: (value: unknown) => string,
): Promise<string> {
  let out = parts.literals[0]!;
  for (let i = 0; i < parts.expressions.length; i++) {
    out += format(await evaluate(parts.expressions[i]!.text)) + parts.literals[i + 1]!;
  }
  return out;
}

/** True when the string holds at least one `{{ }}`. */
export function hasTemplate(text: string): boolean {
  return text.includes('{{') && /\{\{[\s\S]*?\}\}/.test(text);
}

/** True when a `{{` is left over once every `{{ }}` pair is taken out (it stays plain text). */
export function hasUnclosedTemplate(text: string): boolean {
  return splitTemplate(text).literals.some((l) => l.includes('{{'));
}

/** The expression of a string that is exactly one `{{ }}`, else undefined. */
export function wholeExpression(text: string): string | undefined {
  const m = WHOLE.exec(text);
  if (!m || m[1].includes('{{') || m[1].includes('}}')) return undefined;
  return m[1].trim();
}

/** Every expression inside the `{{ }}`s of a string, in order. */
export function templateExpressions(text: string): string[] {
  return splitTemplate(text).expressions.map((e) => e.text);
}

/** A field that holds an expression may be written bare or as one `{{ }}`: return the expression. */
export function expressionOf(field: string): string {
  return wholeExpression(field) ?? field.trim();
}
