/**
 * The whole product in a real Chromium against the real host (host/target/llmcp-host.jar, registered by
 * `llmcp install` into the test profile; the browser starts the proxy, the proxy a private engine):
 *
 *   add a model served from a loopback server → the progress bar moves to 100% → chat with streamed
 *   tokens → stop a generation → delete (confirmed) → the storage figures fall; plus a 404 with its fix,
 *   an engine killed in the middle of a download that is replaced and the download finished, and a
 *   download that carries on in the engine while the browser is closed.
 *
 * The model is the project's tiny random-weight chat model (`llmcp testmodel`, Llama layout, ChatML
 * template), served from 127.0.0.1 in Hugging Face's URL form `/<org>/<name>/resolve/main/<file>`.
 * LLMCP_E2E_MODEL_DIR points at another model directory in that layout instead (with
 * LLMCP_E2E_MODEL_FILE, default onnx/model.onnx).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { RealHost, waitFor } from './helpers/native-host.js';
import { startModelServer } from './helpers/model-server.js';
import { waitForExit } from './helpers/host-info.js';
import { HOST_JAR } from './helpers/paths.js';

const MODEL_FILE = process.env.LLMCP_E2E_MODEL_FILE ?? 'onnx/model.onnx';
let modelDir = process.env.LLMCP_E2E_MODEL_DIR;

let host;
let session;
let server;
let slowServer;
let page;
let modelSize;

const sw = (fn, arg) => session.worker.evaluate(fn, arg);
const stats = () => sw(() => globalThis.llmcp.rpc.call('store.stats'));
const launch = (profile) => launchWithExtension(profile, {
  env: host.env,
  beforeLaunch: (dir) => host.install({ browser: 'chromium', userDataDir: dir }),
});

before(async () => {
  host = new RealHost();
  if (!modelDir) {
    modelDir = join(host.root, 'model-repo');
    // An 8192-token context (the default tiny shape has 256): generating at 1000–2000 tokens/s, a long
    // generation must last long enough (seconds) for the Stop button to reach it.
    execFileSync('java', ['-jar', HOST_JAR, 'testmodel', modelDir, '--max-positions', '8192'], { stdio: 'ignore', timeout: 60_000 });
  }
  assert.ok(existsSync(join(modelDir, MODEL_FILE)), `${modelDir} holds ${MODEL_FILE}`);
  modelSize = statSync(join(modelDir, MODEL_FILE)).size;
  // The bar must be seen moving: about 2 s for the model file.
  server = await startModelServer(modelDir, { prefix: '/e2e/tiny-chat/resolve/main/', bytesPerSecond: Math.ceil(modelSize / 2) });
  // Slow enough to interrupt in the middle: about 8 s.
  slowServer = await startModelServer(modelDir, { prefix: '/e2e/tiny-slow/resolve/main/', bytesPerSecond: Math.ceil(modelSize / 8) });
  session = await launch(tempDir('llmcp-e2e-flow-profile-'));
  page = await openExtensionPage(session, 'ui/panel.html');
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
});

after(async () => {
  try {
    await session?.close();
  } finally {
    const killed = await host?.shutdown();
    await server?.close();
    await slowServer?.close();
    assert.deepEqual(killed ?? [], [], 'every host process ended without being killed');
  }
});

async function addModel({ url, modelId, name }) {
  await page.locator('#tab-catalog').click();
  await page.fill('#add-url', url);
  await page.fill('#add-modelId', modelId);
  await page.fill('#add-name', name);
  await page.fill('#add-modelFileName', MODEL_FILE);
  await page.getByTestId('add-submit').click();
  try {
    await page.locator(`[data-download="${modelId}"]`).waitFor({ timeout: 30_000 });
  } catch (err) {
    await screenshot(page, `failed-add-${modelId}`);
    throw err;
  }
}

/** Samples a download's bar until it completes (or fails); returns the values seen. */
async function watchDownload(modelId, { timeoutMs = 120_000, onSample } = {}) {
  const card = page.locator(`[data-download="${modelId}"]`);
  const seen = [];
  const states = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const state = await card.getAttribute('data-state', { timeout: 5_000 }).catch(() => null);
    if (state && states.at(-1) !== state) states.push(state);
    const now = await page.getByTestId(`download-progress-${modelId}`).getAttribute('aria-valuenow', { timeout: 5_000 }).catch(() => null);
    if (now !== null && (seen.length === 0 || seen.at(-1) !== Number(now))) seen.push(Number(now));
    if (await onSample?.(state, Number(now)) === 'stop') return { state, seen, states };
    if (state === 'complete' || state === 'failed') return { state, seen, states };
    await page.waitForTimeout(50);
  }
  throw new Error(`download of ${modelId} did not finish; bar values ${seen.join(', ')}; states ${states.join(' → ')}`);
}

