import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStorageArea } from './fake-chrome.js';
import { ModelRegistry, STORAGE_KEY, HEAVY_FIELDS, toProtocolConfig } from '../background/models.js';
import { ClientErrors } from '../lib/errors.js';

const fakeRpc = (answers = {}) => ({
  calls: [],
  async call(method, params) {
    this.calls.push({ method, params });
    const a = answers[method];
    if (typeof a === 'function') return a(params);
    return a;
  },
});

test('migration strips the heavy fields of old configs and keeps everything else', async () => {
  const big = 'x'.repeat(100_000);
  const storage = createStorageArea({
    [STORAGE_KEY]: [
      { modelId: 'a', name: 'A', url: 'https://h/a/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json',
        size: 5, isDownloaded: true, configData: { vocab: 1 }, modelData: big, externalData: [big], custom: 'kept' },
      { modelId: 'b', name: 'B', url: 'https://h/b/', modelFileName: 'm.onnx', configFileName: 'c.json', isDownloaded: true },
    ],
    unrelated: 1,
  });
  const registry = new ModelRegistry(storage, fakeRpc());
  const res = await registry.migrate();
  assert.deepEqual(res, { migrated: 1, dropped: 0 });
  const [a, b] = storage.dump()[STORAGE_KEY];
  for (const f of HEAVY_FIELDS) assert.equal(f in a, false, `${f} removed`);
  assert.deepEqual(a, { modelId: 'a', name: 'A', url: 'https://h/a/', modelFileName: 'onnx/model.onnx',
    configFileName: 'config.json', size: 5, isDownloaded: false, custom: 'kept' });
  assert.deepEqual(b, { modelId: 'b', name: 'B', url: 'https://h/b/', modelFileName: 'm.onnx', configFileName: 'c.json', isDownloaded: true },
    'a config without heavy fields is untouched (its isDownloaded too)');
  assert.equal(storage.dump().unrelated, 1);
  assert.ok(JSON.stringify(storage.dump()).length < 1000, 'the stored list is light now');
});

test('migration is idempotent and converts the old object-keyed shape, dropping broken entries', async () => {
  const storage = createStorageArea({
    [STORAGE_KEY]: { m1: { name: 'M1', url: 'https://h/', modelData: 'AAAA' }, m2: { name: 'M2', url: 'https://h/2/' } },
  });
  const registry = new ModelRegistry(storage, fakeRpc());
  assert.deepEqual(await registry.migrate(), { migrated: 2, dropped: 0 });
  const list = await registry.list();
  assert.deepEqual(list.map((m) => m.modelId), ['m1', 'm2']);
  assert.equal('modelData' in list[0], false);
  assert.deepEqual(await registry.migrate(), { migrated: 0, dropped: 0 });

  const broken = createStorageArea({ [STORAGE_KEY]: [null, { name: 'no id' }, { modelId: 'x' }, { modelId: 'x', name: 'dup' }] });
  const r2 = new ModelRegistry(broken, fakeRpc());
  assert.deepEqual(await r2.migrate(), { migrated: 0, dropped: 3 });
  assert.deepEqual(broken.dump()[STORAGE_KEY], [{ modelId: 'x' }]);

  const empty = createStorageArea();
  assert.deepEqual(await new ModelRegistry(empty, fakeRpc()).migrate(), { migrated: 0, dropped: 0 });
  assert.equal(STORAGE_KEY in empty.dump(), false);
});

