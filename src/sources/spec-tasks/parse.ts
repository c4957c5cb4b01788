/**
 * Splits a document into classified lines: headings, list items (with their checkbox), prose,
 * rules, code and blanks, one per line of the text.
 */
import type { Issue } from '../types';

export interface Checkbox {
  done: boolean;
  /** Set for a malformed box (`[`, `[-]`): the error to report. The item is read as unticked. */
  problem?: string;
}

/** One line of the document, classified; `n` is its 1-based number. */
export type Line =
  | { kind: 'blank' | 'code' | 'rule'; n: number }
  | { kind: 'heading'; n: number; level: number; text: string }
  | { kind: 'item'; n: number; indent: number; checkbox?: Checkbox; content: string }
  | { kind: 'text'; n: number; indent: number; text: string };

/** Indentation width, a tab advancing to the next multiple of 4. */
function width(space: string): number {
  let w = 0;
  for (const c of space) w = c === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
}

function readCheckbox(content: string): { checkbox?: Checkbox; rest: string } {
  const ok = /^\[([ xX])\](?:[ \t]+|$)/.exec(content);
  if (ok) return { checkbox: { done: ok[1] !== ' ' }, rest: content.slice(ok[0].length).trim() };
  const bad = /^\[([^\]]{0,2})\](?!\()/.exec(content);
  if (bad) {
    const problem = `malformed checkbox '[${bad[1]}]': expected '[ ]' or '[x]' followed by a space`;
    return { checkbox: { done: false, problem }, rest: content.slice(bad[0].length).trim() };
  }
  if (/^\[[ xX]?(?:[ \t]|$)/.test(content) && !content.includes(']')) {
    const problem = "unterminated checkbox: expected '[ ]' or '[x]'";
    return { checkbox: { done: false, problem }, rest: content.replace(/^\[[ xX]?[ \t]*/, '').trim() };
  }
  return { rest: content };
}

/** `Title ##` is `Title`, `##` is empty, `C#` stays (a loop: a regex here backtracks on long blanks). */
function withoutClosingHashes(text: string): string {
  const t = text.trim();
  let i = t.length;
  while (i > 0 && t[i - 1] === '#') i--;
  if (i === t.length || (i > 0 && t[i - 1] !== ' ' && t[i - 1] !== '\t')) return t;
  return t.slice(0, i).trim();
}

/** Splits text into classified lines, skipping fenced code and HTML comments. */
export function readLines(text: string, errors: Issue[]): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const lines: Line[] = [];
  let fence: { mark: string; line: number } | undefined;
  let comment = false;
  raw.forEach((line, i) => {
    const n = i + 1;
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(line);
      if (close && close[1]![0] === fence.mark[0] && close[1]!.length >= fence.mark.length) fence = undefined;
      lines.push({ kind: 'code', n });
      return;
    }
    if (comment) {
      if (line.includes('-->')) comment = false;
      lines.push({ kind: 'blank', n });
      return;
    }
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (open) {
      fence = { mark: open[1]!, line: n };
      lines.push({ kind: 'code', n });
      return;
    }
    const trimmed = line.trim();
    if (trimmed.startsWith('<!--')) {
      comment = !trimmed.slice(4).includes('-->');
      lines.push({ kind: 'blank', n });
      return;
    }
    if (trimmed === '') return void lines.push({ kind: 'blank', n });
    const indent = width(/^[ \t]*/.exec(line)![0]);
    if (indent <= 3 && /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/.test(trimmed)) {
      return void lines.push({ kind: 'rule', n });
    }
    const heading = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/.exec(line);
    if (heading) {
      const title = withoutClosingHashes(heading[2] ?? '');
      return void lines.push({ kind: 'heading', n, level: heading[1]!.length, text: title });
    }
    const item = /^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/.exec(line);
    if (item) {
      const { checkbox, rest } = readCheckbox((item[1] ?? '').trim());
      if (checkbox?.problem) errors.push({ line: n, message: checkbox.problem });
      return void lines.push({ kind: 'item', n, indent, checkbox, content: rest });
    }
    lines.push({ kind: 'text', n, indent, text: trimmed });
  });
  if (fence) errors.push({ line: fence.line, message: 'code fence is never closed' });
  return lines;
}
