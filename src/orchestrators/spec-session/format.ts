/**
 * How a view template's values become text: null as nothing; strings, numbers and booleans as
 * themselves; a criterion, gate item or task (or a list of them) as markdown checklist lines
 * (`- [ ] text`, `- [x]` when done); a list of plain values joined with `, `; any other object as
 * JSON. Helpers templates may call: `$checklist(list)`, `$numbered(list)` (`1. text`), `$bullets(list)`
 * (`- text`).
 */

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

/** The `$functions` a view template may call. */
export const HELPERS = { checklist, numbered, bullets };