async function forget(modelId) {
  await sw((id) => globalThis.llmcp.rpc.call('models.delete', { modelId: id }), modelId);
  await sw((id) => globalThis.llmcp.models.remove(id), modelId);
  await sw(() => globalThis.llmcp.rpc.call('store.gc', undefined, { timeoutMs: 120_000 }));
}

const modelFileGets = (srv, from = 0) => srv.requests.slice(from).filter((r) => r.method === 'GET' && r.url.endsWith(MODEL_FILE));

test('add a model from a loopback server and watch its progress bar reach 100%', async () => {
  await addModel({ url: server.url, modelId: 'e2e-tiny', name: 'E2E Tiny' });
  let midway = false;
  const { state, seen, states } = await watchDownload('e2e-tiny', {
    onSample: async (s, pct) => {
      if (!midway && s === 'downloading' && pct > 0 && pct < 100) {
        midway = true;
        await screenshot(page, '10-download-in-progress');
      }
    },
  });
  assert.equal(state, 'complete', `states: ${states.join(' → ')}`);
  assert.equal(seen.at(-1), 100);
  assert.ok(seen.some((v) => v > 0 && v < 100), `the bar was seen between 0 and 100: ${seen.join(', ')}`);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `the bar never goes back: ${seen.join(', ')}`);
  const card = page.locator('[data-download="e2e-tiny"]');
  assert.match(await card.innerText(), /100%/);
  // Per-file rows: the model file and the JSON files the host pulls with it, each done.
  const fileText = await card.innerText();
  for (const f of [MODEL_FILE, 'config.json', 'tokenizer.json']) {
    assert.ok(fileText.includes(f), `${f} is listed: ${fileText}`);
    assert.equal(await page.getByTestId(`file-progress-${f}`).getAttribute('aria-valuenow'), '100', `${f} at 100%`);
  }
  const record = await sw(() => globalThis.llmcp.models.get('e2e-tiny'));
  assert.equal(record.isDownloaded, true);
  const has = await sw(() => globalThis.llmcp.rpc.call('models.has', { modelId: 'e2e-tiny' }));
  assert.equal(has.complete, true);
  assert.equal(has.files.find((f) => f.path === MODEL_FILE)?.size, modelSize);
  await screenshot(page, '11-download-complete');
});

test('a repository without the file fails with the 404 explained', async () => {
  await addModel({ url: server.url.replace('/tiny-chat/', '/nothing-here/'), modelId: 'e2e-missing', name: 'E2E Missing' });
  const { state } = await watchDownload('e2e-missing', { timeoutMs: 60_000 });
  assert.equal(state, 'failed');
  const error = await page.getByTestId('download-error-e2e-missing').innerText();
  assert.match(error, /-32022/);
  assert.match(error, /check the repository URL/);
  await screenshot(page, '12-download-404');
  // A wrong repository leaves nothing in the host's store: no empty model in the Storage tab.
  const has = await sw(() => globalThis.llmcp.rpc.call('models.has', { modelId: 'e2e-missing' }));
  assert.equal(has.known, false);
  // "Clear finished" takes the failed card (and the finished one) away; the models themselves stay.
  await page.getByTestId('downloads-clear').click();
  await page.locator('[data-download="e2e-missing"]').waitFor({ state: 'detached', timeout: 10_000 });
  assert.equal(await page.locator('[data-download="e2e-tiny"]').count(), 0);
  assert.deepEqual(await sw(() => globalThis.llmcp.downloads.list()), []);
  assert.ok(await sw(() => globalThis.llmcp.models.get('e2e-tiny')), 'clearing a card keeps the model');
  await sw(() => globalThis.llmcp.models.remove('e2e-missing'));
});

