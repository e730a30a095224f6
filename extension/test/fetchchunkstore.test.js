import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fcs from '../lib/fetchchunkstore.js';
import { provideBackgroundLink, resetForTests, DOWNLOAD_PROGRESS } from '../lib/host-link.js';
import { ErrorCodes } from '../lib/errors.js';
import { createFakeChrome, ManualClock, scriptedHost } from './fake-chrome.js';
import { createNativeTransport } from '../background/native-port.js';
import { RpcClient } from '../background/rpc-client.js';
import { ModelRegistry, STORAGE_KEY } from '../background/models.js';
import { DownloadManager } from '../background/downloads.js';
import { UiRouter } from '../background/ui-router.js';
import { createHandlers, HostStatus } from '../background/handlers.js';
import { createBackgroundLink } from '../background/link.js';

const CONFIG = { modelId: 'o', name: 'O', url: 'https://h.example/o/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json' };

/**
 * The real background (RpcClient over a fake native port, ModelRegistry over a fake storage.local,
 * DownloadManager, UI router + handlers) in front of a fake host that keeps a data map and complete models.
 */
async function background({ missing = new Set() } = {}) {
  const calls = [];
  const data = new Map();
  const complete = new Map();
  const chrome = createFakeChrome({
    onNative: scriptedHost({
      'models.has': ({ modelId }) => {
        calls.push(['models.has', modelId]);
        const files = complete.get(modelId);
        return { modelId, known: !!files, complete: !!files, files: files ?? [], missing: files ? [] : ['onnx/model.onnx'] };
      },
      'models.pull': ({ config }, req, host) => {
        calls.push(['models.pull', config]);
        if (missing.has(config.modelId)) {
          throw Object.assign(new Error('404 Not Found'), { code: ErrorCodes.HTTP_NOT_FOUND, data: { url: `${config.url}${config.modelFileName}` } });
        }
        const files = [{ path: 'config.json', size: 5, sha256: 'c0' }, { path: config.modelFileName, size: 10, sha256: 'aa' }];
        for (const f of files) {
          host.notify('models.progress', { requestId: req.id, modelId: config.modelId, path: f.path, state: 'downloading', bytesDone: f.size / 2, bytesTotal: f.size });
          host.notify('models.progress', { requestId: req.id, modelId: config.modelId, path: f.path, state: 'done', bytesDone: f.size, bytesTotal: f.size });
        }
        complete.set(config.modelId, files);
        return { modelId: config.modelId, files: files.map((f) => ({ ...f, bytesDownloaded: f.size, linked: false })), bytesDownloaded: 15, bytesLinked: 0 };
      },
      'data.put': ({ key, value }) => { calls.push(['data.put', key]); data.set(key, value); return { key, bytes: JSON.stringify(value).length }; },
      'data.get': ({ key }) => {
        calls.push(['data.get', key]);
        if (!data.has(key)) throw Object.assign(new Error(`no key ${key}`), { code: ErrorCodes.NOT_FOUND });
        return { key, value: data.get(key) };
      },
    }),
  });
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: new ManualClock() });
  const models = new ModelRegistry(chrome.storage.local, rpc);
  const downloads = new DownloadManager(models, rpc);
  const link = createBackgroundLink({ rpc, models, downloads });
  const router = new UiRouter(chrome.runtime, rpc, createHandlers({ rpc, models, downloads, status: new HostStatus(rpc), link }));
  await rpc.connect();
  return { chrome, rpc, models, downloads, link, router, calls, data, complete };
}

let bg;
afterEach(() => {
  resetForTests();
  delete globalThis.chrome;
  delete globalThis.ServiceWorkerGlobalScope;
});

/** Every test runs in both contexts: the background realm (direct) and a page (runtime port to the background). */
const CONTEXTS = {
  background: async (options) => {
    bg = await background(options);
    provideBackgroundLink(bg.link); // what background/main.js does at start-up
    let pagePorts = 0;
    const connect = bg.chrome.runtime.connect;
    bg.chrome.runtime.connect = (...args) => { pagePorts++; return connect(...args); };
    globalThis.chrome = bg.chrome;
    return () => assert.equal(pagePorts, 0, 'the background calls the port owner directly, no runtime port');
  },
  page: async (options) => {
    bg = await background(options);
    globalThis.chrome = bg.chrome; // nothing provided in this realm: a page
    return () => assert.equal(bg.router.portCount, 1, 'one runtime port to the background, shared by every call');
  },
};

