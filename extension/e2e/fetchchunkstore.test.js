/**
 * The original design's storage API (lib/fetchchunkstore.js) in a real Chromium against the real host, with
 * no set-up call: imported in the panel page with `await import('/lib/fetchchunkstore.js')` (calls go
 * through the page's runtime port to the service worker) and used in the service worker itself (calls go
 * straight to the native port's owner). The model is the project's tiny test model (`llmcp testmodel`)
 * served from a loopback server in Hugging Face's URL form.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { RealHost } from './helpers/native-host.js';
import { startModelServer } from './helpers/model-server.js';
import { HOST_JAR } from './helpers/paths.js';

let host;
let session;
let server;
let page;

const sw = (fn, arg) => session.worker.evaluate(fn, arg);

before(async () => {
  host = new RealHost();
  const modelDir = join(host.root, 'model-repo');
  execFileSync('java', ['-jar', HOST_JAR, 'testmodel', modelDir], { stdio: 'ignore', timeout: 60_000 });
  server = await startModelServer(modelDir, { prefix: '/e2e/fcs-tiny/resolve/main/' });
  session = await launchWithExtension(tempDir('llmcp-e2e-fcs-profile-'), {
    env: host.env,
    beforeLaunch: (dir) => host.install({ browser: 'chromium', userDataDir: dir }),
  });
  page = await openExtensionPage(session, 'ui/panel.html');
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
  await page.locator('#tab-catalog').click();
});

after(async () => {
  try {
    await session?.close();
  } finally {
    const killed = await host?.shutdown();
    await server?.close();
    assert.deepEqual(killed ?? [], [], 'every host process ended without being killed');
  }
});

test('in the panel: OnnxModelFetch(config) → hasModelData → load → loadModelConfig, against the real host', async () => {
  const config = { modelId: 'fcs-tiny', name: 'FCS Tiny', url: server.url, modelFileName: 'onnx/model.onnx', configFileName: 'config.json' };
  const got = await page.evaluate(async (cfg) => {
    const fcs = await import('/lib/fetchchunkstore.js');
    const fetcher = fcs.OnnxModelFetch(cfg);
    const before = { has: await fetcher.hasModelData(), config: await fcs.loadModelConfig(cfg.modelId) };
    const states = [];
    const ready = await fetcher.load({ onProgress: (s) => { if (states.at(-1) !== s.state) states.push(s.state); } });
    const after = { has: await fcs.hasModelData(cfg.modelId), config: await fcs.loadModelConfig(cfg.modelId) };
    await fcs.storeData('e2e:bytes', new Uint8Array([0, 1, 254, 255]));
    await fcs.storeData('e2e:json', { a: [1, 'two'] });
    const data = { bytes: Array.from(await fcs.loadData('e2e:bytes')), json: await fcs.loadData('e2e:json'), missing: await fcs.loadData('e2e:none') };
    const again = await fcs.loadOrFetchModel(cfg.modelId);
    return { before, states, ready, after, data, again };
  }, config);

  assert.deepEqual(got.before, { has: false, config: null });
  assert.equal(got.states.at(-1), 'complete', `progress states: ${got.states.join(' → ')}`);
  assert.deepEqual(got.after, { has: true, config: { ...config, isDownloaded: true } });
  assert.deepEqual(got.ready.config, { ...config, isDownloaded: true });
  assert.equal(got.ready.model.modelId, 'fcs-tiny');
  assert.equal(got.ready.model.files[0].path, 'onnx/model.onnx', 'the model file first');
  assert.match(got.ready.model.sha256, /^[0-9a-f]{64}$/);
  assert.deepEqual(got.again, got.ready.model, 'loadOrFetchModel of a stored model describes it without fetching');
  assert.deepEqual(got.data, { bytes: [0, 1, 254, 255], json: { a: [1, 'two'] }, missing: null });

  // From outside the browser: the host's store holds it (the installed CLI, a client of the same engine).
  const list = JSON.parse(await host.llmcp(['list', '--json']));
  const stored = list.models.find((m) => m.modelId === 'fcs-tiny');
  assert.equal(stored?.complete, true);
  assert.equal(stored.files.find((f) => f.path === 'onnx/model.onnx').sha256, got.ready.model.sha256);
  // The config is the extension's light ModelConfig in storage.local; the panel's own list shows it downloaded.
  const local = await sw(() => chrome.storage.local.get('modelConfigs'));
  assert.equal(local.modelConfigs.find((m) => m.modelId === 'fcs-tiny')?.isDownloaded, true);
  await page.locator('[data-model-id="fcs-tiny"] [data-testid="badge-downloaded"]').waitFor({ timeout: 10_000 });
  // The download ran through the background's DownloadManager, as the Download button's would.
  assert.equal(await sw(() => globalThis.llmcp.downloads.list().find((d) => d.modelId === 'fcs-tiny')?.state), 'complete');
  await screenshot(page, '30-fetchchunkstore-panel');
});

test('in the service worker: the same API calls the native port directly', async () => {
  const got = await sw(async () => {
    const fcs = globalThis.llmcp.fetchchunkstore;
    const ports = globalThis.llmcp.router.portCount;
    const out = {
      has: await fcs.hasModelData('fcs-tiny'),
      hasOther: await fcs.hasModelData('no-such-model'),
      config: await fcs.loadModelConfig('fcs-tiny'),
      ready: await fcs.OnnxModelFetch('fcs-tiny').load(),
      bytes: Array.from(await fcs.loadData('e2e:bytes')),
    };
    await fcs.storeModelConfig('fcs-tiny', { ...out.config, name: 'FCS Tiny (renamed in the worker)' });
    out.renamed = (await fcs.loadModelConfig('fcs-tiny')).name;
    out.portsUnchanged = globalThis.llmcp.router.portCount === ports;
    return out;
  });
  assert.equal(got.has, true);
  assert.equal(got.hasOther, false);
  assert.equal(got.config.isDownloaded, true);
  assert.equal(got.ready.model, null, 'already stored: nothing fetched');
  assert.deepEqual(got.bytes, [0, 1, 254, 255], 'what the page stored, read by the worker');
  assert.equal(got.renamed, 'FCS Tiny (renamed in the worker)');
  assert.equal(got.portsUnchanged, true, 'no runtime port opened by the worker');
  // The panel hears about the change like any other (the registry's broadcast).
  await page.locator('[data-model-id="fcs-tiny"]', { hasText: 'renamed in the worker' }).waitFor({ timeout: 10_000 });
});

test("the panel's Chat-with button runs the same load flow, then opens the chat", async () => {
  const before = server.requests.length;
  await page.locator('#tab-catalog').click();
  await page.locator('[data-model-id="fcs-tiny"] button.primary').click();
  await page.getByTestId('chat-model').waitFor({ state: 'visible', timeout: 10_000 });
  await page.waitForFunction(() => document.querySelector('#chat-model')?.value === 'fcs-tiny', null, { timeout: 10_000 });
  assert.equal(server.requests.length, before, 'a stored model is not fetched again');
});
