/**
 * Remote servers in the panel, end to end in Chromium: the browser's own engine (the real host, registered by
 * `llmcp install`, an empty store) and a second real engine (`llmcp serve` on another LLMCP_HOME, holding the tiny
 * test model, its API behind a key) stand for "this computer" and "a server elsewhere". In Settings → Remote
 * servers the second engine is added — refused input first, then without its key (the test says what to fix), then
 * with it — its model shows in the Models and Chat tabs marked remote, a chat with it streams the very text that
 * engine gives by itself, the key is in the host's owner-only config.json and nowhere in the browser, and removing
 * the server takes its models and its key away.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { RealHost, waitFor } from './helpers/native-host.js';
import { startModelServer } from './helpers/model-server.js';
import { ServedEngine } from './helpers/served-engine.js';
import { HOST_JAR } from './helpers/paths.js';

const KEY = 'key-of-the-remote-0123456789';
const TEXT = 'Why is the sky blue?';

let host;
let remote;
let repo;
let session;
let page;

const sw = (fn, arg) => session.worker.evaluate(fn, arg);
const configOfThisHost = () => JSON.parse(readFileSync(join(host.home, 'config.json'), 'utf8'));

before(async () => {
  host = new RealHost();
  const modelDir = join(host.root, 'model-repo');
  execFileSync('java', ['-jar', HOST_JAR, 'testmodel', modelDir, '--max-positions', '8192'], { stdio: 'ignore', timeout: 60_000 });
  repo = await startModelServer(modelDir, { prefix: '/e2e/tiny-remote/resolve/main/', bytesPerSecond: 200_000_000 });
  remote = await ServedEngine.start({ apiKey: KEY });
  await remote.llmcp(['pull', repo.url, '--id', 'tiny', '--json']);
  session = await launchWithExtension(tempDir('llmcp-e2e-remotes-profile-'), {
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
    const remoteKilled = await remote?.close();
    await repo?.close();
    assert.deepEqual(killed ?? [], [], 'every process of the browser\'s host ended without being killed');
    assert.equal(remoteKilled ?? false, false, 'the served engine stopped when asked');
  }
});

async function addServer({ name, url, apiKey = '' }) {
  await page.locator('#tab-settings').click();
  await page.fill('#remote-name', name);
  await page.fill('#remote-url', url);
  await page.fill('#remote-apiKey', apiKey);
  await page.getByTestId('remote-add-submit').click();
}

test('input the host would refuse is refused in the form and by the engine, and nothing is stored', async () => {
  await page.locator('#tab-settings').click();
  await page.getByTestId('remotes-empty').waitFor();
  await addServer({ name: '../etc', url: 'http://10.1.2.3/v1', apiKey: 'two words' });
  assert.notEqual(await page.textContent('#remote-name-error'), '');
  assert.match(await page.textContent('#remote-url-error'), /https/);
  assert.match(await page.textContent('#remote-apiKey-error'), /ASCII/);
  assert.equal(await page.getAttribute('#remote-url', 'aria-invalid'), 'true');

  // The engine checks again for any client (here through the browser's own native port and proxy).
  const refusals = await sw(async () => Promise.all([
    { name: '../etc', url: 'https://x.example/v1' },
    { name: 'far', url: 'http://10.1.2.3/v1' },
    { name: 'env', url: 'https://x.example/v1', apiKeyEnv: 'HOME' },
  ].map((p) => globalThis.llmcp.rpc.call('remotes.add', p).then(() => null, (e) => ({ code: e.code, field: e.data?.field })))));
  assert.deepEqual(refusals, [{ code: -32602, field: 'name' }, { code: -32024, field: 'url' }, { code: -32602, field: 'apiKeyEnv' }]);
  assert.deepEqual((await sw(() => globalThis.llmcp.rpc.call('remotes.list'))).remotes, []);
  assert.equal(configOfThisHost().remotes, undefined);
});

test('a server added without its key is tested and says what to fix', async () => {
  await addServer({ name: 'elsewhere', url: `${remote.url}/v1` });
  const failure = page.getByTestId('remote-test-error-elsewhere');
  await failure.waitFor({ timeout: 30_000 });
  const text = await failure.innerText();
  assert.match(text, /401/);
  assert.match(text, /needs an API key/);
  assert.match(text, /code -32021/);
  assert.match(text, /add it again under the same name with its key/, 'advice about the server, not about gated downloads');
  assert.match(await page.locator('li[data-remote="elsewhere"]').innerText(), /No API key/);
  await screenshot(page, 'remotes-10-without-key');
});

test('added again with its key it is reachable; the key is kept by the host alone', async () => {
  await addServer({ name: 'elsewhere', url: `${remote.url}/v1`, apiKey: KEY });
  const ok = page.getByTestId('remote-test-ok-elsewhere');
  await ok.waitFor({ timeout: 30_000 });
  // Everything that engine offers: the tiny model and its built-in embedder.
  assert.match(await ok.innerText(), /Reachable 2 models .*elsewhere\/tiny, elsewhere\/all-minilm-l6-v2/);
  assert.match(await page.locator('li[data-remote="elsewhere"]').innerText(), /API key set/);
  assert.equal(await page.inputValue('#remote-apiKey'), '', 'the key field is cleared once sent');
  await screenshot(page, 'remotes-20-with-key');

  const stored = configOfThisHost();
  assert.deepEqual(stored.remotes, { elsewhere: { url: `${remote.url}/v1`, apiKey: KEY } });
  assert.equal(stored.engine.idleExitSeconds, 120, 'the rest of config.json is kept');
  assert.equal(statSync(join(host.home, 'config.json')).mode & 0o777, 0o600);
  const listed = await sw(() => globalThis.llmcp.rpc.call('remotes.list'));
  assert.deepEqual(listed.remotes, [{ name: 'elsewhere', url: `${remote.url}/v1`, hasKey: true }]);
  const browserStorage = await page.evaluate(async () => JSON.stringify(await chrome.storage.local.get(null)));
  assert.ok(!browserStorage.includes(KEY), 'the key is not in the extension\'s storage');
  assert.ok(!JSON.stringify(listed).includes(KEY));
});

test('the Models and Chat tabs show the remote model as remote, and a chat with it streams that server\'s answer', async () => {
  await page.locator('#tab-catalog').click();
  const row = page.locator('[data-testid="remote-models"] li[data-model-id="elsewhere/tiny"]');
  await row.waitFor({ timeout: 30_000 });
  assert.match(await row.getByTestId('badge-remote').innerText(), /Remote · elsewhere/);
  // A known embedding model is listed but offers no chat, there as here.
  const embedder = page.locator('[data-testid="remote-models"] li[data-model-id="elsewhere/all-minilm-l6-v2"]');
  assert.match(await embedder.innerText(), /Embedding/);
  assert.equal(await embedder.locator('button').count(), 0);
  await screenshot(page, 'remotes-30-models-tab');

  await sw(() => {
    globalThis.__remoteTokens = 0;
    globalThis.llmcp.rpc.on('notification', (method) => { if (method === 'generate.token') globalThis.__remoteTokens += 1; });
  });
  await page.getByTestId('chat-remote-elsewhere/tiny').click();
  await waitFor(async () => (await page.getByTestId('chat-model').inputValue()) === 'elsewhere/tiny', 'the chat picks the remote model');
  const group = await page.locator('#chat-model option[value="elsewhere/tiny"]').evaluate((o) => o.parentElement.label);
  assert.equal(group, 'Remote server: elsewhere');
  assert.equal(await page.locator('#chat-model option[value="elsewhere/all-minilm-l6-v2"]').count(), 0, 'no chat with an embedder');
  // Greedy, as `llmcp run --temperature 0` on that engine.
  await page.locator('details.chat-settings summary').click();
  await page.fill('#chat-temperature', '0');
  await page.locator('#chat-temperature').dispatchEvent('change');

  await page.fill('#chat-input', TEXT);
  await page.getByTestId('chat-send').click();
  const reply = page.locator('.msg.assistant[data-index="1"]');
  await reply.waitFor({ timeout: 120_000 });
  const stats = await page.getByTestId('chat-stats').innerText();
  assert.match(stats, /remote:elsewhere/);
  const expected = (await remote.llmcp(['run', 'tiny', '--chat', '--temperature', '0', TEXT])).replace(/\n$/, '');
  const conv = await page.evaluate(async () => (await chrome.storage.local.get('conversations')).conversations[0]);
  assert.equal(conv.modelId, 'elsewhere/tiny');
  assert.equal(conv.messages[1].content, expected, 'the reply is exactly what the remote engine answers');
  assert.ok(expected.length > 0);
  const tokens = await sw(() => globalThis.__remoteTokens);
  assert.ok(tokens > 1, `the reply streamed (${tokens} generate.token notifications)`);
  assert.equal(conv.messages[1].stats.provider, 'remote:elsewhere');
  await screenshot(page, 'remotes-40-chat');
});

test('removing the server takes its models and its key away', async () => {
  await page.locator('#tab-settings').click();
  await page.getByTestId('remote-remove-elsewhere').click();
  await page.getByTestId('confirm-remove-remote-button').click();
  await page.getByTestId('remotes-empty').waitFor({ timeout: 30_000 });
  assert.equal(configOfThisHost().remotes?.elsewhere, undefined);
  assert.ok(!readFileSync(join(host.home, 'config.json'), 'utf8').includes(KEY));
  await page.locator('#tab-catalog').click();
  await waitFor(async () => (await page.locator('[data-testid="remote-models"] li').count()) === 0, 'the remote model leaves the Models tab');
  const ids = (await sw(() => globalThis.llmcp.rpc.call('models.list'))).models.map((m) => m.modelId);
  assert.ok(!ids.includes('elsewhere/tiny'), ids.join(', '));
});
