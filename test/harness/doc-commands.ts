/**
 * The shell commands a Markdown doc shows, as a test can run them: the fenced `bash`/`sh` blocks
 * (line continuations joined, comments, blank lines and `$ ` prompts dropped, leading `VAR=value`
 * assignments split off), and every `flowstate <command> --flag` the doc names, in those blocks or
 * in inline code of its prose, so the flags can be checked against the CLI's `--help`.
 * Pure: text in, values out (no files, no processes).
 */

/** One command of a fenced shell block. */
export interface DocCommand {
  file: string;
  /** 1-based line of the command's first line in the file. */
  line: number;
  /** 1-based line of the block's opening fence: commands of one block share exports and servers. */
  block: number;
  /** The command as written: continuations joined, trailing comment and `$ ` prompt dropped. */
  text: string;
  /** `export NAME=value` lines: they set the environment of the block's later commands. */
  kind: 'command' | 'export';
  /** Leading `NAME=value` assignments of a command (quotes removed). */
  env: Record<string, string>;
  /** The words after the assignments (quotes removed; `$(...)` kept as written). */
  words: string[];
  /** Ends with `&`: started in the background. */
  background: boolean;
}

/** A `flowstate <command>` the doc names, with the `--flags` it gives it. */
export interface FlagRef {
  file: string;
  line: number;
  /** The text it was read from (a command, or an inline code span). */
  text: string;
  /** The subcommand, e.g. `run`; undefined for bare `flowstate --help`. */
  command?: string;
  flags: string[];
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', 'zsh']);
const FENCE = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/;

interface Block {
  lang: string;
  /** Line of the opening fence (1-based). */
  line: number;
  lines: string[];
}

/** The fenced code blocks of a Markdown text, with their language and first line. */
export function fencedBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  let open: (Block & { fence: string }) | undefined;
  markdown.split('\n').forEach((raw, i) => {
    const m = FENCE.exec(raw);
    if (open) {
      if (m && m[2]![0] === open.fence[0] && m[2]!.length >= open.fence.length && m[3] === '') {
        blocks.push({ lang: open.lang, line: open.line, lines: open.lines });
        open = undefined;
      } else open.lines.push(raw);
    } else if (m) open = { fence: m[2]!, lang: m[3]!.toLowerCase(), line: i + 1, lines: [] };
  });
  return blocks;
}

/** Drops a trailing ` # comment` that is outside quotes. */
export function stripComment(line: string): string {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) return line.slice(0, i).trimEnd();
  }
  return line.trimEnd();
}

