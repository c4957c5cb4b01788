/**
 * Rendering the views of a spec session: template text with `{{ }}` JSONata expressions, rendered in
 * the activity (never in workflow code), with list formatting for criteria and gates and a bounded
 * cache keyed by sha256(template) + sha256(content).
 *
 * What a template sees (its roots): `phase` (the current phase), `task` (the task, in the task
 * template only), `session` (title, position, phases and their status, evidence so far) and `input`
 * (the workflow input, when the definition reads it). A placeholder that is not there renders empty;
 * `validate` warns about the ones that never can be (`templateWarnings`).
 *
 * Values render as text: null as nothing; strings, numbers and booleans as themselves; a criterion,
 * gate item or task (or a list of them) as markdown checklist lines (`- [ ] text`, `- [x]` when done);
 * a list of plain values joined with `, `; any other object as JSON. Helpers: `$checklist(list)`,
 * `$numbered(list)` (`1. text`), `$bullets(list)` (`- text`).
 */
import { createHash } from 'node:crypto';
import { didYouMean } from '../../contract/suggest';
import { compileExpression, ExpressionError } from '../../dsl/expressions';

/** The roots a template may read. */
export const TEMPLATE_ROOTS = ['phase', 'task', 'session', 'input'] as const;

/** Fields of the objects templates see, for `validate`: `true` is a leaf, a record is an object (or a list of them). */
type Fields = { [name: string]: true | Fields };
const CRITERION: Fields = { n: true, text: true, done: true };
const TASK: Fields = {
  n: true,
  id: true,
  title: true,
  done: true,
  description: true,
  estimate: true,
  dependencies: true,
  criteria: CRITERION,
};
const PHASE: Fields = {
  id: true,
  number: true,
  position: true,
  name: true,
  description: true,
  goal: true,
  estimate: true,
  dependencies: true,
  tasks: TASK,
  gate: CRITERION,
};
const SESSION: Fields = {
  title: true,
  position: true,
  total: true,
  phases: { id: true, name: true, position: true, status: true },
  evidence: { phase: true, name: true, criteria: { n: true, text: true, note: true }, summary: true },
};
const SHAPES: Record<string, Fields | true> = { phase: PHASE, task: TASK, session: SESSION, input: true };

export const DEFAULT_PHASE_TEMPLATE = `# {{ session.title }}

## Phase {{ phase.id }} of {{ session.total }}: {{ phase.name }}

{{ phase.description }}
{{ phase.goal ? 'Goal: ' & phase.goal }}

### Tasks
{{ $numbered(phase.tasks.(id & ': ' & title)) }}

### Validation gate
{{ $checklist(phase.gate) }}
`;

export const DEFAULT_TASK_TEMPLATE = `## Task {{ task.id }}: {{ task.title }}

Phase {{ phase.id }}: {{ phase.name }}
{{ task.description }}
{{ task.estimate ? 'Estimated time: ' & task.estimate }}
{{ task.dependencies ? 'Depends on: ' & $join(task.dependencies, ', ') }}

### Acceptance criteria
{{ $checklist(task.criteria) }}
`;

// ---------------------------------------------------------------------------------------------------
// Formatting

type Item =
  string | number | boolean | null | { text?: unknown; title?: unknown; id?: unknown; done?: unknown };

function itemText(item: unknown): string {
  if (item === null || item === undefined) return '';
  if (typeof item !== 'object') return String(item);
  const o = item as Record<string, unknown>;
  if (typeof o.text === 'string') return o.text;
  if (typeof o.title === 'string') return typeof o.id === 'string' ? `${o.id}: ${o.title}` : o.title;
  if (typeof o.name === 'string') return o.name;
  return JSON.stringify(item);
}

const items = (value: unknown): Item[] =>
  value === null || value === undefined ? [] : Array.isArray(value) ? (value as Item[]) : [value as Item];

const isDone = (item: unknown) =>
  item !== null && typeof item === 'object' && (item as { done?: unknown }).done === true;

/** `- [ ] text` lines (`- [x]` for an item whose `done` is true). */
export function checklist(value: unknown): string {
  return items(value)
    .map((i) => `- [${isDone(i) ? 'x' : ' '}] ${itemText(i)}`)
    .join('\n');
}

/** `1. text` lines. */
export function numbered(value: unknown): string {
  return items(value)
    .map((i, k) => `${k + 1}. ${itemText(i)}`)
    .join('\n');
}

/** `- text` lines. */
export function bullets(value: unknown): string {
  return items(value)
    .map((i) => `- ${itemText(i)}`)
    .join('\n');
}

/** A checklist item: a criterion or gate item (`text`) or a task (`title`), each with `done`. */
const isChecklistItem = (v: unknown): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && 'done' in v && ('text' in v || 'title' in v);

/** How a placeholder's value becomes text. */
export function formatValue(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'function') return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '';
    if (value.every(isChecklistItem)) return checklist(value);
    if (value.every((v) => v === null || typeof v !== 'object')) return value.map(formatValue).join(', ');
    return JSON.stringify(value);
  }
  if (isChecklistItem(value)) return checklist(value);
  return JSON.stringify(value);
}

const HELPERS = { checklist, numbered, bullets };

// ---------------------------------------------------------------------------------------------------
// Templates

