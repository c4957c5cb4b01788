/** The kit's report: one line per case, and for a failed case what differs, where, and the diff. */
import path from 'node:path';
import type { Failure } from './expect';
import type { FileResult } from './kit';
import type { CaseResult } from './runner';

const indent = (text: string, by: string) =>
  text
    .split('\n')
    .map((l) => (l ? `${by}${l}` : l))
    .join('\n');

function ms(n: number): string {
  return n < 1_000 ? `${n} ms` : `${(n / 1_000).toFixed(1)} s`;
}

/** `✓ name (412 ms)`, or `✗ name (1.2 s)` followed by its failures, then the durations it changed. */
export function formatCase(r: CaseResult, options: { cwd?: string } = {}): string {
  const rel = (f: string) => path.relative(options.cwd ?? process.cwd(), f) || f;
  if (r.skipped !== undefined) return `- ${r.name} (skipped: ${r.skipped})`;
  const head = `${r.ok ? '✓' : '✗'} ${r.name} (${ms(r.durationMs)})`;
  const lines = [r.ok ? head : `${head}  ${rel(r.file)}:${r.line}`];
  if (!r.ok) lines.push(indent(formatFailures(r.failures, options), '    '));
  if (r.time.length > 0) lines.push(indent(`time: ${r.time.join('\n      ')}`, '    '));
  return lines.join('\n');
}

/** A case's failures, numbered: message, the task path, where the case says it, and the diff. */
export function formatFailures(failures: Failure[], options: { cwd?: string } = {}): string {
  const rel = (where: string) => {
    const m = /^(.*?)(:\d+:\d+)$/.exec(where);
    return m ? `${path.relative(options.cwd ?? process.cwd(), m[1]) || m[1]}${m[2]}` : where;
  };
  return failures
    .map((f, i) => {
      const at = f.path !== undefined ? `at '${f.path}': ` : '';
      const parts = [`${i + 1}) ${at}${f.message}`];
      if (f.where) parts.push(`   (${rel(f.where)})`);
      if (f.diff) parts.push(indent(f.diff, '   '));
      return parts.join('\n');
    })
    .join('\n');
}

/** The whole report of one file. */
export function formatFile(f: FileResult, options: { cwd?: string } = {}): string {
  const name = path.relative(options.cwd ?? process.cwd(), f.file) || f.file;
  if (f.errors.length > 0) return `${name}: invalid cases file\n${indent(f.errors.join('\n'), '  ')}`;
  return [name, ...f.results.map((r) => indent(formatCase(r, options), '  '))].join('\n');
}

/** `19 cases: 18 passed, 1 failed (1 skipped)`. */
export function summary(files: FileResult[]): { text: string; failed: number } {
  const results = files.flatMap((f) => f.results);
  const skipped = results.filter((r) => r.skipped !== undefined).length;
  const failed = results.filter((r) => !r.ok).length;
  const invalid = files.filter((f) => f.errors.length > 0).length;
  const passed = results.length - failed - skipped;
  const parts = [
    `${results.length} case${results.length === 1 ? '' : 's'}: ${passed} passed, ${failed} failed`,
  ];
  if (skipped) parts.push(`${skipped} skipped`);
  if (invalid) parts.push(`${invalid} invalid cases file${invalid === 1 ? '' : 's'}`);
  return { text: parts.join(', '), failed: failed + invalid };
}
