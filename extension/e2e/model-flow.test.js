/**
 * The whole model flow in a real Chromium:
 *
 *   add a model served from a loopback server → progress to 100% → chat with streamed tokens → stop a
 *   generation → delete → the storage figures fall; plus a 404 with its fix, and a host killed in the
 *   middle of a download that the extension restarts and resumes.
 *
 *
 * LLMCP_E2E_FULL=1 runs it against the real host (host/target/llmcp-host.jar) with a real model:
 *   LLMCP_E2E_MODEL_DIR: a directory in Hugging Face layout (config.json, tokenizer.json,
 *   tokenizer_config.json, onnx/model.onnx) holding a small text-generation model the project builds;
 *   LLMCP_E2E_MODEL_FILE: the model file inside it (default onnx/model.onnx).
 * Without it, the same steps run as a rehearsal against helpers/fake-host.mjs (a protocol double with
 * random model bytes and canned tokens), which proves the extension's side of the flow only.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, statSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { randomBytes } from 'node:crypto';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { registerHost } from './helpers/native-host.js';
import { startModelServer } from './helpers/model-server.js';
import { waitForExit } from './helpers/host-info.js';

const FULL = process.env.LLMCP_E2E_FULL === '1';
let MODEL_DIR = process.env.LLMCP_E2E_MODEL_DIR;
const MODEL_FILE = process.env.LLMCP_E2E_MODEL_FILE ?? 'onnx/model.onnx';
const skip = false;
const against = FULL ? '' : ' (rehearsal against the protocol double)';

let session;
let home;
let server;
let slowServer;
let page;

const sw = (fn, arg) => session.worker.evaluate(fn, arg);
const stats = () => sw(() => globalThis.llmcp.rpc.call('store.stats'));

before(async () => {
  home = tempDir('llmcp-e2e-full-home-');
  if (FULL) {
    assert.ok(MODEL_DIR && existsSync(join(MODEL_DIR, MODEL_FILE)),
      `LLMCP_E2E_MODEL_DIR must hold ${MODEL_FILE} (got ${MODEL_DIR ?? 'nothing'})`);
  } else {
    MODEL_DIR = join(home, 'model-repo');
    makeFakeModelDir(MODEL_DIR);
  }
  server = await startModelServer(MODEL_DIR, { prefix: '/tiny/', bytesPerSecond: 8_000_000 });
  const size = statSync(join(MODEL_DIR, MODEL_FILE)).size;
  // Slow enough that the host can be killed in the middle: about 6 s for the model file.
  slowServer = await startModelServer(MODEL_DIR, { prefix: '/slow/', bytesPerSecond: Math.max(64_000, Math.floor(size / 6)) });
  session = await launchWithExtension(tempDir('llmcp-e2e-full-profile-'), { beforeLaunch: (dir) => registerHost(dir, home, { fake: !FULL }) });
  page = await openExtensionPage(session, 'ui/panel.html');
  await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
});

after(async () => {
  await session?.close();
  await server?.close();
  await slowServer?.close();
  if (home) rmSync(home, { recursive: true, force: true });
});

/** Random "weights" and small JSON files in Hugging Face layout, for the rehearsal. */
function makeFakeModelDir(dir) {
  mkdirSync(join(dir, dirname(MODEL_FILE)), { recursive: true });
  writeFileSync(join(dir, MODEL_FILE), randomBytes(6_000_000));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ model_type: 'llama', vocab_size: 32 }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify({ version: '1.0', model: { type: 'BPE', vocab: {} } }));
}

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
async function watchDownload(modelId, { timeoutMs = 300_000, onSample } = {}) {
  const card = page.locator(`[data-download="${modelId}"]`);
  const seen = [];
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const state = await card.getAttribute('data-state').catch(() => null);
    const now = await page.getByTestId(`download-progress-${modelId}`).getAttribute('aria-valuenow').catch(() => null);
    if (now !== null && (seen.length === 0 || seen.at(-1) !== Number(now))) seen.push(Number(now));
    await onSample?.(state, Number(now));
    if (state === 'complete' || state === 'failed') return { state, seen };
    await page.waitForTimeout(100);
  }
  throw new Error(`download of ${modelId} did not finish; bar values ${seen.join(', ')}`);
}