const PART = /\{\{([\s\S]*?)\}\}/g;

/** A template split into literal text and expressions (compiled through the shared, checked cache). */
interface Parsed {
  literals: string[];
  expressions: string[];
}

const parsedTemplates = new Map<string, Parsed>();
const PARSED_LIMIT = 256;

function parse(template: string): Parsed {
  let parsed = parsedTemplates.get(template);
  if (parsed) return parsed;
  const literals: string[] = [];
  const expressions: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PART)) {
    literals.push(template.slice(last, m.index));
    expressions.push(m[1]!.trim());
    last = m.index! + m[0].length;
  }
  literals.push(template.slice(last));
  for (const e of expressions) compileExpression(e);
  parsed = { literals, expressions };
  if (parsedTemplates.size >= PARSED_LIMIT)
    parsedTemplates.delete(parsedTemplates.keys().next().value as string);
  parsedTemplates.set(template, parsed);
  return parsed;
}

/** Render a template against its roots, uncached. An expression that fails throws `ExpressionError`. */
export async function renderUncached(template: string, roots: Record<string, unknown>): Promise<string> {
  const { literals, expressions } = parse(template);
  let out = literals[0]!;
  for (let i = 0; i < expressions.length; i++) {
    const text = expressions[i]!;
    let value: unknown;
    try {
      value = await compileExpression(text).evaluate(roots, HELPERS);
    } catch (e) {
      const err = e as { message?: string; position?: number };
      throw new ExpressionError(
        `template expression '${text}' failed: ${err.message ?? String(e)}`,
        text,
        err.position,
      );
    }
    out += formatValue(value) + literals[i + 1]!;
  }
  return tidy(out);
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

// ---------------------------------------------------------------------------------------------------
// validate: placeholders that can never resolve

export interface TemplateWarning {
  /** 1-based, in the template text. */
  line: number;
  col: number;
  message: string;
}

type AstNode = { type?: string; value?: unknown; position?: number; [k: string]: unknown };

/**
 * Placeholders of a template that can never resolve: a name that is no root (`{{ title }}`), a field
 * the root's object does not have (`{{ phase.nmae }}`), or `task` in the phase template. Expressions
 * that do not parse are left to the definition's own expression checks.
 */
export function templateWarnings(template: string, kind: 'phase' | 'task'): TemplateWarning[] {
  const warnings: TemplateWarning[] = [];
  const roots = kind === 'phase' ? TEMPLATE_ROOTS.filter((r) => r !== 'task') : [...TEMPLATE_ROOTS];
  for (const m of template.matchAll(PART)) {
    const text = m[1]!.trim();
    let ast: AstNode;
    try {
      ast = compileExpression(text).ast() as AstNode;
    } catch {
      continue;
    }
    const before = template.slice(0, m.index);
    const line = before.split('\n').length;
    const col = m.index! - before.lastIndexOf('\n');
    const warn = (message: string) =>
      warnings.push({ line, col, message: `{{ ${text} }}: ${message}; it renders empty` });
    for (const steps of topLevelPaths(ast)) {
      const names: string[] = [];
      for (const s of steps) {
        if (s.type !== 'name' || typeof s.value !== 'string') break;
        names.push(s.value);
      }
      if (names.length === 0) continue;
      const [root, ...fields] = names;
      if (!(roots as string[]).includes(root!)) {
        const why =
          root === 'task'
            ? 'task is seen by the task template only'
            : `'${root}' is not something a template sees`;
        warn(`${why} (roots: ${roots.join(', ')})`);
        continue;
      }
      let shape: Fields | true = SHAPES[root!]!;
      for (const field of fields) {
        if (shape === true) break;
        const next: Fields | true | undefined = shape[field];
        if (next === undefined) {
          const known = Object.keys(shape);
          const owner = [root, ...fields.slice(0, fields.indexOf(field))].join('.');
          warn(`${owner} has no field '${field}'${didYouMean(field, known)} (fields: ${known.join(', ')})`);
          break;
        }
        shape = next;
      }
    }
  }
  return warnings;
}

/**
 * Steps of the paths evaluated against the template's roots: not those inside a filter, a predicate,
 * a later step of a path, or a function body, where names are relative to something else.
 */
function topLevelPaths(ast: AstNode): AstNode[][] {
  const found: AstNode[][] = [];
  const visit = (node: unknown, top: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => visit(n, top));
    if (node === null || typeof node !== 'object') return;
    const n = node as AstNode;
    if (n.type === 'path' && Array.isArray(n.steps)) {
      const steps = n.steps as AstNode[];
      if (top) found.push(steps);
      steps.forEach((s, i) => {
        for (const [k, v] of Object.entries(s))
          if (k !== 'value' || typeof v === 'object')
            visit(v, top && i === 0 && k !== 'stages' && k !== 'predicate' && k !== 'group');
      });
      return;
    }
    if (n.type === 'name' && top) found.push([n]);
    const inner = n.type === 'lambda' ? false : top;
    for (const [k, v] of Object.entries(n)) {
      if (k === 'value' && typeof v !== 'object') continue;
      if (k === 'procedure') continue;
      visit(v, k === 'stages' || k === 'predicate' || k === 'group' ? false : inner);
    }
  };
  visit(ast, true);
  return found;
}
