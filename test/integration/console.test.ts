/**
 * `flowstate console` in a real browser: the bin started as a process (the page built from the
 * current sources), a worker, real runs; Debian's chromium (playwright-core) at 1280x800. A run's
 * page shows every task of parallel-analysis and discovery-to-architecture in the states the `state`
 * query gives, a running collection's counts change on the page without a reload, and approving
 * from the gate panel completes the run. Screenshots go to <tmp>/flowstate-console.
 */
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { useTestEnv } from '../harness/env';
import { loadExample } from '../harness/definitions';
import { ensureChromium, launchChromium, screenshot, withPage } from '../harness/browser';
import { startConsoleOnFreshPage, type ConsoleProcess } from '../harness/console-process';
import { eventually } from '../harness/eventually';
import { exampleTools } from '../../examples/tools';
import type { RunState } from '../../src/client';

const SHOTS = path.join(os.tmpdir(), 'flowstate-console');
const VIEW = { viewport: { width: 1280, height: 800 }, dir: SHOTS };
const UI_TIMEOUT = 20_000;

const env = useTestEnv({ tools: exampleTools });
let browser: Browser;
let consoleProcess: ConsoleProcess;

beforeAll(async () => {
  const chromium = ensureChromium();
  chromium.catch(() => undefined);
  consoleProcess = await startConsoleOnFreshPage(env.processEnv());
  browser = await launchChromium(await chromium);
}, 20 * 60_000);

afterAll(async () => {
  await browser?.close();
  await consoleProcess?.stop();
});

/** The task rows of the run page: path → the state it shows (data-state) and its words. */
async function rows(page: Page): Promise<Map<string, { state: string; label: string }>> {
  const found = await page.$$eval('[data-testid="task-row"]', (trs) =>
    trs.map((tr) => [
      tr.getAttribute('data-path')!,
      tr.getAttribute('data-state')!,
      tr.querySelector('[data-testid="task-state"]')!.textContent!,
    ]),
  );
  return new Map(found.map(([p, state, label]) => [p, { state, label }]));
}

/** What the `state` query says of one task path that ran once (the expectations of the page). */
function expected(state: RunState, path: string): string {
  if (state.pending_gates.some((g) => g.gate === path)) return 'gate';
  if (state.running.includes(path)) return 'running';
  if (state.completed.includes(path)) return 'done';
  return 'pending';
}

const openRun = async (page: Page, id: string) => {
  await page.goto(`${consoleProcess.url}/runs/${id}`, { waitUntil: 'load' });
  await page.locator('[data-testid="task-row"]').first().waitFor({ timeout: UI_TIMEOUT });
};

test('the API names the problem: a run that does not exist', async () => {
  const res = await fetch(`${consoleProcess.url}/api/runs/no-such-run`);
  expect(res.status).toBe(404);
  expect(await res.json()).toEqual({ error: "no run with id 'no-such-run' (see the runs page)" });
});

test("a finished parallel-analysis run: every task on the graph and in the list, in the state query's states", async () => {
  const { workflowId } = await env.start(await loadExample('parallel-analysis'), { repo: 'acme/payments' });
  await env.flowstate.result(workflowId);
  const state = await env.flowstate.state(workflowId);
  await withPage(
    browser,
    'parallel-analysis',
    async (page) => {
      await openRun(page, workflowId);
      await page.getByTestId('run-status').getByText('completed').waitFor({ timeout: UI_TIMEOUT });
      const shown = await rows(page);
      expect([...shown.keys()]).toEqual([
        'analyse',
        'analyse/security',
        'analyse/style',
        'analyse/deps',
        'merge',
      ]);
      for (const [p, { state: s }] of shown) expect(s).toBe(expected(state, p));
      expect([...shown.values()].every((r) => r.label === 'done')).toBe(true);
      // The graph draws each task with its state in words, the branches inside their parallel.
      for (const p of shown.keys())
        await page
          .locator(`.react-flow__node[data-id="${p}"]`)
          .getByText('done')
          .first()
          .waitFor({ timeout: UI_TIMEOUT });
      // A task's output, by keyboard: the list's button selects it.
      await page.getByRole('button', { name: 'analyse/security', exact: true }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'Task analyse/security' }).waitFor();
      await page.getByText('"items"').first().waitFor({ timeout: UI_TIMEOUT });
      // Its input as the definition gives it, beside the output.
      expect(await page.getByLabel('input of analyse/security').textContent()).toContain(
        '"{{ input.repo }}"',
      );
      process.stderr.write(`console test: ${await screenshot(page, 'parallel-analysis', SHOTS)}\n`);

      // The runs page, filtered by definition, links to the run.
      await page.goto(`${consoleProcess.url}/?definition=parallel-analysis`, { waitUntil: 'load' });
      await page.getByRole('link', { name: workflowId }).click();
      await page.getByRole('heading', { name: `Run ${workflowId}` }).waitFor({ timeout: UI_TIMEOUT });
    },
    VIEW,
  );
});

