/**
 * What the words of a document say, independent of where they stand: whether a heading names a
 * phase or a task, what a bold label or subheading introduces, a list item's title, an estimate.
 */
import type { Estimate } from '../types';

/** What a heading names. */
export type HeadingKind =
  /** `loose`: words follow the number without a separator (`Phase 8 Tasks`, `Part 1 Issues`). */
  | { kind: 'phase'; key: string; id: string; name: string; rest: string; loose: boolean }
  | { kind: 'task'; id: string; title: string }
  | { kind: 'other' };

/** What a label or subheading introduces: the field its value or items go to. */
export type Role =
  'tasks' | 'criteria' | 'gate' | 'dependencies' | 'estimate' | 'goal' | 'description' | 'other';

const SEPARATOR = /^\s*[:.)\-–—]\s*/;
const PHASE_HEADING = /^(phase|part|stage|milestone|day|week|sprint)\s+(\d+(?:\.\d+)?)\b(?!\.\d)(.*)$/i;
const TASK_NAME = /^task\s+(\d+(?:\.\d+)*)\b(?!\.\d)(.*)$/i;

/** `### Phase 1: Core` names phase 1, `#### Task 1.2: Models` task 1.2; anything else neither. */
export function classifyHeading(text: string): HeadingKind {
  const bare = text.replace(/^[^\p{L}\p{N}]+/u, '');
  const phase = PHASE_HEADING.exec(bare);
  if (phase) {
    const rest = phase[3]!;
    const sep = SEPARATOR.exec(rest);
    const name = sep ? rest.slice(sep[0].length).trim() : '';
    const key = `${phase[1]!.toLowerCase()} ${phase[2]}`;
    const words = rest.replace(SEPARATOR, '').trim();
    return {
      kind: 'phase',
      key,
      id: phase[2]!,
      name: name || bare,
      rest: words,
      loose: !sep && words !== '',
    };
  }
  const task = TASK_NAME.exec(bare);
  if (task) return { kind: 'task', id: task[1]!, title: task[2]!.replace(SEPARATOR, '').trim() };
  return { kind: 'other' };
}

/** What a label (or a subheading) introduces, from its words. */
export function roleOf(name: string): Role {
  const s = name
    .toLowerCase()
    .replace(/[:*_`]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (/^(?:dependencies|dependency|depends on|prerequisites?|requires|blocked by)$/.test(s))
    return 'dependencies';
  if (/^(?:estimated? (?:time|duration|effort)|estimate|time estimate|duration|effort)$/.test(s))
    return 'estimate';
  if (/^(?:goal|objective|purpose)$/.test(s)) return 'goal';
  if (s === 'description') return 'description';
  if (/^(?:tasks|task list|todo|to do|subtasks)$/.test(s)) return 'tasks';
  if (/validation|gate|verification|(?:completion|exit|success) criteria/.test(s)) return 'gate';
  if (/acceptance|criteria|deliverable|definition of done|done when/.test(s)) return 'criteria';
  return 'other';
}

/** `**Name:** value` or `**Name**: value`; undefined when the bold text is not followed by a colon. */
export function asLabel(text: string): { name: string; value: string } | undefined {
  const m = /^\*\*([^*]+)\*\*(.*)$/.exec(text);
  if (!m) return undefined;
  let name = m[1]!.trim();
  let value = m[2]!;
  if (name.endsWith(':')) name = name.slice(0, -1).trim();
  else if (/^[ \t]*:/.test(value)) value = value.replace(/^[ \t]*:/, '');
  else return undefined;
  return name ? { name, value: value.trim() } : undefined;
}

/** A list item's title: `**Task 1.1**: title`, `**Task 1.1: title**`, `**Title**: more`, or plain text. */
export function itemTitle(content: string): { id?: string; title: string; rest?: string } {
  const bold = /^\*\*([^*]+)\*\*(.*)$/.exec(content);
  if (!bold) return { title: content };
  const inBold = bold[1]!.trim();
  const after = bold[2]!.replace(SEPARATOR, '').trim();
  const task = TASK_NAME.exec(inBold);
  if (task) {
    const own = task[2]!.replace(SEPARATOR, '').trim();
    return { id: task[1]!, title: own || after };
  }
  return { title: inBold.replace(/:$/, '').trim(), rest: after || undefined };
}

const ESTIMATE =
  /(?<![\d.])(\d+(?:\.\d+)?)\s*(?:(?:-|–|—|to)\s*(\d+(?:\.\d+)?)\s*)?(minutes?|mins?|hours?|hrs?|h|m)\b/i;

/**
 * Reads an estimated time: `2 hours`, `4-5 hours`, `30 minutes`, `~1.5h`. The text is always kept;
 * `minutes` is added from the first number (or range) in it with a minute or hour unit, so
 * `1h 30m` reads as 60 minutes.
 */
export function parseEstimate(text: string): Estimate {
  const trimmed = text.trim();
  const m = ESTIMATE.exec(trimmed);
  if (!m) return { text: trimmed };
  const factor = /^h/i.test(m[3]!) ? 60 : 1;
  const a = Number(m[1]) * factor;
  const b = m[2] === undefined ? a : Number(m[2]) * factor;
  return { text: trimmed, minutes: { min: Math.min(a, b), max: Math.max(a, b) } };
}
