import { decodeUtf8, parseSource } from '../../../src/dsl/source';

const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p))));

describe('parseSource: repeated keys', () => {
  it('reports each repeated key at its own position, naming the first', () => {
    const parsed = parseSource('a: 1\nb:\n  c: 1\n  d: 2\n  c: 3\na: 4\n');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => `${e.line}:${e.col}: ${e.message}`)).toEqual([
      "5:3: YAML syntax: Map keys must be unique: 'c' is already a key of this mapping at line 3",
      "6:1: YAML syntax: Map keys must be unique: 'a' is already a key of this mapping at line 1",
    ]);
  });

  it('finds them in flow mappings and in mappings inside lists', () => {
    const parsed = parseSource('list:\n  - { x: 1, x: 2 }\n');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.errors[0]).toMatchObject({ line: 2, col: 13 });
  });

  it('keeps keys equal as text but not as values apart (1 and "1"), as YAML does', () => {
    expect(parseSource('1: a\n"1": b\n').ok).toBe(true);
  });
});

describe('decodeUtf8: bytes that are not UTF-8 are refused, never replaced', () => {
  it('decodes UTF-8, a byte order mark kept', () => {
    expect(decodeUtf8(bytes('\ufeffcafé'))).toEqual({ ok: true, text: '\ufeffcafé' });
  });

  it('points at a stray byte by line and column', () => {
    const decoded = decodeUtf8(bytes('a: 1\nb: "é', [0xff], '"\n'));
    expect(decoded).toMatchObject({ ok: false, problem: { line: 2, col: 6 } });
    if (!decoded.ok) expect(decoded.problem.message).toMatch(/^not UTF-8: byte 0xFF does not begin/);
  });

  it('points at the start of a character cut short, in the middle or at the end', () => {
    expect(decodeUtf8(bytes('ab', [0xe2, 0x82], 'A'))).toMatchObject({ problem: { line: 1, col: 3 } });
    expect(decodeUtf8(bytes('x\nab', [0xe2, 0x82]))).toMatchObject({ problem: { line: 2, col: 3 } });
    expect(decodeUtf8(bytes([0x80], 'x'))).toMatchObject({ problem: { line: 1, col: 1 } });
  });
});
