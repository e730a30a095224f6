/**
 * The extension in a real Chromium against the real host: it loads with the pinned id, its background
 * reaches the host through the native port that the project's installer registered for the test profile
 * (proxy → the per-user engine), and the panel and popup show the host's own version and provider.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { RealHost, waitFor } from './helpers/native-host.js';
import { PINNED_CHROME_ID } from './helpers/paths.js';

let session;
let host;
let home;
let expected;
let installed;

before(async () => {
  host = new RealHost();
  home = host.home;
  session = await launchWithExtension(tempDir('llmcp-e2e-profile-'), {
    env: host.env,
    beforeLaunch: async (dir) => { installed = await host.install({ browser: 'chromium', userDataDir: dir }); },
  });
  // The installed `llmcp` command, a client of the same engine the browser's proxy uses.
  expected = await host.info();
});

after(async () => {
  try {
    await session?.close();
  } finally {
    const killed = await host?.shutdown();
    assert.deepEqual(killed ?? [], [], 'every host process ended without being killed');
  }
});

test('the unpacked extension has the id pinned by its key, which the installer allowed', async () => {
  assert.equal(session.extensionId, PINNED_CHROME_ID);
  assert.equal(installed.manifestPath, `${session.userDataDir}/NativeMessagingHosts/io.llmcp.host.json`);
  assert.deepEqual(installed.browsers, ['chromium']);
  const manifest = JSON.parse(readFileSync(installed.manifestPath, 'utf8'));
  assert.deepEqual(manifest.allowed_origins, [`chrome-extension://${PINNED_CHROME_ID}/`]);
  assert.equal(manifest.path, host.launcher);
});

test('the panel shows the host connected, with the host\'s version and provider', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html');
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('host-state').innerText(), 'Connected');
  assert.equal(await page.getByTestId('host-version').innerText(), `${expected.name} ${expected.version}`);
  const provider = await page.getByTestId('host-provider').innerText();
  const providers = expected.onnxruntime.providers;
  assert.match(provider, providers.includes('CUDA') ? /^CUDA/ : /^CPU/);
  assert.match(provider, new RegExp(`available: ${providers.join(', ')}`));
  assert.match(await page.locator('#panel-status').innerText(), new RegExp(home.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
    'the host runs with the LLMCP_HOME the launcher set');
  assert.equal(await page.getByTestId('host-pill').innerText(), 'Connected');
  assert.equal(await page.getByTestId('host-pill').getAttribute('title'), `llmcp ${expected.version} is connected`);
  // host.info is answered by the engine; the browser reached it through a proxy the browser started.
  const status = await session.worker.evaluate(() => globalThis.llmcp.status.current);
  assert.equal(status.info.pid, expected.pid, 'the browser and the CLI share one engine');
  assert.deepEqual(host.enginePids(), [expected.pid]);
  assert.equal(host.proxyPids().length, 1, 'one native-messaging proxy for the browser');
  const engine = await host.engineStatus();
  assert.ok(engine.clients.some((c) => c.kind === 'browser' && c.origin === `chrome-extension://${PINNED_CHROME_ID}/`),
    `the engine knows the browser client by its origin: ${JSON.stringify(engine.clients)}`);
  await screenshot(page, '01-status-connected');
  await page.close();
});

test('every section renders and is reachable with the keyboard alone', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html');
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
  await page.locator('#tab-status').focus();
  const names = ['catalog', 'downloads', 'storage', 'chat', 'settings'];
  for (const name of names) {
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.evaluate(() => document.activeElement.id), `tab-${name}`);
    assert.equal(await page.locator(`#tab-${name}`).getAttribute('aria-selected'), 'true');
    assert.equal(await page.locator(`#panel-${name}`).isVisible(), true);
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
    assert.notEqual(outline, 'none', 'keyboard focus is visible');
    await screenshot(page, `02-${name}`);
  }
  // Every control has a name a screen reader can read.
  const unnamed = await page.evaluate(() => [...document.querySelectorAll('button, input, select, textarea')]
    .filter((el) => {
      const labelled = el.labels?.length || el.getAttribute('aria-label') || el.getAttribute('aria-labelledby') || el.textContent.trim();
      return !labelled && el.type !== 'hidden';
    })
    .map((el) => el.outerHTML.slice(0, 80)));
  assert.deepEqual(unnamed, []);
  await page.close();
});

test('the catalog lists the known-good models and the add form refuses a non-loopback http URL', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html#catalog');
  const ids = await page.locator('[data-catalog-id]').evaluateAll((els) => els.map((e) => e.dataset.catalogId));
  for (const id of ['smollm2-135m-instruct', 'qwen2.5-0.5b-instruct', 'all-minilm-l6-v2']) assert.ok(ids.includes(id), id);
  await page.fill('#add-url', 'http://example.com/model/');
  await page.fill('#add-modelFileName', '../escape.onnx');
  await page.getByTestId('add-submit').click();
  assert.match(await page.locator('#add-url-error').innerText(), /https/);
  assert.match(await page.locator('#add-modelFileName-error').innerText(), /\.\./);
  assert.equal(await page.locator('#add-url').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'add-url', 'focus moves to the first bad field');
  const models = await session.worker.evaluate(() => globalThis.llmcp.models.list());
  assert.deepEqual(models, [], 'nothing was stored');
  await screenshot(page, '03-add-form-errors');
  await page.close();
});

test('the theme toggle switches to dark and is remembered', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html');
  await page.locator('#theme-toggle').click(); // system → light
  await page.locator('#theme-toggle').click(); // light → dark
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await page.reload();
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
  await screenshot(page, '04-status-dark');
  await page.locator('#theme-toggle').click(); // dark → system
  await page.close();
});

test('the popup shows the status and offers the panel', async () => {
  const page = await openExtensionPage(session, 'ui/popup.html');
  await page.getByTestId('popup-status').getByText('Connected').waitFor({ timeout: 60_000 });
  assert.match(await page.getByTestId('popup-status').innerText(), new RegExp(`llmcp ${expected.version}`));
  assert.equal(await page.getByRole('button', { name: 'Open panel' }).isVisible(), true);
  await screenshot(page, '05-popup');
  await page.close();
});

test('"Open panel" in the popup opens the Chrome side panel', async () => {
  const cdp = await session.context.browser().newBrowserCDPSession();
  const panelTargets = async () => (await cdp.send('Target.getTargets')).targetInfos
    .filter((t) => t.url.startsWith(`chrome-extension://${session.extensionId}/ui/panel.html`)).length;
  const page = await openExtensionPage(session, 'ui/popup.html');
  await page.getByTestId('popup-status').getByText('Connected').waitFor({ timeout: 60_000 });
  const before = await panelTargets();
  await page.getByRole('button', { name: 'Open panel' }).click();
  const end = Date.now() + 10_000;
  while (Date.now() < end && (await panelTargets()) === before) await new Promise((r) => setTimeout(r, 100));
  assert.equal(await panelTargets(), before + 1, 'the side panel shows ui/panel.html');
  await cdp.detach();
});

test('closing the browser ends its proxy; the engine stays until `llmcp engine stop`', async () => {
  const [proxy] = host.proxyPids();
  const [engine] = host.enginePids();
  await session.close();
  session = null;
  await waitFor(() => host.proxyPids().length === 0, 'the proxy to exit after the browser closed its port', { timeoutMs: 15_000 });
  const status = await host.engineStatus();
  assert.equal(status.pid, engine, `the engine keeps running (proxy ${proxy} ended)`);
  assert.ok(status.clients.every((c) => c.kind !== 'browser' && !String(c.origin).startsWith('chrome-extension:')),
    `no browser client is left: ${JSON.stringify(status.clients)}`);
  await host.llmcp(['engine', 'stop']);
  await waitFor(() => host.enginePids().length === 0, 'the engine to exit after `llmcp engine stop`', { timeoutMs: 30_000 });
});