/** Splits a command into shell words: quotes removed, `$(...)` and `<placeholder words>` kept whole. */
export function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      word += text.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? text.length : end;
      inWord = true;
    } else if (c === '$' && text[i + 1] === '(') {
      let depth = 0;
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === '(') depth++;
        else if (text[j] === ')' && --depth === 0) break;
      }
      word += text.slice(i, j + 1);
      i = j;
      inWord = true;
    } else if (c === '<' && /^<[a-z][\w .-]*>/i.test(text.slice(i))) {
      const end = text.indexOf('>', i);
      word += text.slice(i, end + 1);
      i = end;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** Reads one logical command line of a shell block. */
function toCommand(file: string, block: number, line: number, text: string): DocCommand {
  const background = /\s&$/.test(text);
  const body = background ? text.replace(/\s*&$/, '') : text;
  const exported = /^export\s/.test(body);
  const words = shellWords(exported ? body.replace(/^export\s+/, '') : body);
  const env: Record<string, string> = {};
  while (!exported && words.length > 1 && ASSIGNMENT.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  return { file, line, block, text, kind: exported ? 'export' : 'command', env, words, background };
}

/** The commands of a doc's fenced bash/sh blocks, in order. */
export function extractCommands(file: string, markdown: string): DocCommand[] {
  const commands: DocCommand[] = [];
  for (const block of fencedBlocks(markdown)) {
    if (!SHELL_LANGS.has(block.lang)) continue;
    let pending: { line: number; text: string } | undefined;
    block.lines.forEach((raw, i) => {
      const line = block.line + 1 + i;
      let text = raw.trim();
      if (!pending) {
        text = text.replace(/^\$\s+/, '');
        if (text === '' || text.startsWith('#')) return;
      }
      text = stripComment(text);
      const continued = text.endsWith('\\');
      if (continued) text = text.slice(0, -1).trimEnd();
      pending = pending ? { line: pending.line, text: `${pending.text} ${text}`.trim() } : { line, text };
      if (!continued) {
        commands.push(toCommand(file, block.line, pending.line, pending.text));
        pending = undefined;
      }
    });
    if (pending) commands.push(toCommand(file, block.line, pending.line, pending.text));
  }
  return commands;
}

/** The `<placeholder>` names in a command, e.g. `workflow-id` for `<workflow-id>`. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/<([a-z][\w .-]*)>/gi)].map((m) => m[1]!);
}

/** Reads `[npx] flowstate <command> ... --flags` out of one command's words. */
function flagRefOf(file: string, line: number, text: string, words: string[]): FlagRef | undefined {
  const at = words.findIndex(
    (w) => w === 'flowstate' || w.endsWith('/flowstate') || w.endsWith('bin/flowstate.js'),
  );
  if (at < 0 || (at > 0 && !['npx', 'node'].includes(words[at - 1]!))) return undefined;
  const after = words.slice(at + 1);
  const command = after.find((w) => !w.startsWith('-'));
  const flags = [...after.join(' ').matchAll(/(?:^|[\s[(])(--?[a-zA-Z][\w-]*)/g)].map((m) => m[1]!);
  return {
    file,
    line,
    text,
    ...(command && !/^[<[]/.test(command) ? { command } : {}),
    flags: [...new Set(flags)],
  };
}

/**
 * Every `flowstate <command> --flag` the doc names: in its shell blocks, and in inline code spans of
 * its prose (`flowstate list --status running`, `flowstate complete-phase <id> [--phase P]`). A span
 * that is only a flag (`--filter <text>`) belongs to the last `flowstate <command>` span of its
 * paragraph (of its line in a table); with none before it, it is not read (`--profile metrics`).
 */
export function flagRefs(file: string, markdown: string): FlagRef[] {
  const refs: FlagRef[] = [];
  for (const c of extractCommands(file, markdown)) {
    const ref = flagRefOf(file, c.line, c.text, c.words);
    if (ref) refs.push(ref);
  }
  const inFence = new Set<number>();
  for (const b of fencedBlocks(markdown))
    for (let i = 0; i <= b.lines.length + 1; i++) inFence.add(b.line + i);
  let last: FlagRef | undefined;
  markdown.split('\n').forEach((raw, i) => {
    if (inFence.has(i + 1) || raw.trim() === '' || raw.startsWith('|')) last = undefined;
    if (inFence.has(i + 1)) return;
    for (const m of raw.matchAll(/`([^`]+)`/g)) {
      const span = m[1]!.replace(/\\\|/g, '|');
      if (/^--[a-z]/.test(span) && last?.command) {
        refs.push({ file, line: i + 1, text: span, command: last.command, flags: [span.split(/\s/)[0]!] });
        continue;
      }
      if (!/^(npx\s+)?flowstate(\s|$)/.test(span)) continue;
      const ref = flagRefOf(file, i + 1, span, span.split(/\s+/));
      if (ref?.command || ref?.flags.length) refs.push((last = ref));
    }
  });
  return refs;
}

/** The long and short flags an `--help` output lists under `Options:`. */
export function helpFlags(help: string): Set<string> {
  const options = help.split(/^Options:\s*$/m)[1]?.split(/^\S.*:\s*$/m)[0] ?? '';
  return new Set([...options.matchAll(/(?:^|[\s,])(--?[a-zA-Z][\w-]*)/gm)].map((m) => m[1]!));
}

/** The command names an `--help` output lists under `Commands:`. */
export function helpCommands(help: string): Set<string> {
  const section = help.split(/^Commands:\s*$/m)[1]?.split(/^\S.*$/m)[0] ?? '';
  return new Set([...section.matchAll(/^\s{2}([a-z][\w-]*)/gm)].map((m) => m[1]!));
}