for (const [where, setup] of Object.entries(CONTEXTS)) {
  test(`[${where}] works on import with no set-up: hasModelData asks the host`, async () => {
    const check = await setup();
    assert.equal(await fcs.hasModelData('x'), false);
    bg.complete.set('x', [{ path: 'onnx/model.onnx', size: 1, sha256: 'ff' }]);
    assert.equal(await fcs.hasModelData('x'), true);
    assert.deepEqual(bg.calls, [['models.has', 'x'], ['models.has', 'x']]);
    check();
  });

  test(`[${where}] loadOrFetchModel pulls a file URL through the downloads, with progress, to a descriptor`, async () => {
    const check = await setup();
    const progress = [];
    const d = await fcs.loadOrFetchModel('tiny', 'http://127.0.0.1:9/org/tiny/resolve/main/onnx/model_q4.onnx', {
      onProgress: (s) => progress.push([s.state, s.bytesDone]),
    });
    assert.deepEqual(d, { modelId: 'tiny', files: [{ path: 'onnx/model_q4.onnx', size: 10, sha256: 'aa' }, { path: 'config.json', size: 5, sha256: 'c0' }], bytes: 15, sha256: 'aa' });
    const pull = bg.calls.find(([m]) => m === 'models.pull');
    assert.deepEqual(pull[1], { modelId: 'tiny', name: 'tiny', url: 'http://127.0.0.1:9/org/tiny/resolve/main/', modelFileName: 'onnx/model_q4.onnx', configFileName: 'config.json' });
    assert.ok(progress.some(([s, b]) => s === 'downloading' && b > 0), `progress: ${JSON.stringify(progress)}`);
    assert.deepEqual(progress.at(-1), ['complete', 15]);
    // The config made from the URL is in the model list, downloaded; the Downloads tab saw the same pull.
    const list = bg.chrome.storage.local.dump()[STORAGE_KEY];
    assert.equal(list.length, 1);
    assert.equal(list[0].isDownloaded, true);
    assert.equal(bg.downloads.list()[0].state, 'complete');
    // Second time: already stored, no pull.
    bg.calls.length = 0;
    assert.equal((await fcs.loadOrFetchModel('tiny')).bytes, 15);
    assert.equal(bg.calls.some(([m]) => m === 'models.pull'), false);
    check();
  });

  test(`[${where}] loadOrFetchModel prefers the stored config; without one and without a URL it says so`, async () => {
    const check = await setup();
    await fcs.storeModelConfig('m', { name: 'M', url: 'https://h.example/m/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json' });
    const d = await fcs.loadOrFetchModel('m', 'https://elsewhere.example/x/');
    assert.equal(d.sha256, 'aa');
    assert.equal(bg.calls.find(([m]) => m === 'models.pull')[1].url, 'https://h.example/m/');
    await assert.rejects(fcs.loadOrFetchModel('unknown'), /no URL/);
    check();
  });

  test(`[${where}] a failed pull rejects with the host's code and fix`, async () => {
    const check = await setup({ missing: new Set(['gone']) });
    await assert.rejects(fcs.loadOrFetchModel('gone', 'https://h.example/gone/'),
      (err) => err.code === ErrorCodes.HTTP_NOT_FOUND && /check the repository URL/.test(err.hint));
    check();
  });

  test(`[${where}] storeData / loadData round-trip JSON and binary through data.put / data.get; missing is null`, async () => {
    const check = await setup();
    await fcs.storeData('settings', { a: 1, b: [true, 'x'] });
    assert.deepEqual(await fcs.loadData('settings'), { a: 1, b: [true, 'x'] });
    const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
    await fcs.storeData('blob', bytes.buffer);
    assert.deepEqual(bg.data.get('blob'), { $bytes: 'AAEC/f7/' });
    assert.deepEqual(await fcs.loadData('blob'), bytes);
    assert.equal(await fcs.loadData('nothing'), null);
    assert.deepEqual(bg.calls.map(([m]) => m), ['data.put', 'data.get', 'data.put', 'data.get', 'data.get']);
    check();
  });

  test(`[${where}] storeModelConfig / loadModelConfig keep the light ModelConfig in storage.local, validated`, async () => {
    const check = await setup();
    const stored = await fcs.storeModelConfig('q', JSON.stringify({ name: 'Q', url: 'https://h.example/q/', size: 7 }));
    const light = { modelId: 'q', name: 'Q', url: 'https://h.example/q/', size: 7, modelFileName: 'onnx/model.onnx', configFileName: 'config.json', isDownloaded: false };
    assert.deepEqual(stored, light);
    assert.deepEqual(await fcs.loadModelConfig('q'), light);
    const raw = bg.chrome.storage.local.dump()[STORAGE_KEY][0];
    assert.equal(raw.modelId, 'q');
    assert.equal(typeof raw.addedAt, 'number', 'the list record keeps its bookkeeping; loadModelConfig returns only the light fields');
    assert.equal(bg.calls.length, 0, 'configs never go to the host');
    assert.equal(await fcs.loadModelConfig('none'), null);
    await assert.rejects(fcs.storeModelConfig('bad', { url: 'http://example.com/x/' }), /http/i);
    // An update keeps what it does not name and can mark the model downloaded.
    await fcs.storeModelConfig('q', { ...light, name: 'Q2', isDownloaded: true });
    assert.deepEqual(await fcs.loadModelConfig('q'), { ...light, name: 'Q2', isDownloaded: true });
    check();
  });

  test(`[${where}] OnnxModelFetch(config).load(): hasModelData → loadOrFetchModel → loadModelConfig → ready`, async () => {
    const check = await setup();
    const fetcher = fcs.OnnxModelFetch(CONFIG);
    assert.ok(fetcher instanceof fcs.ModelFetch);
    assert.ok(new fcs.OnnxModelFetch(CONFIG) instanceof fcs.OnnxModelFetch, 'with or without new');
    assert.equal(fetcher.modelId, 'o');
    assert.equal(await fetcher.hasModelData(), false);
    assert.equal(await fetcher.loadModelConfig(), null);
    const states = [];
    const ready = await fetcher.load({ onProgress: (s) => states.push(s.state) });
    assert.deepEqual(ready.config, { ...CONFIG, isDownloaded: true });
    assert.equal(ready.model.sha256, 'aa');
    assert.equal(states.at(-1), 'complete');
    assert.deepEqual(bg.calls.map(([m]) => m), ['models.has', 'models.has', 'models.has', 'models.pull', 'models.has']);
    // Loaded again: the host has it, nothing is fetched.
    bg.calls.length = 0;
    const again = await fcs.OnnxModelFetch('o').load();
    assert.deepEqual(again, { config: { ...CONFIG, isDownloaded: true }, model: null });
    assert.deepEqual(bg.calls.map(([m]) => m), ['models.has']);
    assert.throws(() => fcs.OnnxModelFetch({}), /modelId/);
    check();
  });

  test(`[${where}] a model the host holds but the list lacks is ready; its config is recorded when given`, async () => {
    const check = await setup();
    bg.complete.set('cli', [{ path: 'onnx/model.onnx', size: 3, sha256: 'dd' }]);
    assert.deepEqual(await fcs.OnnxModelFetch('cli').load(), { config: null, model: null });
    const ready = await fcs.OnnxModelFetch({ ...CONFIG, modelId: 'cli' }).load();
    assert.equal(ready.config.isDownloaded, true);
    assert.equal(bg.calls.some(([m]) => m === 'models.pull'), false);
    check();
  });
}