test(`a host killed in the middle of a download is restarted and the download resumes to 100%${against}`, { skip }, async () => {
  await addModel({ url: slowServer.url, modelId: 'e2e-resume', name: 'E2E Resume' });
  const firstPid = (await sw(() => globalThis.llmcp.status.current)).info.pid;
  let killed = false;
  const { state, seen } = await watchDownload('e2e-resume', {
    onSample: async (s, pct) => {
      if (!killed && pct >= 20 && pct < 90) {
        await screenshot(page, '10-download-before-kill');
        process.kill(firstPid, 'SIGKILL');
        killed = true;
      }
    },
  });
  assert.ok(killed, `the download was observed in progress (bar: ${seen.join(', ')})`);
  assert.equal(state, 'complete', `resumed to completion (bar: ${seen.join(', ')})`);
  assert.ok(await waitForExit(firstPid, 5000));
  const status = await sw(() => globalThis.llmcp.status.current);
  assert.notEqual(status.info.pid, firstPid, 'a new host process serves the extension');
  const ranged = slowServer.requests.filter((r) => r.range && r.url.endsWith(MODEL_FILE));
  // The real host resumes from its last committed chunk (it commits every 8–16 MiB): a smaller model
  // file may rightly start over, so the Range request is required only when there was something to keep.
  const size = statSync(join(MODEL_DIR, MODEL_FILE)).size;
  if (!FULL || size > 48 * 1024 * 1024) {
    assert.ok(ranged.length >= 1, 'the host resumed with a Range request instead of starting over');
  } else {
    console.log(`# model file of ${size} bytes: resumed ${ranged.length ? 'with' : 'without'} a Range request`);
  }
  await screenshot(page, '11-download-resumed');
  // Leave the store empty for the main flow (which would otherwise link the same files with 0 bytes).
  await sw(() => globalThis.llmcp.rpc.call('models.delete', { modelId: 'e2e-resume' }));
  await sw(() => globalThis.llmcp.models.remove('e2e-resume'));
  await sw(() => globalThis.llmcp.rpc.call('store.gc', undefined, { timeoutMs: 120_000 }));
});

test(`a download interrupted by closing the browser resumes when the browser starts again${against}`, { skip }, async () => {
  const requestsBefore = slowServer.requests.length;
  await addModel({ url: slowServer.url, modelId: 'e2e-restart', name: 'E2E Restart' });
  await watchDownload('e2e-restart', { onSample: async (s, pct) => { if (pct >= 20) throw new StopWatching(); } })
    .catch((err) => { if (!(err instanceof StopWatching)) throw err; });
  await screenshot(page, '11b-download-before-browser-restart');
  const profile = session.userDataDir;
  await session.context.close(); // the browser quits; the host sees its stdin close and stops the pull
  session = await launchWithExtension(profile, { beforeLaunch: (dir) => registerHost(dir, home, { fake: !FULL }) });
  page = await openExtensionPage(session, 'ui/panel.html#downloads');
  await page.getByTestId('host-pill').getByText('Connected').waitFor({ timeout: 60_000 });
  await page.locator('[data-download="e2e-restart"]').waitFor({ timeout: 60_000 });
  const { state, seen } = await watchDownload('e2e-restart');
  assert.equal(state, 'complete', `resumed after the restart (bar: ${seen.join(', ')})`);
  const size = statSync(join(MODEL_DIR, MODEL_FILE)).size;
  const ranged = slowServer.requests.slice(requestsBefore).filter((r) => r.range && r.url.endsWith(MODEL_FILE));
  if (!FULL || size > 48 * 1024 * 1024) assert.ok(ranged.length >= 1, 'the second session continued with a Range request');
  await screenshot(page, '11c-download-resumed-after-browser-restart');
  await sw(() => globalThis.llmcp.rpc.call('models.delete', { modelId: 'e2e-restart' }));
  await sw(() => globalThis.llmcp.models.remove('e2e-restart'));
  await sw(() => globalThis.llmcp.rpc.call('store.gc', undefined, { timeoutMs: 120_000 }));
});

class StopWatching extends Error {}

