/** Launches Debian's Chromium with the unpacked extension through playwright-core (no bundled browser). */
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, EXTENSION_DIR, ARTIFACTS_DIR } from './paths.js';

export function tempDir(prefix) {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * @param options.beforeLaunch called with the profile dir before the browser starts (may be async)
 * @param options.env the browser's environment, which the native host it starts inherits
 *   (a test's own LLMCP_HOME and XDG_RUNTIME_DIR)
 * @returns `{context, extensionId, worker, userDataDir, close({keepProfile})}`
 */
export async function launchWithExtension(userDataDir, { beforeLaunch, env } = {}) {
  await beforeLaunch?.(userDataDir);
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    ...(env ? { env } : {}),
    // Playwright's headless for Chromium is the new headless mode, which loads extensions.
    headless: process.env.HEADFUL !== '1',
    viewport: { width: 420, height: 900 },
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent('serviceworker', { timeout: 20_000 });
  const extensionId = new URL(worker.url()).host;
  return {
    context,
    worker,
    extensionId,
    userDataDir,
    async close({ keepProfile = false } = {}) {
      await context.close();
      if (!keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page, name) {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/** Opens an extension page in a tab (the side panel shows the same page). */
export async function openExtensionPage(session, path) {
  const page = await session.context.newPage();
  await page.goto(`chrome-extension://${session.extensionId}/${path}`);
  return page;
}
