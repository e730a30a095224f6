import { test, beforeEach } from 'node:test';
import assert from 'node:assert/strict';
import * as fcs from '../lib/fetchchunkstore.js';
import { RpcError, ErrorCodes } from '../lib/errors.js';

/** A fake host: records calls, keeps a data map and a set of complete models. */
function fakeHost() {
  const calls = [];
  const data = new Map();
  const models = new Map();
  const call = async (method, params, options) => {
    calls.push({ method, params });
    switch (method) {
      case 'data.put': data.set(params.key, JSON.parse(JSON.stringify(params.value))); return { key: params.key, bytes: JSON.stringify(params.value).length };
      case 'data.get':
        if (!data.has(params.key)) throw new RpcError(ErrorCodes.NOT_FOUND, `no key ${params.key}`);
        return { key: params.key, value: data.get(params.key) };
      case 'models.has': {
        const m = models.get(params.modelId);
        return { modelId: params.modelId, known: !!m, complete: !!m, files: m ?? [], missing: m ? [] : ['onnx/model.onnx'] };
      }
      case 'models.pull': {
        const c = params.config;
        options?.onNotification?.('models.progress', { requestId: 1, modelId: c.modelId, path: c.modelFileName, state: 'done', bytesDone: 10, bytesTotal: 10 });
        const files = [{ path: 'config.json', size: 5, sha256: 'c0' }, { path: c.modelFileName, size: 10, sha256: 'aa' }];
        models.set(c.modelId, files);
        return { modelId: c.modelId, files, bytesDownloaded: 15, bytesLinked: 0 };
      }
      default: throw new RpcError(ErrorCodes.METHOD_NOT_FOUND, method);
    }
  };
  return { call, calls, data, models };
}

let host;
beforeEach(() => {
  host = fakeHost();
  fcs.setHostCaller(host.call);
});

test('loadOrFetchModel pulls a model given by its file URL and resolves to a descriptor, not bytes', async () => {
  const progress = [];
  const d = await fcs.loadOrFetchModel('tiny', 'http://127.0.0.1:9/org/tiny/resolve/main/onnx/model_q4.onnx', { onProgress: (p) => progress.push(p.state) });
  assert.deepEqual(d, { modelId: 'tiny', files: [{ path: 'onnx/model_q4.onnx', size: 10, sha256: 'aa' }, { path: 'config.json', size: 5, sha256: 'c0' }], bytes: 15, sha256: 'aa' });
  const pull = host.calls.find((c) => c.method === 'models.pull');
  assert.deepEqual(pull.params.config, { modelId: 'tiny', name: 'tiny', url: 'http://127.0.0.1:9/org/tiny/resolve/main/', modelFileName: 'onnx/model_q4.onnx', configFileName: 'config.json' });
  assert.deepEqual(progress, ['done']);
  // Second time: already stored, no pull.
  host.calls.length = 0;
  const again = await fcs.loadOrFetchModel('tiny', 'ignored');
  assert.equal(again.bytes, 15);
  assert.equal(host.calls.some((c) => c.method === 'models.pull'), false);
});

test('loadOrFetchModel prefers the stored config; without one and without a URL it says so', async () => {
  await fcs.storeModelConfig('m', { name: 'M', url: 'https://h.example/m/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json' });
  const d = await fcs.loadOrFetchModel('m');
  assert.equal(d.sha256, 'aa');
  assert.equal(host.calls.find((c) => c.method === 'models.pull').params.config.url, 'https://h.example/m/');
  await assert.rejects(fcs.loadOrFetchModel('unknown'), /no URL/);
});

test('hasModelData is models.has → complete', async () => {
  assert.equal(await fcs.hasModelData('x'), false);
  host.models.set('x', []);
  assert.equal(await fcs.hasModelData('x'), true);
});

test('storeData / loadData round-trip JSON and binary; a missing key loads as null', async () => {
  await fcs.storeData('settings', { a: 1, b: [true, 'x'] });
  assert.deepEqual(await fcs.loadData('settings'), { a: 1, b: [true, 'x'] });
  const bytes = new Uint8Array([0, 1, 2, 253, 254, 255]);
  await fcs.storeData('blob', bytes.buffer);
  assert.deepEqual(await fcs.loadData('blob'), bytes);
  assert.equal(await fcs.loadData('nothing'), null);
  assert.deepEqual(host.calls.map((c) => c.method), ['data.put', 'data.get', 'data.put', 'data.get', 'data.get']);
});

test('storeModelConfig / loadModelConfig keep the light JSON with the host (strings accepted)', async () => {
  await fcs.storeModelConfig('q', JSON.stringify({ name: 'Q', url: 'https://h.example/q/' }));
  assert.deepEqual(await fcs.loadModelConfig('q'), { name: 'Q', url: 'https://h.example/q/', modelId: 'q' });
  assert.equal(await fcs.loadModelConfig('none'), null);
});

test('OnnxModelFetch stores the config and pulls; resolves to nothing', async () => {
  const cfg = { modelId: 'o', name: 'O', url: 'https://h.example/o/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json' };
  assert.equal(await fcs.OnnxModelFetch(cfg), undefined);
  assert.deepEqual(host.calls.map((c) => c.method), ['data.put', 'models.pull']);
  assert.equal(await fcs.hasModelData('o'), true);
  await assert.rejects(fcs.OnnxModelFetch({}), /modelId/);
});

test('splitModelUrl finds the repo base of a file URL', () => {
  assert.deepEqual(fcs.splitModelUrl('https://huggingface.co/o/r/resolve/main/onnx/model.onnx'),
    { base: 'https://huggingface.co/o/r/resolve/main/', file: 'onnx/model.onnx' });
  assert.deepEqual(fcs.splitModelUrl('http://127.0.0.1:5/tiny/model.onnx'), { base: 'http://127.0.0.1:5/tiny/', file: 'model.onnx' });
});

test('without a bound caller the API fails loudly', async () => {
  fcs.setHostCaller(null);
  await assert.rejects(fcs.hasModelData('x'), /setHostCaller/);
});