test('add validates, fills defaults, refuses duplicate ids, and emits the new list', async () => {
  const storage = createStorageArea();
  const registry = new ModelRegistry(storage, fakeRpc());
  const lists = [];
  registry.on('changed', (l) => lists.push(l.length));
  const rec = await registry.add({ url: 'https://huggingface.co/org/Some-Model', name: '' });
  assert.equal(rec.modelId, 'some-model');
  assert.equal(rec.url, 'https://huggingface.co/org/Some-Model/resolve/main/');
  assert.equal(rec.modelFileName, 'onnx/model.onnx');
  assert.equal(rec.isDownloaded, false);
  await assert.rejects(registry.add({ url: 'https://huggingface.co/org/Some-Model' }), (err) => {
    assert.equal(err.code, ClientErrors.INVALID_INPUT);
    assert.ok(err.data.fields.modelId);
    return true;
  });
  await assert.rejects(registry.add({ url: 'http://example.com/x/' }), (err) => {
    assert.ok(err.data.fields.url);
    return true;
  });
  await registry.add({ url: 'https://huggingface.co/org/Some-Model', name: 'Renamed' }, { replace: true });
  assert.equal((await registry.get('some-model')).name, 'Renamed');
  assert.deepEqual(lists, [1, 1]);
});

test('concurrent updates are serialised: none is lost', async () => {
  const storage = createStorageArea();
  const registry = new ModelRegistry(storage, fakeRpc());
  await Promise.all(['a', 'b', 'c', 'd'].map((id) => registry.add({ url: `https://h.example/${id}/`, modelId: id })));
  await Promise.all(['a', 'b', 'c', 'd'].map((id, i) => registry.update(id, { size: i + 1 })));
  const list = await registry.list();
  assert.deepEqual(list.map((m) => [m.modelId, m.size]), [['a', 1], ['b', 2], ['c', 3], ['d', 4]]);
});

test('refreshDownloaded mirrors models.has; a failing lookup leaves the record as it was', async () => {
  const storage = createStorageArea({
    [STORAGE_KEY]: [
      { modelId: 'done', url: 'https://h/1/', isDownloaded: false },
      { modelId: 'gone', url: 'https://h/2/', isDownloaded: true },
      { modelId: 'err', url: 'https://h/3/', isDownloaded: true },
      { modelId: 'lost', url: 'https://h/4/', isDownloaded: true },
    ],
  });
  let lostBack = false;
  const rpc = fakeRpc({
    'models.has': ({ modelId }) => {
      if (modelId === 'err') throw new Error('host busy');
      if (modelId === 'lost') {
        return lostBack ? { modelId, known: true, complete: true, files: [], missing: [] }
          : { modelId, known: true, complete: false, files: [], missing: ['onnx/model.onnx'] };
      }
      return { modelId, known: modelId === 'done', complete: modelId === 'done', files: [], missing: [] };
    },
  });
  const registry = new ModelRegistry(storage, rpc);
  await registry.refreshDownloaded();
  const byId = Object.fromEntries((await registry.list()).map((m) => [m.modelId, m.isDownloaded]));
  assert.deepEqual(byId, { done: true, gone: false, err: true, lost: false });
  assert.deepEqual(rpc.calls.map((c) => c.params.modelId).sort(), ['done', 'err', 'gone', 'lost']);
  const lost = (await registry.list()).find((m) => m.modelId === 'lost');
  assert.deepEqual(lost.filesMissing, ['onnx/model.onnx'], 'files gone from the store are named, so the panel offers "Download again"');
  assert.equal((await registry.list()).find((m) => m.modelId === 'gone').filesMissing, undefined, 'never downloaded is not "missing"');
  lostBack = true;
  await registry.refreshDownloaded();
  const again = (await registry.list()).find((m) => m.modelId === 'lost');
  assert.equal(again.isDownloaded, true);
  assert.equal('filesMissing' in again, false);
});

test('the protocol config carries exactly the ModelConfig fields', () => {
  const cfg = toProtocolConfig({ modelId: 'a', name: 'A', url: 'https://h/', size: 3, modelFileName: 'm', configFileName: 'c',
    modelExDataFileName: '', isDownloaded: true, download: { wanted: true }, addedAt: 1 });
  assert.deepEqual(cfg, { modelId: 'a', name: 'A', url: 'https://h/', size: 3, modelFileName: 'm', configFileName: 'c' });
});
