import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStorageArea } from './fake-chrome.js';
import { ModelRegistry } from '../background/models.js';
import { createHandlers, HostStatus } from '../background/handlers.js';
import { Emitter } from '../lib/events.js';
import { ClientErrors } from '../lib/errors.js';

function fakeRpc(answers) {
  const rpc = new Emitter();
  rpc.calls = [];
  rpc.call = async (method, params) => { rpc.calls.push([method, params]); return answers[method]?.(params); };
  rpc.connect = async () => {};
  return rpc;
}

function fakeDownloads() {
  return {
    active: new Set(), started: [], cancelled: [],
    list: () => [], isActive(id) { return this.active.has(id); },
    async start(id) { this.started.push(id); return { modelId: id }; },
    async cancel(id) { this.cancelled.push(id); this.active.delete(id); return { cancelled: true }; },
  };
}

test('ext.models.delete cancels a running pull, deletes on the host and marks the model not downloaded', async () => {
  const rpc = fakeRpc({ 'models.delete': ({ modelId }) => ({ modelId, deleted: true, bytesFreed: 42 }) });
  const models = new ModelRegistry(createStorageArea(), rpc);
  const downloads = fakeDownloads();
  const handlers = createHandlers({ rpc, models, downloads, status: new HostStatus(rpc) });
  await models.add({ url: 'https://h.example/m/', modelId: 'm' });
  await models.update('m', { isDownloaded: true });
  downloads.active.add('m');
  assert.deepEqual(await handlers['ext.models.delete']({ modelId: 'm' }), { modelId: 'm', deleted: true, bytesFreed: 42 });
  assert.deepEqual(downloads.cancelled, ['m']);
  assert.deepEqual(rpc.calls, [['models.delete', { modelId: 'm' }]]);
  const rec = await models.get('m');
  assert.equal(rec.isDownloaded, false);
  assert.equal(rec.download.wanted, false);
  await assert.rejects(handlers['ext.models.delete']({}), { code: ClientErrors.INVALID_INPUT });
});

test('ext.models.add only adds (downloads go through fetchchunkstore); forget removes the config only', async () => {
  const rpc = fakeRpc({});
  const models = new ModelRegistry(createStorageArea(), rpc);
  const downloads = fakeDownloads();
  const handlers = createHandlers({ rpc, models, downloads, status: new HostStatus(rpc) });
  const rec = await handlers['ext.models.add']({ config: { url: 'org/Repo' }, download: true });
  assert.equal(rec.modelId, 'repo');
  assert.deepEqual(downloads.started, [], 'no second path to a download');
  assert.deepEqual(await handlers['ext.models.forget']({ modelId: 'repo' }), { modelId: 'repo', removed: true });
  assert.deepEqual(await models.list(), []);
  assert.deepEqual(rpc.calls, [], 'forgetting never deletes host data');
});

test('the host status follows the connection and keeps the failure with its fix', () => {
  const rpc = fakeRpc({});
  rpc.nextRetryMs = 2000;
  const status = new HostStatus(rpc);
  const seen = [];
  status.on('changed', (s) => seen.push(s.state));
  rpc.emit('state', 'connected', { version: '1.2.3' });
  assert.equal(status.current.info.version, '1.2.3');
  rpc.emit('state', 'disconnected', { summary: 'gone', hint: 'Run install/install.sh' });
  assert.equal(status.current.failure.hint, 'Run install/install.sh');
  assert.equal(status.current.retryInMs, 2000);
  assert.deepEqual(seen, ['connected', 'disconnected']);
});