test('chat streams tokens into the reply and shows tokens/s', async () => {
  await page.locator('#tab-chat').click();
  await page.getByTestId('chat-model').selectOption('e2e-tiny');
  await page.locator('summary', { hasText: 'Sampling settings' }).click();
  // Greedy without repetition penalty: this random-weight model then loops without reaching its
  // end-of-sequence token, so a generation lasts as long as asked (one to three seconds for 4000 tokens here),
  // long enough to watch tokens arrive; left to sample, it may end after a few tokens.
  const settings = { maxNewTokens: '4000', temperature: '0', repetitionPenalty: '1', seed: '42' };
  for (const [name, value] of Object.entries(settings)) {
    await page.fill(`#chat-${name}`, value);
    await page.locator(`#chat-${name}`).dispatchEvent('change');
  }
  // Count every update of the streaming reply: tokens must arrive one by one, not as one final text.
  await page.evaluate(() => {
    window.__tokenUpdates = 0;
    new MutationObserver((records) => {
      for (const r of records) {
        const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
        if (el?.closest?.('[data-testid="streaming-reply"]')) window.__tokenUpdates++;
      }
    }).observe(document.querySelector('[data-testid="transcript"]'), { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('chat-input').fill('Hello! Who are you?');
  await page.getByTestId('chat-input').press('Enter');
  await page.getByTestId('chat-stats').getByText(/tokens\/s/).waitFor({ timeout: 120_000 });
  const updates = await page.evaluate(() => window.__tokenUpdates);
  assert.ok(updates >= 2, `tokens streamed into the page (${updates} updates)`);
  const reply = await page.locator('.msg.assistant').last().innerText();
  assert.ok(reply.trim().length > 0, 'a reply was written');
  const statsLine = await page.getByTestId('chat-stats').innerText();
  console.log(`# chat: ${statsLine}; ${updates} updates while streaming`);
  // a reply that had to load the model says so apart from the first token's time
  assert.match(statsLine, /\d+(\.\d)? tokens\/s · 4000 tokens · (model loaded in \d+ ms · )?first token \d+ ms · (CPU|CUDA) · finished: length/);
  const saved = await sw(async () => (await chrome.storage.local.get('conversations')).conversations);
  assert.equal(saved[0].messages.at(-1).role, 'assistant', 'the conversation is kept in storage');
  await screenshot(page, '13-chat-streamed');
});

test('stop ends a long generation early', async () => {
  // Still greedy: it would run into the 8192-token context, seconds away.
  await page.fill('#chat-maxNewTokens', '8192');
  await page.locator('#chat-maxNewTokens').dispatchEvent('change');
  await page.getByTestId('chat-input').fill('Tell me a very long story about a dragon.');
  await page.getByTestId('chat-send').click();
  await page.locator('[data-testid="streaming-reply"]').filter({ hasText: /\S/ }).waitFor({ timeout: 30_000 });
  try {
    await page.getByTestId('chat-stop').click({ timeout: 10_000 });
  } catch (err) {
    const saved = await sw(async () => (await chrome.storage.local.get('conversations')).conversations);
    const last = saved[0].messages.at(-1);
    throw new Error(`the generation ended before Stop: ${JSON.stringify(last.stats)} after ${last.content.length} chars (${err.message.split('\n')[0]})`);
  }
  await page.getByTestId('chat-stats').getByText(/stopped/).waitFor({ timeout: 30_000 });
  const reply = await page.locator('.msg.assistant').last().innerText();
  assert.ok(reply.trim().length > 0, 'what streamed before Stop is kept');
  const saved = await sw(async () => (await chrome.storage.local.get('conversations')).conversations);
  assert.equal(saved[0].messages.at(-1).stats?.finishReason, 'cancelled');
  // The host returns the stopped generation's figures with the cancel, so the stats line still shows them.
  assert.ok(saved[0].messages.at(-1).stats?.generatedTokens > 0, 'a stopped reply still reports its token count');
  assert.match(await page.getByTestId('chat-stats').innerText(), /tokens\/s/);
  assert.equal(await page.getByTestId('chat-send').isEnabled(), true);
  assert.equal(await page.getByTestId('chat-stop').isDisabled(), true);
  await screenshot(page, '14-chat-stopped');
});

test('delete the model (confirmed) and see the storage figures fall', async () => {
  await page.locator('#tab-storage').click();
  await page.getByTestId('usage-e2e-tiny').waitFor({ timeout: 30_000 });
  const before = await stats();
  assert.ok(before.logicalBytes >= modelSize, `the store holds the model: ${JSON.stringify(before)}`);
  const shownBefore = await page.getByTestId('storage-logical').innerText();
  await screenshot(page, '15-storage-before-delete');
  await page.getByTestId('delete-e2e-tiny').click();
  // The confirmation is a modal dialog whose default is to keep the model.
  await page.getByTestId('confirm-delete').waitFor();
  await screenshot(page, '16-delete-confirm');
  await page.getByTestId('confirm-delete-button').click();
  await page.getByTestId('usage-e2e-tiny').waitFor({ state: 'detached', timeout: 60_000 });
  const after = await stats();
  assert.ok(after.logicalBytes < before.logicalBytes, `logical bytes fell: ${before.logicalBytes} → ${after.logicalBytes}`);
  await waitFor(async () => (await page.getByTestId('storage-logical').innerText()) !== shownBefore, 'the shown figure to change');
  const record = await sw(() => globalThis.llmcp.models.get('e2e-tiny'));
  assert.equal(record.isDownloaded, false);
  const has = await sw(() => globalThis.llmcp.rpc.call('models.has', { modelId: 'e2e-tiny' }));
  assert.equal(has.complete, false);
  await screenshot(page, '17-storage-after-delete');
  await sw(() => globalThis.llmcp.rpc.call('store.gc', undefined, { timeoutMs: 120_000 }));
});

test('an engine killed in the middle of a download is replaced and the download finishes', async () => {
  const requestsBefore = slowServer.requests.length;
  await addModel({ url: slowServer.url, modelId: 'e2e-resume', name: 'E2E Resume' });
  const firstEngine = (await sw(() => globalThis.llmcp.status.current)).info.pid;
  assert.deepEqual(host.enginePids(), [firstEngine]);
  let killed = false;
  const { state, seen, states } = await watchDownload('e2e-resume', {
    onSample: async (s, pct) => {
      if (!killed && pct >= 20 && pct < 80) {
        await screenshot(page, '20-download-before-engine-kill');
        process.kill(firstEngine, 'SIGKILL');
        killed = true;
      }
    },
  });
  assert.ok(killed, `the download was observed in progress (bar: ${seen.join(', ')})`);
  assert.equal(state, 'complete', `finished after the engine was replaced (bar: ${seen.join(', ')}; states ${states.join(' → ')})`);
  assert.ok(await waitForExit(firstEngine, 5000));
  const status = await sw(() => globalThis.llmcp.status.current);
  assert.equal(status.state, 'connected');
  assert.notEqual(status.info.pid, firstEngine, 'a new engine serves the extension');
  assert.deepEqual(host.enginePids(), [status.info.pid], 'exactly one engine runs');
  const gets = modelFileGets(slowServer, requestsBefore);
  assert.ok(gets.length >= 2, `the model file was fetched again after the kill: ${JSON.stringify(gets)}`);
  const has = await sw(() => globalThis.llmcp.rpc.call('models.has', { modelId: 'e2e-resume' }));
  assert.equal(has.complete, true);
  console.log(`# engine kill: bar ${seen.join(', ')}; states ${states.join(' → ')}; model file GETs ${JSON.stringify(gets.map((g) => g.range))}`);
  await screenshot(page, '21-download-finished-after-engine-kill');
  await forget('e2e-resume');
});

test('a download carries on in the engine while the browser is closed, and is complete when it comes back', async () => {
  const requestsBefore = slowServer.requests.length;
  await addModel({ url: slowServer.url, modelId: 'e2e-restart', name: 'E2E Restart' });
  const { state: seenState, seen } = await watchDownload('e2e-restart', { onSample: async (s, pct) => (pct >= 15 ? 'stop' : undefined) });
  assert.notEqual(seenState, 'complete', `closed while downloading (bar: ${seen.join(', ')})`);
  await screenshot(page, '22-download-before-browser-close');
  const profile = session.userDataDir;
  const engine = host.enginePids()[0];
  await session.close({ keepProfile: true }); // the browser quits; its proxy ends, the engine keeps the job
  session = null;
  await waitFor(() => host.proxyPids().length === 0, 'the proxy to end with the browser', { timeoutMs: 15_000 });
  assert.deepEqual(host.enginePids(), [engine], 'the engine outlives the browser');
  session = await launch(profile);
  page = await openExtensionPage(session, 'ui/panel.html#catalog');
  await page.getByTestId('host-pill').getByText('Connected').waitFor({ timeout: 60_000 });
  await waitFor(async () => (await sw(() => globalThis.llmcp.models.get('e2e-restart')))?.isDownloaded, 'the model to be downloaded', { timeoutMs: 60_000 });
  const has = await sw(() => globalThis.llmcp.rpc.call('models.has', { modelId: 'e2e-restart' }));
  assert.equal(has.complete, true);
  assert.equal(has.files.find((f) => f.path === MODEL_FILE)?.size, modelSize);
  const gets = modelFileGets(slowServer, requestsBefore);
  console.log(`# browser restart: model file GETs ${JSON.stringify(gets.map((g) => g.range))}`);
  assert.equal(gets.length, 1, 'the engine finished the one transfer it had started (no second download)');
  await screenshot(page, '23-model-complete-after-browser-restart');
  await forget('e2e-restart');
});
