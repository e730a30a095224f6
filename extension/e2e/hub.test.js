/**
 * Finished model management in a real Chromium against the real host, with a loopback Hub as HF_ENDPOINT:
 *
 *   the token field (Status tab) → the host keeps the token in its config.json, nothing lands in browser storage →
 *   search the Hub from the Models tab → the gated repo with its variants, licence and "Can chat" → pick a variant
 *   and download it (the token opens the gated files) → `llmcp rm` in a terminal → the open panel stops saying
 *   "Downloaded" (live state: models.changed), with no reload.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { RealHost, waitFor } from './helpers/native-host.js';
import { startHubServer } from './helpers/hub-server.js';
import { HOST_JAR } from './helpers/paths.js';

const REPO = 'e2e-org/Tiny-Gated-Chat';
const TOKEN = 'hf_e2eGatedToken0123wxyz';
const MODEL_ID = 'tiny-gated-chat';

let host;
let hub;
let session;
let page;

before(async () => {
  host = new RealHost();
  const modelDir = join(host.root, 'model-repo');
  execFileSync('java', ['-jar', HOST_JAR, 'testmodel', modelDir], { stdio: 'ignore', timeout: 60_000 });
  hub = await startHubServer(modelDir, { repo: REPO, token: TOKEN });
  // The token may go to this Hub only; the engine the browser starts finds the Hub through HF_ENDPOINT.
  const configFile = join(host.home, 'config.json');
  const config = JSON.parse(readFileSync(configFile, 'utf8'));
  writeFileSync(configFile, JSON.stringify({ ...config, fetch: { tokenHosts: [hub.hostPort] } }, null, 2));
  host.env.HF_ENDPOINT = hub.endpoint;
  session = await launchWithExtension(tempDir('llmcp-e2e-hub-profile-'), {
    env: host.env,
    beforeLaunch: (dir) => host.install({ browser: 'chromium', userDataDir: dir }),
  });
  page = await openExtensionPage(session, 'ui/panel.html');
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
});

after(async () => {
  try {
    await session?.close();
  } finally {
    const killed = await host?.shutdown();
    await hub?.close();
    assert.deepEqual(killed ?? [], [], 'every host process ended without being killed');
  }
});

test('the token goes to the host, never into browser storage', async () => {
  await page.locator('#tab-status').click();
  await page.getByTestId('token-status').getByText('No token').waitFor();
  await page.getByTestId('token-input').fill(TOKEN);
  await page.getByTestId('token-save').click();
  await page.getByTestId('token-status').getByText('ends with …wxyz').waitFor({ timeout: 20_000 });
  assert.match(await page.getByTestId('token-status').innerText(), new RegExp(`sent only to ${hub.hostPort.replace(/\./g, '\\.')}`));
  assert.equal(await page.getByTestId('token-input').inputValue(), '', 'the field is emptied once the host has it');

  const saved = JSON.parse(readFileSync(join(host.home, 'config.json'), 'utf8'));
  assert.equal(saved.fetch.token, TOKEN);
  assert.deepEqual(saved.fetch.tokenHosts, [hub.hostPort]);
  const stored = await session.worker.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
  assert.ok(!stored.includes(TOKEN), 'no trace of the token in storage.local');
  await screenshot(page, 'hub-01-token');
});

test('search finds the gated repo with its variants and pulls the chosen one with the token', async () => {
  await page.locator('#tab-catalog').click();
  await page.getByTestId('hub-search-input').fill('gated-chat');
  await page.getByTestId('hub-search-run').click();
  const item = page.locator(`[data-search-repo="${REPO}"]`);
  await item.waitFor({ timeout: 30_000 });
  const text = await item.innerText();
  assert.match(text, /Gated/);
  assert.match(text, /apache-2\.0/);
  assert.match(text, /Can chat/);
  const options = await page.getByTestId(`variant-${REPO}`).locator('option').allInnerTexts();
  assert.ok(options.some((o) => /^fp32 · /.test(o)), `the fp32 variant is offered: ${options}`);
  const search = hub.requests.find((r) => r.path === '/api/models');
  assert.match(search.search, /filter=onnx/);
  assert.match(search.search, /sort=downloads/);
  await screenshot(page, 'hub-02-search');

  await page.getByTestId(`pull-${REPO}`).click();
  // The panel shows the Downloads tab while it pulls; the Models tab's list says Downloaded once it is stored.
  const mine = page.getByTestId('my-models').locator(`[data-model-id="${MODEL_ID}"]`);
  await mine.getByTestId('badge-downloaded').waitFor({ state: 'attached', timeout: 90_000 });
  await page.locator('#tab-catalog').click();
  await mine.getByTestId('badge-downloaded').waitFor();
  const fileRequests = hub.requests.filter((r) => r.path.startsWith(`/${REPO}/resolve/main/`));
  assert.ok(fileRequests.length > 0 && fileRequests.every((r) => r.authorization === `Bearer ${TOKEN}`),
    'every file request carried the token');
  const list = JSON.parse(await host.llmcp(['list', '--json']));
  assert.ok(list.models.some((m) => m.modelId === MODEL_ID && m.complete), 'the engine holds the model');
});

test('a model removed with `llmcp rm` in a terminal stops saying Downloaded in the open panel', async () => {
  const mine = page.getByTestId('my-models').locator(`[data-model-id="${MODEL_ID}"]`);
  await mine.getByTestId('badge-downloaded').waitFor();
  await host.llmcp(['rm', MODEL_ID]);
  await waitFor(async () => (await mine.getByTestId('badge-downloaded').count()) === 0, 'the Downloaded badge to go', { timeoutMs: 15_000 });
  assert.match(await mine.innerText(), /Not downloaded/);
  assert.equal(await mine.getByTestId(`download-${MODEL_ID}`).isEnabled(), true, 'it can be downloaded again');
  await screenshot(page, 'hub-03-removed-elsewhere');
});
