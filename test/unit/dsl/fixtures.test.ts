/**
 * The fixture corpus. Each file in test/fixtures/invalid states what loading it must report in its
 * leading comments:
 *
 *   # expect: <line>:<col>: <message substring>           an error
 *   # expect-warning: <line>:<col>: <message substring>   a warning
 *
 * A fixture must produce exactly the errors and warnings it states, no more. Each file in
 * test/fixtures/valid must compile without errors or warnings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDefinition, type LoadResult } from '../../../src/dsl/loader';
import type { Diagnostic } from '../../../src/dsl/diagnostics';
import { TYPES } from './helpers';

const FIXTURES = join(__dirname, '../../fixtures');

interface Expectation {
  severity: 'error' | 'warning';
  line: number;
  col: number;
  message: string;
}

function expectationsOf(text: string): Expectation[] {
  const out: Expectation[] = [];
  for (const line of text.split('\n')) {
    const m = /^# expect(-warning)?: (\d+):(\d+): (.+)$/.exec(line);
    if (!m) break;
    out.push({ severity: m[1] ? 'warning' : 'error', line: Number(m[2]), col: Number(m[3]), message: m[4] });
  }
  return out;
}

const describeDiagnostics = (list: Diagnostic[]) =>
  list.map((d) => `${d.severity} ${d.line}:${d.col}: ${d.message}`).join('\n') || '(none)';

const invalid = readdirSync(join(FIXTURES, 'invalid'))
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('invalid definitions', () => {
  it('has a corpus of at least 40 fixtures, each stating what it expects', () => {
    expect(invalid.length).toBeGreaterThanOrEqual(40);
    const without = invalid.filter(
      (file) => expectationsOf(readFileSync(join(FIXTURES, 'invalid', file), 'utf8')).length === 0,
    );
    expect(without).toEqual([]);
  });

  it.each(invalid)('%s reports exactly what it expects', async (file) => {
    const path = join(FIXTURES, 'invalid', file);
    const expected = expectationsOf(readFileSync(path, 'utf8'));
    const result: LoadResult = await loadDefinition(path, TYPES);
    const errors = result.ok ? [] : result.errors;
    const all = [...errors, ...result.warnings];
    for (const e of expected) {
      const found = all.find(
        (d) =>
          d.severity === e.severity && d.line === e.line && d.col === e.col && d.message.includes(e.message),
      );
      if (!found)
        throw new Error(
          `expected ${e.severity} ${e.line}:${e.col}: ${e.message}\ngot:\n${describeDiagnostics(all)}`,
        );
      expect(found.file).toBe(path);
    }
    expect(errors).toHaveLength(expected.filter((e) => e.severity === 'error').length);
    expect(result.warnings).toHaveLength(expected.filter((e) => e.severity === 'warning').length);
    expect(result.ok).toBe(!expected.some((e) => e.severity === 'error'));
  });
});

const valid = readdirSync(join(FIXTURES, 'valid')).sort();

describe('valid definitions', () => {
  it('cover every task type', async () => {
    const types = new Set<string>();
    const collect = (tasks: Array<{ type: string; children: unknown[] }>): void =>
      tasks.forEach((t) => (types.add(t.type), collect(t.children as typeof tasks)));
    for (const file of valid) {
      const result = await loadDefinition(join(FIXTURES, 'valid', file), TYPES);
      if (result.ok) collect(result.definition.tasks);
    }
    expect([...types].sort()).toEqual([...TYPES.names()].sort());
  });

  it.each(valid)('%s compiles without errors or warnings', async (file) => {
    const result = await loadDefinition(join(FIXTURES, 'valid', file), TYPES);
    if (!result.ok) throw new Error(describeDiagnostics(result.errors));
    expect(result.warnings).toEqual([]);
    expect(result.definition.source).toBe(join(FIXTURES, 'valid', file));
  });
});
