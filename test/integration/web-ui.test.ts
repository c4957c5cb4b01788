/**
 * The Web UI tells the story, checked in a real browser: a dev server WITH its Web UI (the harness
 * server is headless), a worker, one finished run of parallel-analysis and one run of
 * document-approval waiting at its gate, a contract-review run with its subflow child; Debian's chromium (driven by playwright-core) opens the
 * run's history page and the workflow list filtered by Flowstate's search attributes.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { NativeConnection, type Worker } from '@temporalio/worker';
import type { Browser, Page } from 'playwright-core';
import { FlowstateClient, type RunRef } from '../../src/client';
import { startDevServer, type DevServer } from '../../src/server/dev-server';
import { createWorker } from '../../src/worker';
import { exampleTools } from '../../examples/tools';
import { loadExample } from '../harness/definitions';
import { ensureChromium, launchChromium, screenshot, withPage } from '../harness/browser';
import { eventually } from '../harness/eventually';

/** The UI renders client-side and keeps polling running workflows: wait for text, never for network idle. */
const UI_TIMEOUT = 20_000;

describe('the Temporal Web UI shows Flowstate runs', () => {
  let server: DevServer;
  let uiUrl: string;
  let connection: NativeConnection;
  let worker: Worker;
  let running: Promise<void>;
  let client: FlowstateClient;
  let browser: Browser;
  let done: RunRef;
  let gated: RunRef;
  let hash: string;

  beforeAll(async () => {
    const started = Date.now();
    // Installing chromium (minutes the first time) overlaps with the server and the two runs.
    const chromiumReady = ensureChromium();
    chromiumReady.catch(() => undefined);
    const dir = fs.mkdtempSync(path.join(process.env.FLOWSTATE_TEST_DIR ?? os.tmpdir(), 'web-ui-'));
    server = await startDevServer({ ui: true, logFile: path.join(dir, 'server.log') });
    uiUrl = server.uiUrl!;
    const taskQueue = `web-ui-${randomUUID().slice(0, 8)}`;
    connection = await NativeConnection.connect({ address: server.address });
    const bundle = process.env.FLOWSTATE_TEST_BUNDLE;
    worker = await createWorker({
      connection,
      taskQueue,
      tools: exampleTools,
      ...(bundle ? { workflowBundle: { codePath: bundle } } : {}),
    });
    running = worker.run();
    client = await FlowstateClient.connect({ address: server.address, namespace: 'default', taskQueue });

    const analysis = await loadExample('parallel-analysis');
    hash = analysis.hash;
    done = await client.start(analysis, { repo: 'acme/payments' });
    await client.result(done.workflowId);
    gated = await client.start(await loadExample('document-approval'), { title: 'Flowstate in production' });
    await eventually(
      () => client.state(gated.workflowId),
      (s) => s.pending_gates.length === 1,
    );
    // The UI reads the visibility store: wait until both runs' FlowstateStatus is current there.
    await eventually(
      () => client.list({ status: 'waiting_acceptance' }),
      (runs) => runs.some((r) => r.workflowId === gated.workflowId),
    );
    await eventually(
      () => client.list({ status: 'completed' }),
      (runs) => runs.some((r) => r.workflowId === done.workflowId),
    );

    browser = await launchChromium(await chromiumReady);
    process.stderr.write(
      `web-ui test: server, runs and chromium ready in ${Date.now() - started} ms (Web UI ${uiUrl})\n`,
    );
  }, 20 * 60_000);

  afterAll(async () => {
    await browser?.close();
    if (worker) {
      worker.shutdown();
      await running;
    }
    await connection?.close();
    await client?.close();
    await server?.stop();
  });

  const historyUrl = (run: RunRef) =>
    `${uiUrl}/namespaces/default/workflows/${encodeURIComponent(run.workflowId)}/${run.runId}/history`;
  const listUrl = (query: string) =>
    `${uiUrl}/namespaces/default/workflows?query=${encodeURIComponent(query)}`;
  const shows = (page: Page, text: string | RegExp) =>
    page.getByText(text).first().waitFor({ state: 'attached', timeout: UI_TIMEOUT });
  /** Markdown (summary, details) is rendered in iframes of the UI's own /render page. */
  const rendersMarkdown = (page: Page, text: string) =>
    eventually(
      () =>
        Promise.all(
          page
            .frames()
            .filter((f) => f !== page.mainFrame())
            .map((f) => f.innerText('body').catch(() => '')),
        ),
      (texts) => texts.some((t) => t.includes(text)),
      UI_TIMEOUT,
    );

  test('run ids are <definition>-<short id>', () => {
    expect(done.workflowId).toMatch(/^parallel-analysis-[0-9a-f]{8}$/);
    expect(gated.workflowId).toMatch(/^document-approval-[0-9a-f]{8}$/);
  });

  test("a run's history page names every task by path and type, and the definition it runs", async () => {
    await withPage(browser, 'history', async (page) => {
      await page.goto(historyUrl(done), { waitUntil: 'load' });
      await page
        .getByTestId('workflow-id-heading')
        .getByText(done.workflowId)
        .waitFor({ timeout: UI_TIMEOUT });
      // The timeline labels activities `<type> • <summary>`; local activities (aggregate, parallel)
      // carry their summary in the event table below it.
      for (const kind of ['security', 'style', 'deps']) {
        await shows(page, new RegExp(`createTaskState\\s*[•·]\\s*analyse/${kind} \\(basic\\)`));
      }
      for (const summary of ['analyse (parallel)', 'merge (aggregate)']) await shows(page, summary);
      // The static summary, in the WorkflowExecutionStarted event's details.
      await shows(page, 'parallel-analysis@1.2.0');
      const file = await screenshot(page, 'history');
      process.stderr.write(`web-ui test: history page screenshot: ${file}\n`);
    });
  });

  test("the run's user metadata: summary definition@version, details with the hash", async () => {
    await withPage(browser, 'user-metadata', async (page) => {
      await page.goto(historyUrl(done).replace(/\/history$/, '/user-metadata'), { waitUntil: 'load' });
      await rendersMarkdown(page, 'parallel-analysis@1.2.0');
      await rendersMarkdown(page, `Flowstate run of parallel-analysis@1.2.0 (sha256 ${hash.slice(0, 12)})`);
      await rendersMarkdown(page, 'Analyse a repository from three angles at once and merge the findings.');
      // "Events with Metadata": every task's summary, local activities included.
      for (const summary of ['analyse (parallel)', 'analyse/security (basic)', 'merge (aggregate)'])
        await shows(page, summary);
    });
  });

  test("a subflow's child run links to its parent, and the parent to its child (contract-review)", async () => {
    const parent = await client.start(await loadExample('contract-review'), { customer: 'Acme' });
    await eventually(
      () => client.state(parent.workflowId),
      (s) => s.pending_gates.some((g) => g.gate === 'review/check'),
    );
    const childId = `${parent.workflowId}/review`;
    const child = await client.describe(childId);
    const linkTo = (page: Page, workflowId: string) =>
      page
        .locator(`a[href*="/workflows/${encodeURIComponent(workflowId)}/"]`)
        .first()
        .waitFor({ state: 'attached', timeout: UI_TIMEOUT });
    await withPage(browser, 'subflow-child', async (page) => {
      await page.goto(historyUrl({ workflowId: childId, runId: child.runId }), { waitUntil: 'load' });
      await page.getByTestId('workflow-id-heading').getByText(childId).waitFor({ timeout: UI_TIMEOUT });
      await linkTo(page, parent.workflowId);
      process.stderr.write(
        `web-ui test: subflow child screenshot: ${await screenshot(page, 'subflow-child')}\n`,
      );
    });
    await withPage(browser, 'subflow-parent', async (page) => {
      await page.goto(historyUrl(parent).replace(/\/history$/, '/relationships'), { waitUntil: 'load' });
      await page
        .getByTestId('workflow-id-heading')
        .getByText(parent.workflowId)
        .waitFor({ timeout: UI_TIMEOUT });
      // The Relationships tab lists the child.
      await shows(page, childId);
      process.stderr.write(
        `web-ui test: subflow parent screenshot: ${await screenshot(page, 'subflow-parent')}\n`,
      );
    });
    await client.decide(parent.workflowId, { gate: 'review/check', decision: 'approve', by: 'lawyer' });
    expect((await client.result(parent.workflowId)).output).toMatchObject({
      to: 'Acme',
      checked_by: 'legal',
    });
  });

  test('the list filtered by FlowstateStatus="waiting_acceptance" shows the gated run, not the finished one', async () => {
    await withPage(browser, 'list-waiting', async (page) => {
      await page.goto(listUrl('FlowstateStatus="waiting_acceptance"'), { waitUntil: 'load' });
      await page.getByRole('link', { name: gated.workflowId, exact: true }).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByText(done.workflowId).count()).toBe(0);
    });
  });

  test('the list filtered by definition and pending gate shows only that run', async () => {
    await withPage(browser, 'list-definition', async (page) => {
      await page.goto(listUrl('FlowstateDefinition="parallel-analysis"'), { waitUntil: 'load' });
      await page.getByRole('link', { name: done.workflowId, exact: true }).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByText(gated.workflowId).count()).toBe(0);

      await page.goto(listUrl('FlowstatePendingGate="draft"'), { waitUntil: 'load' });
      await page.getByRole('link', { name: gated.workflowId, exact: true }).waitFor({ timeout: UI_TIMEOUT });
      expect(await page.getByText(done.workflowId).count()).toBe(0);
    });
  });
});
