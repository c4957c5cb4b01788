/**
 * A real browser for tests: Debian's chromium (installed by scripts/ensure-chromium.sh when
 * missing), driven by playwright-core. Playwright's own browser builds are never downloaded.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const ENSURE_SCRIPT = path.resolve(__dirname, '../../scripts/ensure-chromium.sh');

/** Flags for a quiet, headless, sandbox-less chromium (root in CI) that talks to nobody but the test. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-quic',
  '--no-first-run',
  '--disable-sync',
];

/** Where tests leave screenshots (the last run's are kept for people to look at). */
export const SCREENSHOT_DIR = path.join(os.tmpdir(), 'flowstate-web-ui');

/**
 * Run scripts/ensure-chromium.sh (apt-get installs chromium the first time: allow minutes) and
 * return the binary's path. Rejects with the script's last lines when it fails.
 */
export function ensureChromium(timeoutMs = 15 * 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [ENSURE_SCRIPT],
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const bin = stdout.trim().split('\n').pop() ?? '';
        if (error || !bin) {
          const tail = stderr.trim().split('\n').slice(-10).join('\n');
          reject(
            new Error(
              `scripts/ensure-chromium.sh failed (${error?.message ?? 'no path printed'}):\n${tail}`,
              { cause: error },
            ),
          );
          return;
        }
        resolve(bin);
      },
    );
  });
}

/**
 * Launch headless chromium. Each launch gets a fresh user-data-dir: playwright creates a temporary
 * profile for `launch()` and removes it on `close()`, so no state leaks between runs.
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
}

/** Where a test's pages are drawn and their screenshots go. */
export interface PageOptions {
  viewport?: { width: number; height: number };
  /** Default SCREENSHOT_DIR. */
  dir?: string;
}

/**
 * Run `fn` on a new page (1600x1200 unless `options` say otherwise); when it throws, a full-page
 * screenshot of where it stood goes to <dir>/<name>-failure.png and the error says so. The page is
 * closed either way.
 */
export async function withPage<T>(
  browser: Browser,
  name: string,
  fn: (page: Page) => Promise<T>,
  options: PageOptions = {},
): Promise<T> {
  const page = await browser.newPage({ viewport: options.viewport ?? { width: 1600, height: 1200 } });
  try {
    return await fn(page);
  } catch (e) {
    const shot = await screenshot(page, `${name}-failure`, options.dir).catch(() => undefined);
    if (shot && e instanceof Error) e.message += `\n(screenshot of the page: ${shot}, at ${page.url()})`;
    throw e;
  } finally {
    await page.close();
  }
}

/** Full-page screenshot to <dir>/<name>.png (default SCREENSHOT_DIR); returns its path. */
export async function screenshot(page: Page, name: string, dir = SCREENSHOT_DIR): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
