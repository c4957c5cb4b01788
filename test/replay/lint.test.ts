/**
 * The determinism lint (eslint.config.mjs, rules for src/workflows/**) rejects workflow code that
 * would not replay: Node built-ins, Math.random, timers, the process environment, and activity-side
 * code imported as values. ESLint runs as `npm run lint` runs it (its CLI, in a child process: the
 * flat config is an ES module, which Jest's module system cannot load), on fixtures given the file
 * name of a workflow file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const ESLINT = path.join(ROOT, 'node_modules/eslint/bin/eslint.js');

interface Message {
  line: number;
  ruleId: string | null;
  message: string;
}

/** Lint a fixture's text as if it were the file `asFile` (relative to the repository). */
function lintAs(fixture: string, asFile: string): Message[] {
  const text = fs.readFileSync(path.join(__dirname, 'fixtures', fixture), 'utf8');
  const run = spawnSync(
    process.execPath,
    [ESLINT, '--stdin', '--stdin-filename', asFile, '--format', 'json'],
    {
      cwd: ROOT,
      input: text,
      encoding: 'utf8',
    },
  );
  if (run.status !== 0 && run.status !== 1) throw new Error(`eslint failed (${run.status}): ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Message[] }>;
  return result.messages.map(({ line, ruleId, message }) => ({ line, ruleId, message }));
}

test('a workflow file that breaks the rules is rejected, each break with a message saying what to use', () => {
  const messages = lintAs('bad-workflow.ts.txt', 'src/workflows/bad.ts');
  const found = messages.map((m) => `${m.line} ${m.ruleId}`);
  expect(found).toEqual([
    '2 no-restricted-imports', // node:fs
    '3 no-restricted-imports', // crypto (a built-in without the node: prefix)
    '4 no-restricted-imports', // ../activities as a value
    '5 no-restricted-imports', // ../activities/builtin-tools as a value
    '8 no-restricted-globals', // setTimeout
    '9 no-restricted-properties', // Math.random
    '10 no-restricted-globals', // process
    '10 no-restricted-properties', // process.env
  ]);
  const text = messages.map((m) => m.message).join('\n');
  expect(text).toContain('no Node built-ins');
  expect(text).toContain('activity-side code only as types');
  expect(text).toContain('use sleep() or condition() from @temporalio/workflow');
  expect(text).toContain('use uuid4() from @temporalio/workflow');
});

test("Temporal's deterministic APIs and type-only imports of activity code pass", () => {
  expect(lintAs('good-workflow.ts.txt', 'src/workflows/good.ts')).toEqual([]);
});

test('the rules apply to workflow code only: the same text elsewhere passes', () => {
  expect(lintAs('bad-workflow.ts.txt', 'src/activities/not-a-workflow.ts')).toEqual([]);
});
