/**
 * Malformed documents (test/fixtures/spec-tasks/malformed) give exactly the errors their first lines
 * announce, as `<!-- expect: LINE: message substring -->` comments (one per expected error, in line
 * order). The comments are part of the parsed text, so the line numbers are the file's own. The files
 * are `.txt`, like the seeds, so that a formatter run over the repository cannot shift their lines.
 */
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { SpecTasksParser } from '../../../src/sources/spec-tasks';

const DIR = join(__dirname, '../../fixtures/spec-tasks/malformed');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.txt'))
  .sort();

function expectations(text: string): { line: number; message: string }[] {
  return [...text.matchAll(/^<!-- expect: (\d+): (.*) -->$/gm)].map((m) => ({
    line: Number(m[1]),
    message: m[2]!,
  }));
}

it('has at least 15 malformed documents, each announcing its errors', () => {
  expect(files.length).toBeGreaterThanOrEqual(15);
  for (const f of files) expect(expectations(readFileSync(join(DIR, f), 'utf8')).length).toBeGreaterThan(0);
});

it.each(files)('%s gives exactly the announced errors', (file) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  const result = new SpecTasksParser().parse(text, { file });
  const want = expectations(text);
  expect(result.ok).toBe(false);
  expect(result.document).toBeUndefined();
  expect(result.errors.map((e) => e.line)).toEqual(want.map((w) => w.line));
  result.errors.forEach((e, i) => expect(e.message).toContain(want[i]!.message));
});
