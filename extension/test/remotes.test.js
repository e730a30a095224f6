import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRemote, checkRemoteUrl, isRemoteModel, remoteOf, remoteModelName, groupByRemote } from '../lib/remotes.js';
import { RpcError, ErrorCodes, hintForCode } from '../lib/errors.js';
import { AppState } from '../ui/app-state.js';
import { Emitter } from '../lib/events.js';
import { chatModels } from '../ui/model-picker.js';

test('a remote server is a name, an https (or loopback http) API base and an optional key', () => {
  assert.deepEqual(validateRemote({ name: 'work', url: 'https://llm.example.com/v1', apiKey: 'sk-123' }),
    { remote: { name: 'work', url: 'https://llm.example.com/v1', apiKey: 'sk-123' } });
  assert.deepEqual(validateRemote({ name: ' lab ', url: ' http://127.0.0.1:8000/v1 ', apiKey: '' }),
    { remote: { name: 'lab', url: 'http://127.0.0.1:8000/v1' } }, 'trimmed; an empty key is no key (not sent at all)');
  for (const url of ['http://localhost:11434/v1', 'http://[::1]:8080/v1', 'http://127.0.0.2:1234/v1']) {
    assert.equal(checkRemoteUrl(url), null, url);
  }
});

test('hostile or unusable names are refused before anything reaches the host', () => {
  for (const name of ['', '../etc', 'a/b', 'a b', '-x', '.x', '_x', '__proto__', 'ä', 'x\u0000', 'a:b', 'x'.repeat(65)]) {
    const { errors, remote } = validateRemote({ name, url: 'https://x.example/v1' });
    assert.equal(remote, undefined, JSON.stringify(name));
    assert.ok(errors.name, JSON.stringify(name));
  }
  assert.ok(validateRemote({ name: 'x'.repeat(64), url: 'https://x.example/v1' }).remote);
  assert.ok(validateRemote({ name: 'my-server_2.lan', url: 'https://x.example/v1' }).remote);
});

test('plain http beyond this computer, other schemes, credentials, queries and fragments are refused', () => {
  for (const url of ['http://10.1.2.3/v1', 'http://example.com/v1', 'http://127.0.0.1.evil.com/v1', 'http://localhost.evil.com/v1']) {
    assert.match(checkRemoteUrl(url), /https/, url);
  }
  for (const url of ['ftp://127.0.0.1/v1', 'file:///etc/passwd', 'javascript:alert(1)', 'chrome://settings', 'data:text/plain,x']) {
    assert.ok(checkRemoteUrl(url), url);
  }
  assert.match(checkRemoteUrl('https://user:pw@x.example/v1'), /credentials/);
  assert.match(checkRemoteUrl('https://x.example/v1?key=1'), /query/);
  assert.match(checkRemoteUrl('https://x.example/v1#x'), /fragment/);
  assert.match(checkRemoteUrl('not a url'), /not a URL/);
  assert.match(checkRemoteUrl(''), /Enter/);
  assert.match(checkRemoteUrl(`https://x.example/${'a'.repeat(3000)}`), /2048/);
});

test('a key that cannot travel in an Authorization header is refused, and never echoed', () => {
  for (const apiKey of ['sk-1\r\nX-Evil: 1', 'sk 1', 'sk-é', 'k'.repeat(4097)]) {
    const { errors } = validateRemote({ name: 'w', url: 'https://x.example/v1', apiKey });
    assert.ok(errors?.apiKey, JSON.stringify(apiKey).slice(0, 40));
    assert.ok(!errors.apiKey.includes(apiKey));
  }
});