test('the page link streams the download as ext.download.progress notifications', async () => {
  bg = await background();
  const notes = [];
  await bg.models.put(CONFIG);
  const handlers = createHandlers({ rpc: bg.rpc, models: bg.models, downloads: bg.downloads, status: new HostStatus(bg.rpc), link: bg.link });
  const done = await handlers['ext.downloads.run']({ modelId: 'o' }, { notify: (m, p) => notes.push([m, p.state]) });
  assert.equal(done.state, 'complete');
  assert.ok(notes.length >= 2 && notes.every(([m]) => m === DOWNLOAD_PROGRESS));
  assert.deepEqual(await handlers['ext.models.get']({ modelId: 'o' }), { ...CONFIG, isDownloaded: true });
});

test('in a service worker without the background started, the API says what is missing', async () => {
  globalThis.ServiceWorkerGlobalScope = class { static [Symbol.hasInstance]() { return true; } };
  await assert.rejects(fcs.hasModelData('x'), /background has not started/);
});

test('splitModelUrl finds the repo base of a file URL', () => {
  assert.deepEqual(fcs.splitModelUrl('https://huggingface.co/o/r/resolve/main/onnx/model.onnx'),
    { base: 'https://huggingface.co/o/r/resolve/main/', file: 'onnx/model.onnx' });
  assert.deepEqual(fcs.splitModelUrl('http://127.0.0.1:5/tiny/model.onnx'), { base: 'http://127.0.0.1:5/tiny/', file: 'model.onnx' });
});

