/**
 * scripts/jest-scratch.mjs (what `npm test` runs Jest through): the run's temporary files go into one
 * scratch folder, removed when Jest passes, kept and named when it fails.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/jest-scratch');

/** The wrapper on the fixture test, as `npm test` runs it: exit code, stderr, the fixture's temp dir. */
async function runFixture(outcome: 'pass' | 'fail') {
  const here = fs.mkdtempSync(path.join(os.tmpdir(), 'jest-scratch-test-'));
  const report = path.join(here, 'tmpdir.txt');
  const config = JSON.stringify({ rootDir: FIXTURES, testMatch: ['**/*.check.js'], transform: {} });
  const child = spawn(
    process.execPath,
    [path.join(ROOT, 'scripts/jest-scratch.mjs'), '--config', config, `--cacheDirectory=${here}/jest`],
    {
      cwd: ROOT,
      env: { ...process.env, TMPDIR: here, JEST_SCRATCH_FIXTURE: outcome, JEST_SCRATCH_REPORT: report },
    },
  );
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const scratch = fs.readFileSync(report, 'utf8');
  const mode = fs.readFileSync(`${report}.mode`, 'utf8');
  return { code, stderr, scratch, here, mode };
}

test('a passing run writes its temporary files in a scratch folder under the OS temp dir, then removes it', async () => {
  const r = await runFixture('pass');
  expect(r.code).toBe(0);
  expect(path.dirname(r.scratch)).toBe(r.here);
  expect(path.basename(r.scratch)).toMatch(/^flowstate-tests-/);
  // The cluster tests' PostgreSQL runs as the postgres user and must pass through it.
  expect(r.mode).toBe('711');
  expect(fs.existsSync(r.scratch)).toBe(false);
  expect(r.stderr).not.toContain('kept in');
}, 60_000);

test('a failing run keeps the folder, says where it is and exits 1', async () => {
  const r = await runFixture('fail');
  expect(r.code).toBe(1);
  expect(r.stderr).toContain(`the run's temporary files are kept in ${r.scratch}`);
  expect(fs.readdirSync(r.scratch).filter((f) => f.startsWith('fixture-'))).toHaveLength(1);
}, 60_000);
