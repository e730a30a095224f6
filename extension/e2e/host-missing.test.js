/** Without a registered host the panel says so and gives the exact fix. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';

test('no native host: the panel explains and shows install/install.sh', async () => {
  const session = await launchWithExtension(tempDir('llmcp-e2e-nohost-'));
  try {
    const page = await openExtensionPage(session, 'ui/panel.html');
    await page.getByTestId('host-missing').waitFor({ timeout: 30_000 });
    const text = await page.getByTestId('host-missing').innerText();
    assert.match(text, /not installed/);
    assert.match(text, /Specified native messaging host not found/);
    assert.equal(await page.getByTestId('install-command').innerText(), 'install/install.sh');
    assert.equal(await page.getByTestId('host-pill').innerText(), 'Host not connected');
    await screenshot(page, '00-host-missing');
    // Reconnect is a real button that works from the keyboard and reports the same state.
    await page.getByRole('button', { name: 'Reconnect' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('host-missing').waitFor({ timeout: 30_000 });
  } finally {
    await session.close();
  }
});
