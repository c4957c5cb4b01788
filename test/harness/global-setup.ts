/**
 * Jest global setup for integration tests: ONE real Temporal dev server (the locally built CLI, on
 * free ports) and ONE workflow bundle per test run, the worker's own (`workflowBundleFor`: the
 * prebuilt `dist/workflow-bundle.js` while the sources match it, else a rebuild cached until they
 * change). Test files read them from the environment.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startDevServer, type DevServer } from '../../src/server/dev-server';
import { workflowBundleFor } from '../../src/workflow-bundle';

declare global {
  var __FLOWSTATE_SERVER__: DevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowstate-test-'));
  const [server, bundle] = await Promise.all([
    process.env.FLOWSTATE_TEST_ADDRESS
      ? undefined
      : startDevServer({ ui: false, logFile: path.join(dir, 'server.log') }),
    workflowBundleFor(),
  ]);
  const bundlePath = bundle.codePath;
  if (server) {
    globalThis.__FLOWSTATE_SERVER__ = server;
    process.env.FLOWSTATE_TEST_ADDRESS = server.address;
  }
  process.env.FLOWSTATE_TEST_BUNDLE = bundlePath;
  process.env.FLOWSTATE_TEST_DIR = dir;
  process.stderr.write(
    `\nflowstate test harness: Temporal dev server on ${process.env.FLOWSTATE_TEST_ADDRESS}, bundle ready (${Date.now() - started} ms)\n`,
  );
}
