/**
 * A rolling upgrade with Worker Deployment Versioning on the harness's server (the body is
 * test/harness/rolling-upgrade.ts, which test:cluster runs against the PostgreSQL cluster too): runs
 * wait at a gate on build A, build B (an interpreter change behind patched()) becomes current, the
 * gates are approved, and each run completes on the build its versioning behavior says, its history
 * replaying on that build's bundle.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { rollingUpgrade } from '../harness/rolling-upgrade';

const options = () => ({
  address: process.env.FLOWSTATE_TEST_ADDRESS!,
  bundleA: process.env.FLOWSTATE_TEST_BUNDLE!,
  dir: fs.mkdtempSync(path.join(process.env.FLOWSTATE_TEST_DIR ?? os.tmpdir(), 'rolling-upgrade-')),
});

/** One stderr line of where the time went (ms per phase). */
const report = (behavior: string, timings: Record<string, number>) =>
  process.stderr.write(`rolling upgrade (${behavior}): ${JSON.stringify(timings)}\n`);

test("auto-upgrade (the default): runs started on A finish on B on the patch's old branch; runs started on B take the new one", async () => {
  report('auto-upgrade', await rollingUpgrade({ ...options(), behavior: 'auto-upgrade' }));
}, 360_000);

test('pinned: runs started on A finish on A while new runs start on B', async () => {
  report('pinned', await rollingUpgrade({ ...options(), behavior: 'pinned' }));
}, 360_000);
