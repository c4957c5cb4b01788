/** scripts/temporal-cli.sh: one clear line when Go is missing or TEMPORAL_CLI_PATH is wrong; the cache is reused. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPT = path.resolve(__dirname, '../../scripts/temporal-cli.sh');
const run = (env: NodeJS.ProcessEnv) =>
  spawnSync('bash', [SCRIPT], { env: { HOME: os.tmpdir(), ...env }, encoding: 'utf8' });

test('no cached CLI and no go on PATH: exit 1 with one line saying what to install', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-cache-'));
  const r = run({ PATH: '/usr/bin:/bin', FLOWSTATE_CACHE_DIR: cache });
  expect(r.status).toBe(1);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([
    "flowstate: the Temporal CLI is not built yet and 'go' is not on PATH: install Go 1.25+ (https://go.dev/doc/install) or set TEMPORAL_CLI_PATH to an existing temporal binary",
  ]);
});

test('TEMPORAL_CLI_PATH that is not an executable: exit 1 with one line', () => {
  const r = run({ PATH: '/usr/bin:/bin', TEMPORAL_CLI_PATH: '/nonexistent/temporal' });
  expect(r.status).toBe(1);
  expect(r.stderr.trim()).toBe(
    'flowstate: TEMPORAL_CLI_PATH=/nonexistent/temporal is not an executable file; unset it to build the CLI',
  );
});

test('a CLI already in the versioned cache folder is reused without building', () => {
  const cache = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-cache-'));
  const bin = path.join(cache, 'temporal-cli-v1.5.1', 'temporal');
  fs.mkdirSync(path.dirname(bin), { recursive: true });
  fs.writeFileSync(bin, '#!/bin/sh\n', { mode: 0o755 });
  const r = run({ PATH: '/usr/bin:/bin', FLOWSTATE_CACHE_DIR: cache });
  expect(r.status).toBe(0);
  expect(r.stdout.trim()).toBe(bin);
  expect(r.stderr).toBe('');
});
