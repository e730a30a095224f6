import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeChrome, createStorageArea, ManualClock, flush, scriptedHost } from './fake-chrome.js';
import { createNativeTransport } from '../background/native-port.js';
import { RpcClient } from '../background/rpc-client.js';
import { ModelRegistry } from '../background/models.js';
import { DownloadManager } from '../background/downloads.js';
import { ErrorCodes } from '../lib/errors.js';

const CONFIG = { modelId: 'tiny', name: 'Tiny', url: 'http://127.0.0.1:9/tiny/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json' };

async function setup(methods, storage = createStorageArea()) {
  const pulls = [];
  const chrome = createFakeChrome({
    onNative: scriptedHost({ 'models.has': () => ({ complete: false }), ...methods(pulls) }),
    storage,
  });
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: new ManualClock() });
  const registry = new ModelRegistry(chrome.storage.local, rpc);
  const downloads = new DownloadManager(registry, rpc);
  await rpc.connect();
  return { chrome, rpc, registry, downloads, pulls };
}

test('a pull streams per-file progress, then marks the model downloaded', async () => {
  const { registry, downloads, pulls } = await setup((pulls) => ({
    'models.pull': (params, req, host) => { pulls.push({ params, req, host }); },
  }));
  await registry.add(CONFIG);
  const snapshots = [];
  downloads.on('progress', (s) => snapshots.push(JSON.parse(JSON.stringify(s))));
  await downloads.start('tiny');
  await flush();
  const { params, req, host } = pulls[0];
  assert.deepEqual(params, { config: CONFIG }, 'the protocol ModelConfig, nothing else');
  assert.equal((await registry.get('tiny')).download.wanted, true);
  host.notify('models.progress', { requestId: req.id, modelId: 'tiny', path: 'onnx/model.onnx', state: 'downloading', bytesDone: 500, bytesTotal: 1000, bytesPerSecond: 250, etaSeconds: 2 });
  host.notify('models.progress', { requestId: req.id, modelId: 'tiny', path: 'config.json', state: 'done', bytesDone: 100, bytesTotal: 100, bytesPerSecond: 0, etaSeconds: 0 });
  await flush();
  const mid = snapshots.at(-1);
  assert.equal(mid.state, 'downloading');
  assert.equal(mid.bytesDone, 600);
  assert.equal(mid.bytesTotal, 1100);
  assert.equal(mid.bytesPerSecond, 250);
  assert.equal(mid.etaSeconds, 2);
  assert.equal(mid.files['onnx/model.onnx'].bytesDone, 500);
  host.reply(req.id, { modelId: 'tiny', files: [
    { path: 'onnx/model.onnx', size: 1000, sha256: 'aa', bytesDownloaded: 1000, linked: false },
    { path: 'config.json', size: 100, sha256: 'bb', bytesDownloaded: 100, linked: false }], bytesDownloaded: 1100, bytesLinked: 0 });
  await flush();
  const done = snapshots.at(-1);
  assert.equal(done.state, 'complete');
  assert.equal(done.bytesDone, 1100);
  const rec = await registry.get('tiny');
  assert.equal(rec.isDownloaded, true);
  assert.deepEqual(rec.download, { wanted: false, state: 'complete' });
  assert.equal(downloads.isActive('tiny'), false);
});

test('cancel asks the host to cancel the pull and the model is not resumed later', async () => {
  const { registry, downloads, pulls, chrome } = await setup((pulls) => ({
    'models.pull': (params, req, host) => { pulls.push({ req, host }); },
    cancel: (params, req, host) => {
      host.fail(params.requestId, ErrorCodes.CANCELLED, 'cancelled');
      return { cancelled: true };
    },
  }));
  await registry.add(CONFIG);
  await downloads.start('tiny');
  await flush();
  assert.deepEqual(await downloads.cancel('tiny'), { cancelled: true });
  await flush();
  const cancelMsg = chrome.runtime.hosts[0].received.find((m) => m.method === 'cancel');
  assert.equal(cancelMsg.params.requestId, pulls[0].req.id);
  const snap = downloads.list().find((d) => d.modelId === 'tiny');
  assert.equal(snap.state, 'cancelled');
  assert.equal(snap.error, null);
  assert.equal((await registry.get('tiny')).download.wanted, false);
  assert.deepEqual(await downloads.resumeAll(), []);
});

test('failures keep the host\'s code and fix: 404, gated repo, disk full', async () => {
  for (const [code, pattern] of [[ErrorCodes.HTTP_NOT_FOUND, /no such file/], [ErrorCodes.HTTP_UNAUTHORIZED, /gated/], [ErrorCodes.DISK_FULL, /disk/]]) {
    const { registry, downloads } = await setup(() => ({
      'models.pull': () => { throw Object.assign(new Error(`failed ${code}`), { code, data: { url: 'http://127.0.0.1:9/tiny/onnx/model.onnx' } }); },
    }));
    await registry.add(CONFIG);
    await downloads.start('tiny');
    await downloads.settled('tiny');
    const snap = downloads.list()[0];
    assert.equal(snap.state, 'failed');
    assert.equal(snap.error.code, code);
    assert.match(snap.error.hint, pattern);
    const rec = await registry.get('tiny');
    assert.equal(rec.download.wanted, false);
    assert.equal(rec.download.error.code, code);
    assert.deepEqual(downloads.clearFinished(), ['tiny'], '"Clear finished" forgets the failed card');
    assert.deepEqual(downloads.list(), []);
  }
});

