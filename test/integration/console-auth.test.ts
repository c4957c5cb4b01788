/**
 * The console's gate panel when the worker verifies deciders (FLOWSTATE_AUTH_HS256_SECRET): a viewer
 * without a token, or with a forged or expired one, cannot decide and the page says why (the run's
 * whole `state` unchanged); the session's token of a member of an acceptor group decides, and the
 * decisions list shows the verified subject. `flowstate console` runs as a process, as a user runs it.
 */
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { FlowstateClient } from '../../src/client';
import { useTestEnv } from '../harness/env';
import { compileYaml } from '../harness/definitions';
import { ensureChromium, launchChromium, screenshot, withPage } from '../harness/browser';
import { startConsoleOnFreshPage, type ConsoleProcess } from '../harness/console-process';
import { spawnWorker, type WorkerProcess } from '../harness/worker-process';
import { eventually } from '../harness/eventually';
import { hs256Token } from '../harness/tokens';

const SHOTS = path.join(os.tmpdir(), 'flowstate-console');
const VIEW = { viewport: { width: 1280, height: 800 }, dir: SHOTS };
const SECRET = 'console-auth-test-secret-of-32-bytes+++';
const UI_TIMEOUT = 20_000;

const review = compileYaml(`
id: console-review
version: 1.0.0
tasks:
  - id: contract
    tool: echo
    with: { text: draft }
    acceptance: { acceptors: [alice, "group:legal"], on_reject: fail }
`);

/** An HS256 token; `exp` in seconds from now (negative: expired), signed with `key`. */
function token(sub: string, groups: string[], options: { exp?: number; key?: string } = {}): Promise<string> {
  return hs256Token(options.key ?? SECRET, { sub, groups }, options);
}

const env = useTestEnv();
let browser: Browser;
let consoleProcess: ConsoleProcess;
let worker: WorkerProcess;
let client: FlowstateClient;

beforeAll(async () => {
  const chromium = ensureChromium();
  chromium.catch(() => undefined);
  const queue = `${env.taskQueue}-verified`;
  worker = await spawnWorker({
    address: env.address,
    taskQueue: queue,
    env: { FLOWSTATE_AUTH_HS256_SECRET: SECRET },
  });
  client = new FlowstateClient(env.client, { address: env.address, namespace: 'default', taskQueue: queue });
  consoleProcess = await startConsoleOnFreshPage(env.processEnv());
  browser = await launchChromium(await chromium);
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await consoleProcess?.stop();
  await worker?.stop();
});

/** Press Approve with the session's token set to `value` (empty: none); the page's answer. */
async function approveWith(page: Page, value: string): Promise<string> {
  await page.getByLabel(/Your token/).fill(value);
  await page.getByLabel('Decide as').fill('alice');
  const answer = page.locator('.gate [role="alert"], .gate [role="status"]').first();
  const previous = (await answer.count()) ? await answer.textContent() : undefined;
  await page.getByRole('button', { name: 'Approve contract' }).click();
  // Each refusal says something else: wait for the new answer.
  return eventually(
    async () => ((await answer.count()) ? ((await answer.textContent()) ?? '') : ''),
    (text) => text !== '' && text !== previous,
    UI_TIMEOUT,
  );
}

test('with verification on, a viewer without a valid token cannot decide and sees why; a member of group:legal decides', async () => {
  const { workflowId } = await client.start(review, {});
  const before = await eventually(
    () => client.state(workflowId),
    (s) => s.pending_gates.length === 1,
  );
  await withPage(
    browser,
    'console-verified',
    async (page) => {
      await page.goto(`${consoleProcess.url}/runs/${workflowId}`, { waitUntil: 'load' });
      await page.getByRole('button', { name: 'Approve contract' }).waitFor({ timeout: UI_TIMEOUT });

      expect(await approveWith(page, '')).toMatch(/^Not decided: refused \[Unauthenticated\]: no token/);
      await screenshot(page, 'verified-no-token', SHOTS);
      expect(
        await approveWith(page, await token('alice', [], { key: 'forged-secret-forged-secret-forged-32' })),
      ).toMatch(/^Not decided: refused \[Unauthenticated\]/);
      expect(await approveWith(page, await token('alice', [], { exp: -60 }))).toMatch(
        /^Not decided: refused \[Unauthenticated\]: .*expired/,
      );
      expect(await approveWith(page, await token('mallory', ['sales']))).toMatch(
        /^Not decided: refused \[NotAnAcceptor\]/,
      );
      await screenshot(page, 'verified-not-an-acceptor', SHOTS);
      expect(await client.state(workflowId)).toEqual(before);

      // The token stays in this page's session: a reload keeps it, and it decides as its subject.
      await page.getByLabel(/Your token/).fill(await token('bob', ['legal']));
      await page.reload({ waitUntil: 'load' });
      await page.getByRole('button', { name: 'Approve contract' }).waitFor({ timeout: UI_TIMEOUT });
      await page.getByRole('button', { name: 'Approve contract' }).click();
      await page.getByTestId('run-status').getByText('completed').waitFor({ timeout: UI_TIMEOUT });
      await page.getByText(/contract approve by bob \(verified\)/).waitFor({ timeout: UI_TIMEOUT });
      const after = await client.state(workflowId);
      expect(after.decisions).toEqual([
        expect.objectContaining({ gate: 'contract', decision: 'approve', decided_by: 'bob', verified: true }),
      ]);
      process.stderr.write(`console test: ${await screenshot(page, 'verified-decided', SHOTS)}\n`);
    },
    VIEW,
  );
});