test(`add a model from a loopback server and watch its progress reach 100%${against}`, { skip }, async () => {
  await addModel({ url: server.url, modelId: 'e2e-tiny', name: 'E2E Tiny' });
  const { state, seen } = await watchDownload('e2e-tiny');
  assert.equal(state, 'complete');
  assert.equal(seen.at(-1), 100);
  for (let i = 1; i < seen.length; i++) assert.ok(seen[i] >= seen[i - 1], `the bar never goes back: ${seen.join(', ')}`);
  assert.match(await page.locator('[data-download="e2e-tiny"]').innerText(), /100%/);
  const record = await sw(() => globalThis.llmcp.models.get('e2e-tiny'));
  assert.equal(record.isDownloaded, true);
  const has = await sw(() => globalThis.llmcp.rpc.call('models.has', { modelId: 'e2e-tiny' }));
  assert.equal(has.complete, true);
  await screenshot(page, '12-download-complete');
});

test(`a repository without the file fails with the 404 explained${against}`, { skip }, async () => {
  await addModel({ url: server.url.replace('/tiny/', '/nothing-here/'), modelId: 'e2e-missing', name: 'E2E Missing' });
  const { state } = await watchDownload('e2e-missing', { timeoutMs: 120_000 });
  assert.equal(state, 'failed');
  const error = await page.getByTestId('download-error-e2e-missing').innerText();
  assert.match(error, /-32022/);
  assert.match(error, /check the repository URL/);
  await screenshot(page, '13-download-404');
  await sw(() => globalThis.llmcp.models.remove('e2e-missing'));
});

test(`chat streams tokens and shows tokens/s${against}`, { skip }, async () => {
  await page.locator('#tab-chat').click();
  await page.getByTestId('chat-model').selectOption('e2e-tiny');
  await page.locator('summary', { hasText: 'Sampling settings' }).click();
  await page.fill('#chat-maxNewTokens', '24');
  await page.fill('#chat-seed', '42');
  await page.locator('#chat-seed').dispatchEvent('change');
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
  await page.getByTestId('chat-stats').getByText(/tokens\/s/).waitFor({ timeout: 300_000 });
  const updates = await page.evaluate(() => window.__tokenUpdates);
  assert.ok(updates >= 2, `tokens streamed into the page (${updates} updates)`);
  const reply = await page.locator('.msg.assistant').last().innerText();
  assert.ok(reply.trim().length > 0, 'a reply was written');
  assert.match(await page.getByTestId('chat-stats').innerText(), /\d+(\.\d)? tokens\/s · \d+ tokens/);
  const saved = await sw(async () => (await chrome.storage.local.get('conversations')).conversations);
  assert.equal(saved[0].messages.at(-1).role, 'assistant', 'the conversation is kept in storage');
  await screenshot(page, '14-chat-streamed');
});

test(`stop ends a long generation early${against}`, { skip }, async () => {
  await page.fill('#chat-maxNewTokens', '2000');
  await page.locator('#chat-maxNewTokens').dispatchEvent('change');
  await page.getByTestId('chat-input').fill('Tell me a very long story about a dragon.');
  await page.getByTestId('chat-send').click();
  await page.locator('[data-testid="streaming-reply"]').filter({ hasText: /\S/ }).waitFor({ timeout: 300_000 });
  await page.getByTestId('chat-stop').click();
  await page.getByTestId('chat-stats').getByText(/stopped/).waitFor({ timeout: 30_000 });
  assert.equal(await page.getByTestId('chat-send').isEnabled(), true);
  assert.equal(await page.getByTestId('chat-stop').isDisabled(), true);
  await screenshot(page, '15-chat-stopped');
});

test(`delete the model (confirmed) and see the storage figures fall${against}`, { skip }, async () => {
  await page.locator('#tab-storage').click();
  await page.getByTestId('usage-e2e-tiny').waitFor({ timeout: 30_000 });
  const before = await stats();
  const shownBefore = await page.getByTestId('storage-logical').innerText();
  await screenshot(page, '16-storage-before-delete');
  await page.getByTestId('delete-e2e-tiny').click();
  // The confirmation is a modal dialog whose default is to keep the model.
  await page.getByTestId('confirm-delete').waitFor();
  await page.getByTestId('confirm-delete-button').click();
  await page.getByTestId('usage-e2e-tiny').waitFor({ state: 'detached', timeout: 60_000 });
  const after = await stats();
  assert.ok(after.logicalBytes < before.logicalBytes, `logical bytes fell: ${before.logicalBytes} → ${after.logicalBytes}`);
  assert.notEqual(await page.getByTestId('storage-logical').innerText(), shownBefore);
  const record = await sw(() => globalThis.llmcp.models.get('e2e-tiny'));
  assert.equal(record.isDownloaded, false);
  await screenshot(page, '17-storage-after-delete');
});