test('remote models are told apart from this computer\'s and grouped by server', () => {
  const models = [
    { modelId: 'tiny', complete: true },
    { modelId: 'work/gpt-x', remote: 'work' },
    { modelId: 'lab/qwen/7b', remote: 'lab' },
    { modelId: 'work/gpt-y', remote: 'work' },
  ];
  assert.equal(isRemoteModel(models[0]), false);
  assert.equal(remoteOf(models[1]), 'work');
  assert.equal(remoteModelName(models[2]), 'qwen/7b', 'only the server prefix is taken off');
  assert.equal(remoteModelName(models[0]), 'tiny');
  assert.deepEqual(groupByRemote(models).map(([r, list]) => [r, list.map((m) => m.modelId)]),
    [['work', ['work/gpt-x', 'work/gpt-y']], ['lab', ['lab/qwen/7b']]]);
  assert.deepEqual(groupByRemote(undefined), []);
});

test('a remote server\'s failure gets advice about that server, not about downloads', () => {
  const data = { remote: 'work', url: 'https://x.example/v1' };
  assert.match(new RpcError(ErrorCodes.HTTP_UNAUTHORIZED, 'refused', data).hint, /work.*API key.*Settings → Remote servers/);
  assert.doesNotMatch(new RpcError(ErrorCodes.HTTP_UNAUTHORIZED, 'refused', data).hint, /gated/);
  assert.match(hintForCode(ErrorCodes.DOWNLOAD_FAILED, data), /running and reachable/);
  assert.match(hintForCode(ErrorCodes.INFERENCE_FAILED, data), /running and reachable/);
  assert.match(hintForCode(ErrorCodes.HTTP_NOT_FOUND, data), /\/v1/);
  assert.match(hintForCode(ErrorCodes.URL_REFUSED, data), /redirect/);
  assert.match(hintForCode(ErrorCodes.NOT_FOUND, data), /Test/);
  // Without data.remote the download advice stays.
  assert.match(hintForCode(ErrorCodes.HTTP_UNAUTHORIZED, {}), /gated/);
});

test('the chat offers downloaded and remote models, never an embedder, and marks which are remote', () => {
  const local = [{ modelId: 'tiny', name: 'Tiny', isDownloaded: true }, { modelId: 'big', name: 'Big', isDownloaded: false },
    { modelId: 'all-minilm-l6-v2', name: 'MiniLM', isDownloaded: true }];
  const host = [{ modelId: 'tiny', complete: true }, { modelId: 'pulled', complete: true },
    { modelId: 'work/gpt-x', name: 'work/gpt-x', complete: true, remote: 'work' },
    { modelId: 'work/all-minilm-l6-v2', complete: true, remote: 'work' }, { modelId: 'all-minilm-l6-v2', complete: true }];
  assert.deepEqual(chatModels(local, host), [
    { modelId: 'tiny', name: 'Tiny', remote: null },
    { modelId: 'pulled', name: 'pulled', remote: null },
    { modelId: 'work/gpt-x', name: 'work/gpt-x', remote: 'work' },
  ]);
  assert.deepEqual(chatModels(undefined, undefined), []);
});

class FakeBridge extends Emitter {
  calls = [];
  answer = async () => ({ models: [] });
  async call(method, params) {
    this.calls.push(method);
    if (method === 'models.list') return this.answer();
    throw new Error(`unexpected ${method}`);
  }
}

test('the panel asks the host for its models (remote ones included) only when connected, and tells the sections', async () => {
  const bridge = new FakeBridge();
  const state = new AppState(bridge);
  const seen = [];
  state.on('hostModels', (list) => seen.push(list.map((m) => m.modelId)));
  await state.loadHostModels();
  assert.deepEqual(bridge.calls, [], 'not connected: no call');
  state.host = { state: 'connected' };
  bridge.answer = async () => ({ models: [{ modelId: 'tiny' }, { modelId: 'work/gpt-x', remote: 'work' }] });
  const list = await state.loadHostModels();
  assert.deepEqual(list.map((m) => m.modelId), ['tiny', 'work/gpt-x']);
  bridge.answer = async () => { throw new RpcError(ErrorCodes.METHOD_NOT_FOUND, 'no models.list'); };
  await state.loadHostModels();
  assert.deepEqual(seen, [['tiny', 'work/gpt-x'], []], 'a host without models.list: an empty list, not a failure');
});
