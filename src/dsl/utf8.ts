/**
 * Strict UTF-8 decoding of a definition's or an input's bytes, apart from the YAML reader so that a
 * command reading only an input file (`--input-file`) does not load the definition language.
 */

/** A problem found while reading the text itself, at a 1-based line and column. */
export interface SyntaxProblem {
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

/**
 * Decode UTF-8 text strictly: a byte sequence that is not UTF-8 is refused at its line and column
 * (a lenient decoder would replace it with U+FFFD, and a run would go on with changed data). A BOM
 * is kept, as `readFile(file, 'utf8')` keeps it.
 */
export function decodeUtf8(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; problem: SyntaxProblem } {
  const strict = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  try {
    return { ok: true, text: strict().decode(bytes) };
  } catch {
    // The shortest prefix that fails (a streaming decoder accepts a sequence cut at the end) ends at
    // the first bad byte: a binary search, so finding it costs O(n log n) at worst.
    let good = 0;
    let bad = bytes.length;
    while (bad - good > 1) {
      const mid = (good + bad) >>> 1;
      try {
        strict().decode(bytes.subarray(0, mid), { stream: true });
        good = mid;
      } catch {
        bad = mid;
      }
    }
    let offset = bad - 1;
    if (!decodes(bytes.subarray(0, offset))) {
      // The byte broke a character begun before it: point at that character's first byte.
      offset--;
      while (offset > 0 && (bytes[offset]! & 0xc0) === 0x80) offset--;
    }
    const lineStart = offset === 0 ? 0 : bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const col = 1 + strict().decode(bytes.subarray(lineStart, offset)).length;
    const byte = `0x${bytes[offset]!.toString(16).padStart(2, '0').toUpperCase()}`;
    const message = `not UTF-8: byte ${byte} does not begin a valid UTF-8 character; save the file as UTF-8 (text that is not UTF-8 would reach the run changed)`;
    return { ok: false, problem: { line, col, message, severity: 'error' } };
  }
}

function decodes(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}