test('a pull interrupted by the host going away is resumed when the host is back', async () => {
  const storage = createStorageArea();
  const { registry, downloads, pulls } = await setup((pulls) => ({
    'models.pull': (params, req, host) => { pulls.push({ req, host }); },
  }), storage);
  await registry.add(CONFIG);
  await downloads.start('tiny');
  await flush();
  pulls[0].host.exit('Native host has exited.');
  await flush();
  assert.equal(downloads.list()[0].state, 'interrupted');
  assert.equal((await registry.get('tiny')).download.wanted, true);

  // A new browser session (fresh background) over the same storage: the wanted pull is re-issued.
  const again = await setup((pulls2) => ({
    'models.pull': (params, req, host) => { pulls2.push({ params }); },
  }), storage);
  assert.deepEqual(await again.downloads.resumeAll(), ['tiny']);
  await flush();
  assert.deepEqual(again.pulls[0].params, { config: CONFIG });
});

test('starting a running download joins it instead of pulling twice', async () => {
  const { registry, downloads, pulls } = await setup((pulls) => ({
    'models.pull': (params, req) => { pulls.push(req); },
  }));
  await registry.add(CONFIG);
  const a = await downloads.start('tiny');
  const b = await downloads.start('tiny');
  await flush();
  assert.equal(a, b);
  assert.equal(pulls.length, 1);
});

test('the config size keeps the overall total from shrinking when files are announced one by one', async () => {
  const { registry, downloads, pulls } = await setup((pulls) => ({
    'models.pull': (params, req, host) => { pulls.push({ req, host }); },
  }));
  await registry.add({ ...CONFIG, size: 1100 });
  const totals = [];
  downloads.on('progress', (s) => totals.push([s.bytesDone, s.bytesTotal]));
  await downloads.start('tiny');
  await flush();
  const { req, host } = pulls[0];
  host.notify('models.progress', { requestId: req.id, path: 'config.json', state: 'done', bytesDone: 100, bytesTotal: 100 });
  host.notify('models.progress', { requestId: req.id, path: 'onnx/model.onnx', state: 'downloading', bytesDone: 0, bytesTotal: 1000 });
  host.notify('models.progress', { requestId: req.id, path: 'onnx/model.onnx', state: 'downloading', bytesDone: 1000, bytesTotal: 1200 });
  await flush();
  assert.deepEqual(totals, [[0, 1100], [100, 1100], [100, 1100], [1100, 1300]]);
});

test('the total is unknown (0%) until the host announces more than the config file', async () => {
  const { registry, downloads, pulls } = await setup((pulls) => ({
    'models.pull': (params, req, host) => { pulls.push({ req, host }); },
  }));
  await registry.add(CONFIG); // added by URL: no size known in advance
  const totals = [];
  downloads.on('progress', (s) => totals.push([s.bytesDone, s.bytesTotal]));
  await downloads.start('tiny');
  await flush();
  const { req, host } = pulls[0];
  // The real host's order: the config first (it plans the pull from it), then every file queued.
  host.notify('models.progress', { requestId: req.id, path: 'config.json', state: 'downloading', bytesDone: 0, bytesTotal: 100 });
  host.notify('models.progress', { requestId: req.id, path: 'config.json', state: 'done', bytesDone: 100, bytesTotal: 100 });
  host.notify('models.progress', { requestId: req.id, path: 'onnx/model.onnx', state: 'queued', bytesDone: 0, bytesTotal: 1000 });
  host.notify('models.progress', { requestId: req.id, path: 'onnx/model.onnx', state: 'downloading', bytesDone: 500, bytesTotal: 1000 });
  await flush();
  assert.deepEqual(totals, [[0, 0], [0, 0], [100, 0], [100, 1100], [600, 1100]],
    'never 100 % before the plan is known, so the bar never jumps back');
});

test('a pull cut by the engine dying (ENGINE_UNAVAILABLE) is re-issued once the client has handshaken again', async () => {
  const { rpc, registry, downloads, pulls } = await setup((pulls) => ({
    'models.pull': (params, req, host) => { pulls.push({ params, req, host }); },
  }));
  rpc.on('connected', () => downloads.resumeAll()); // as background/main.js wires it
  await registry.add(CONFIG);
  await downloads.start('tiny');
  await flush();
  const states = [];
  downloads.on('progress', (s) => states.push(s.state));
  pulls[0].host.fail(pulls[0].req.id, ErrorCodes.ENGINE_UNAVAILABLE, 'the engine stopped; retry — a new one will start');
  await flush(30);
  assert.equal(pulls.length, 2, 'the pull was issued again');
  assert.deepEqual(pulls[1].params, { config: CONFIG });
  assert.deepEqual(states, ['interrupted', 'downloading']);
  assert.equal((await registry.get('tiny')).download.wanted, true);
  assert.equal(downloads.isActive('tiny'), true);
});
