#!/usr/bin/env node
/**
 * `node scripts/jest-scratch.mjs [jest args]`: run Jest with every temporary file of the run (the
 * tests' `os.tmpdir()` dirs, the dev server's log, clusters' PostgreSQL data, child processes' files)
 * in one scratch folder, removed when Jest passes and kept, with its path printed, when it fails.
 * Without it a `npm test` left ~50 MB and a `npm run test:cluster` ~1 GB in /tmp on every run.
 *
 * What should outlive the run stays in the OS temp dir, under `flowstate-test-caches/`: Jest's cache
 * and the rebuilt workflow bundles. Ctrl-C reaches Jest (same process group); the folder is then
 * kept like on a failure.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outer = os.tmpdir();
const scratch = fs.mkdtempSync(path.join(outer, 'flowstate-tests-'));
// Others may pass through (not list): PostgreSQL, run as the postgres user by the cluster tests,
// reaches its data folder inside.
fs.chmodSync(scratch, 0o711);
// The caches that should outlive the run, one folder per checkout (checkouts with other sources
// must not evict each other's bundles): Jest's (transforms, and the timings it uses to start the
// slowest files first) and the rebuilt workflow bundles.
const caches = path.join(
  outer,
  'flowstate-test-caches',
  createHash('sha256').update(root).digest('hex').slice(0, 12),
);
const args = process.argv.slice(2);
if (!args.some((a) => a.startsWith('--cacheDirectory')))
  args.unshift(`--cacheDirectory=${path.join(caches, 'jest')}`);
const env = {
  ...process.env,
  TMPDIR: scratch,
  FLOWSTATE_BUNDLE_CACHE: process.env.FLOWSTATE_BUNDLE_CACHE || path.join(caches, 'workflow-bundles'),
};

const jest = spawn(path.join(root, 'node_modules', '.bin', 'jest'), args, {
  stdio: 'inherit',
  env,
  cwd: process.cwd(),
});
// Jest gets the terminal's Ctrl-C itself (same process group); a SIGTERM sent to this process alone
// is passed on. Either way this process waits for Jest to finish, then decides.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => jest.kill('SIGTERM'));
jest.on('exit', (code, signal) => {
  const status = code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1);
  if (status === 0) {
    try {
      fs.rmSync(scratch, { recursive: true, force: true });
    } catch (e) {
      process.stderr.write(`jest-scratch: could not remove ${scratch}: ${e.message}\n`);
    }
  } else process.stderr.write(`\njest-scratch: the run's temporary files are kept in ${scratch}\n`);
  process.exit(status);
});