test('discovery-to-architecture: the states match the state query, the collection updates live, the gate panel completes the run', async () => {
  const { workflowId } = await env.start(await loadExample('discovery-to-architecture'), {
    product: 'Shop',
    epics: 2,
  });
  const waitingAt = (gates: string[]) =>
    eventually(
      () => env.flowstate.state(workflowId),
      (s) =>
        s.pending_gates
          .map((g) => g.gate)
          .sort()
          .join() === gates.join(),
    );
  await waitingAt(['discovery']);
  await withPage(
    browser,
    'discovery-to-architecture',
    async (page) => {
      await openRun(page, workflowId);
      await page.getByTestId('run-status').getByText('waiting_acceptance').waitFor({ timeout: UI_TIMEOUT });
      const state = await env.flowstate.state(workflowId);
      const shown = await rows(page);
      expect([...shown.keys()]).toEqual([
        'discovery',
        'backlog',
        'architecture',
        'architecture/design',
        'summary',
      ]);
      for (const p of ['discovery', 'backlog', 'architecture', 'summary'])
        expect(shown.get(p)?.state).toBe(expected(state, p));
      expect(shown.get('discovery')?.label).toBe('waiting at gate');
      await screenshot(page, 'discovery-gate', SHOTS);

      // Decided elsewhere (the API): the page follows without a reload.
      await env.flowstate.decide(workflowId, { gate: 'discovery', decision: 'approve', by: 'product-owner' });
      await waitingAt(['backlog']);
      await env.flowstate.decide(workflowId, { gate: 'backlog', decision: 'approve', by: 'product-owner' });
      await waitingAt(['architecture[epic-1]', 'architecture[epic-2]']);
      const design = page.locator('.react-flow__node[data-id="architecture/design"]');
      await design.getByText('2 waiting at gate of 2').waitFor({ timeout: UI_TIMEOUT });
      await screenshot(page, 'collection-two-gates', SHOTS);
      await env.flowstate.decide(workflowId, {
        gate: 'architecture[epic-2]',
        decision: 'approve',
        by: 'architect',
      });
      await design.getByText('1 waiting at gate · 1 done of 2').waitFor({ timeout: UI_TIMEOUT });
      await page
        .locator('[data-testid="task-row"][data-path="architecture"]')
        .getByText('1 done', { exact: false })
        .waitFor();
      await screenshot(page, 'collection-one-done', SHOTS);

      // The architect's inbox (another page) lists the gate still open, not the one decided.
      await withPage(
        browser,
        'inbox',
        async (inbox) => {
          await inbox.goto(`${consoleProcess.url}/inbox?me=architect`, { waitUntil: 'load' });
          const row = inbox.getByRole('row').filter({ hasText: workflowId });
          await row.getByText('architecture[epic-1]').waitFor({ timeout: UI_TIMEOUT });
          expect(await inbox.getByText('architecture[epic-2]').count()).toBe(0);
          await screenshot(inbox, 'inbox-architect', SHOTS);
        },
        VIEW,
      );

      // Approve the last gate from the gate panel, as the architect.
      await page.getByLabel('Decide as').fill('architect');
      await page.getByLabel('Comment').fill('looks right');
      await page.getByRole('button', { name: 'Approve architecture[epic-1]' }).click();
      await page.getByTestId('run-status').getByText('completed').waitFor({ timeout: UI_TIMEOUT });
      const result = await env.flowstate.result(workflowId);
      expect((result.output as { epics: string[] }).epics).toEqual(['epic-1', 'epic-2']);
      const final = await env.flowstate.state(workflowId);
      expect(final.decisions.at(-1)).toMatchObject({
        gate: 'architecture[epic-1]',
        decided_by: 'architect',
        comment: 'looks right',
      });
      const after = await rows(page);
      for (const { state: s } of after.values()) expect(s).toBe('done');
      await page
        .getByText(/architecture\[epic-1\].*approve by architect \(not verified\): looks right/)
        .waitFor();
      process.stderr.write(`console test: ${await screenshot(page, 'discovery-completed', SHOTS)}\n`);
    },
    VIEW,
  );
});
