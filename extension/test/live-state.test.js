import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeChrome, ManualClock, flush, scriptedHost } from './fake-chrome.js';
import { createNativeTransport } from '../background/native-port.js';
import { RpcClient } from '../background/rpc-client.js';
import { UiRouter } from '../background/ui-router.js';
import { ModelRegistry, STORAGE_KEY } from '../background/models.js';
import { followHostChanges, MODELS_CHANGED } from '../background/live-state.js';
import { Bridge } from '../lib/bridge.js';
import { AppState } from '../ui/app-state.js';

const record = (modelId) => ({ modelId, name: modelId.toUpperCase(), url: `https://huggingface.co/org/${modelId}/resolve/main/`,
  modelFileName: 'onnx/model.onnx', configFileName: 'config.json', isDownloaded: true });

/** The background as main.js wires it, with a scripted host whose store the test changes, and one open panel. */
async function setup() {
  const onHost = new Map([['a', true], ['b', true]]); // modelId → complete on the host
  const hasCalls = [];
  const chrome = createFakeChrome({
    onNative: scriptedHost({
      'models.has': ({ modelId }) => {
        hasCalls.push(modelId);
        return { modelId, known: onHost.has(modelId), complete: onHost.get(modelId) === true, files: [], missing: [] };
      },
    }),
  });
  await chrome.storage.local.set({ [STORAGE_KEY]: [record('a'), record('b')] });
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: new ManualClock() });
  const models = new ModelRegistry(chrome.storage.local, rpc);
  const handlers = { 'ext.status': async () => ({ state: 'connected' }), 'ext.models.list': () => models.list(), 'ext.downloads.list': async () => [] };
  const router = new UiRouter(chrome.runtime, rpc, handlers);
  models.on('changed', (list) => router.broadcast('models', list));
  followHostChanges({ rpc, models, broadcast: (event, data) => router.broadcast(event, data) });
  await rpc.connect();
  const state = new AppState(new Bridge(chrome.runtime));
  await state.load();
  return { chrome, host: chrome.runtime.hosts[0], onHost, hasCalls, state };
}

test('a model deleted by another client stops being "Downloaded" in the open panel', async () => {
  const { host, onHost, hasCalls, state } = await setup();
  assert.deepEqual(state.models.map((m) => [m.modelId, m.isDownloaded]), [['a', true], ['b', true]]);
  const heard = [];
  state.on('modelsChanged', (c) => heard.push(c));

  onHost.delete('a'); // `llmcp rm a` in a terminal
  host.notify(MODELS_CHANGED, { modelId: 'a', change: 'deleted', at: 1 });
  await flush();

  assert.deepEqual(hasCalls, ['a'], 'only the model named is asked about');
  assert.deepEqual(state.models.map((m) => [m.modelId, m.isDownloaded]), [['a', false], ['b', true]]);
  assert.deepEqual(heard, [{ modelId: 'a', change: 'deleted' }], 'the views that read the host directly hear it too');
});

test('evicted and pulled elsewhere update the list; pin changes only tell the views', async () => {
  const { host, onHost, hasCalls, state } = await setup();
  const heard = [];
  state.on('modelsChanged', (c) => heard.push(`${c.modelId}:${c.change}`));

  onHost.delete('b');
  host.notify(MODELS_CHANGED, { modelId: 'b', change: 'evicted' });
  await flush();
  assert.equal(state.models.find((m) => m.modelId === 'b').isDownloaded, false);

  onHost.set('b', true); // another browser pulled it again
  host.notify(MODELS_CHANGED, { modelId: 'b', change: 'pulled' });
  await flush();
  assert.equal(state.models.find((m) => m.modelId === 'b').isDownloaded, true);

  host.notify(MODELS_CHANGED, { modelId: 'a', change: 'pinned' });
  host.notify(MODELS_CHANGED, { modelId: 'zzz', change: 'deleted' }); // not in this browser's list
  host.notify(MODELS_CHANGED, { change: 'deleted' }); // malformed: ignored
  await flush();
  assert.deepEqual(hasCalls, ['b', 'b'], 'a pin asks nothing; a model the list lacks is not asked about');
  assert.deepEqual(heard, ['b:evicted', 'b:pulled', 'a:pinned', 'zzz:deleted']);
  assert.deepEqual(state.models.map((m) => m.modelId), ['a', 'b']);
});
