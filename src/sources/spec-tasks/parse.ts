/**
 * Reads a document into classified lines with markdown-it: CommonMark decides what is a heading, a
 * list item, a rule, code (fenced or indented), an HTML comment or prose, and each token's line map
 * says where it stands. The builder then reads the lines in order, one per line of the text.
 */
import type MarkdownIt from 'markdown-it';
import type { Issue } from '../types';

export interface Checkbox {
  done: boolean;
  /** Set for a malformed box (`[`, `[-]`): the error to report. The item is read as unticked. */
  problem?: string;
}

/** One line of the document, classified; `n` is its 1-based number. */
export type Line =
  /** `code`: a line of a code block or of raw HTML; `blank`: also a line of an HTML comment. */
  | { kind: 'blank' | 'code' | 'rule'; n: number }
  | { kind: 'heading'; n: number; level: number; text: string }
  /** The first line of a list item; `content` is its text after the marker and the checkbox. */
  | { kind: 'item'; n: number; indent: number; checkbox?: Checkbox; content: string }
  /** A line of a paragraph (or of a block quote, read as plain prose). */
  | { kind: 'text'; n: number; indent: number; text: string };

/**
 * Block structure only (titles and labels are read from the source text, not rendered). Two
 * CommonMark rules are off because task documents mean something else by them: `text` over `---`
 * is prose and a rule, not a setext heading; `[x]: ...` is prose, not a link reference definition.
 */
let parser: MarkdownIt | undefined;
/** The parser, made on first use: `validate` of a definition with no spec never loads markdown-it. */
function markdown(): MarkdownIt {
  if (parser) return parser;
  const MarkdownItClass = require('markdown-it') as typeof import('markdown-it');
  const md = new MarkdownItClass('commonmark');
  Object.assign(md.options, { maxNesting: 100 }); // the preset's 20 would drop lines of 10-deep lists
  md.block.ruler.disable(['lheading', 'reference']);
  md.core.ruler.enableOnly(['normalize', 'block']);
  return (parser = md);
}

type Token = MarkdownIt.Token;

/** Splits text into classified lines; a malformed checkbox or an unclosed fence is an error. */
export function readLines(text: string, errors: Issue[]): Line[] {
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  const found: (Line | undefined)[] = new Array<Line | undefined>(raw.length).fill(undefined);
  /** Lines `from..to-1` (0-based), those not taken yet by an enclosing token. */
  const claim = (from: number, to: number, as: (n: number) => Line) => {
    for (let i = from; i < to; i++) found[i] ??= as(i + 1);
  };
  const prose = (n: number): Line => {
    const line = raw[n - 1]!;
    const text = line.trim();
    return text === '' ? { kind: 'blank', n } : { kind: 'text', n, indent: width(line), text };
  };
  const code = (n: number): Line => ({ kind: 'code', n });
  const blank = (n: number): Line => ({ kind: 'blank', n });

  // markdown-it counts no final line of spaces, so a fence reaching `end` runs to the end of the text.
  const end = raw.length - (/^[ \t]*$/.test(raw[raw.length - 1]!) ? 1 : 0);
  const tokens = markdown().parse(raw.join('\n'), {});
  let quotes = 0;
  tokens.forEach((token, i) => {
    if (token.type === 'blockquote_open') quotes++;
    if (token.type === 'blockquote_close') quotes--;
    if (!token.map) return;
    const [from, to] = token.map;
    switch (token.type) {
      case 'blockquote_open':
        // Prose, line by line: what the quote holds finds its lines taken.
        return claim(from, to, prose);
      case 'heading_open': {
        const level = Number(token.tag.slice(1));
        return claim(from, from + 1, (n) => ({ kind: 'heading', n, level, text: tokens[i + 1]!.content }));
      }
      case 'list_item_open':
        return claim(from, from + 1, (n) => item(raw[n - 1]!, n, errors));
      case 'paragraph_open':
        return claim(from, to, prose);
      case 'hr':
        return claim(from, to, (n) => ({ kind: 'rule', n }));
      case 'fence':
        if (quotes === 0 && !closed(token, raw) && to >= end)
          errors.push({ line: from + 1, message: 'code fence is never closed' });
        return claim(from, to, code);
      case 'code_block':
        return claim(from, to, code);
      case 'html_block':
        return claim(from, to, token.content.trimStart().startsWith('<!--') ? blank : code);
    }
  });
  // What no token holds: blank lines, and lines beyond markdown-it's nesting limit (read as prose).
  return raw.map((_, i) => found[i] ?? prose(i + 1));
}

/** The first line of a list item: its indentation, checkbox and text. */
function item(line: string, n: number, errors: Issue[]): Line {
  const { checkbox, rest } = readCheckbox(line.replace(/^[ \t]*(?:[-*+]|\d{1,9}[.)])/, '').trim());
  if (checkbox?.problem) errors.push({ line: n, message: checkbox.problem });
  return { kind: 'item', n, indent: width(line), checkbox, content: rest };
}

/**
 * Whether a fence ends with its closing marker (markdown-it also ends one at the end of its list
 * item or of the document). Closed, its content is every line between its first and last.
 */
function closed(fence: Token, raw: string[]): boolean {
  const [from, to] = fence.map!;
  if (to - from < 2 || raw[to - 1]!.trim() === '') return false;
  const content = fence.content;
  const lines = content === '' ? 0 : content.split('\n').length - (content.endsWith('\n') ? 1 : 0);
  return lines === to - from - 2;
}

/** Indentation width of a line, a tab advancing to the next multiple of 4. */
function width(line: string): number {
  let w = 0;
  for (const c of /^[ \t]*/.exec(line)![0]) w = c === '\t' ? w + 4 - (w % 4) : w + 1;
  return w;
}

/** `[ ]` or `[x]` at the start of an item; `[`, `[-]`, `[x]text` are malformed (read as unticked). */
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
