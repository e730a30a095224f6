import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateRepoUrl, checkRelativePath, checkModelId, normalizeModelConfig, suggestModelId, isLoopbackHost } from '../lib/validate.js';
import { CATALOG, catalogConfig, catalogFiles, findCatalogEntry } from '../lib/catalog.js';

test('https URLs are accepted; http only for loopback', () => {
  assert.deepEqual(validateRepoUrl('https://example.org/models/x/'), { ok: true, url: 'https://example.org/models/x/' });
  for (const url of ['http://127.0.0.1:8080/tiny/', 'http://localhost:3000/m/', 'http://127.0.0.5/m/', 'http://[::1]:9/m/']) {
    assert.equal(validateRepoUrl(url).ok, true, url);
  }
  for (const url of ['http://example.org/m/', 'http://10.0.0.1/m/', 'http://127.0.0.1.evil.com/m/', 'http://localhost.evil.com/']) {
    const r = validateRepoUrl(url);
    assert.equal(r.ok, false, url);
    assert.match(r.error, /https/);
  }
});

test('other schemes, credentials, queries and dot segments are refused', () => {
  for (const url of ['ftp://example.org/m/', 'file:///etc/passwd', 'javascript:alert(1)', 'data:text/plain,x', 'chrome://settings']) {
    assert.equal(validateRepoUrl(url).ok, false, url);
  }
  assert.match(validateRepoUrl('https://user:pw@example.org/m/').error, /credentials/);
  assert.match(validateRepoUrl('https://example.org/m/?x=1').error, /query/);
  assert.equal(validateRepoUrl('').ok, false);
  assert.equal(validateRepoUrl('not a url').ok, false);
  // The URL parser would fold these into another path; they are refused as typed.
  assert.equal(validateRepoUrl('https://example.org/a/../b/').ok, false);
  assert.equal(validateRepoUrl('https://example.org/a/%2e%2e/b/').ok, false);
});

test('Hugging Face repo names and page URLs become file base URLs', () => {
  assert.equal(validateRepoUrl('onnx-community/Qwen2.5-0.5B-Instruct').url,
    'https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/');
  assert.equal(validateRepoUrl('https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct').url,
    'https://huggingface.co/HuggingFaceTB/SmolLM2-135M-Instruct/resolve/main/');
  assert.equal(validateRepoUrl('https://huggingface.co/org/repo/tree/v2').url, 'https://huggingface.co/org/repo/resolve/v2/');
  assert.equal(validateRepoUrl('https://huggingface.co/org/repo/resolve/main/onnx/model.onnx').url,
    'https://huggingface.co/org/repo/resolve/main/onnx/model.onnx');
  assert.equal(suggestModelId('https://huggingface.co/org/SmolLM2-135M-Instruct/resolve/main/'), 'smollm2-135m-instruct');
  assert.equal(suggestModelId('http://127.0.0.1:9/tiny-model/'), 'tiny-model');
});

test('file names must be relative, forward-slashed, without .. or control characters', () => {
  for (const ok of ['onnx/model.onnx', 'config.json', 'onnx/model_q4f16.onnx_data', 'a/b/c.d']) {
    assert.equal(checkRelativePath(ok), null, ok);
  }
  const bad = {
    '../secret': /\.\./, 'onnx/../../x': /\.\./, '/etc/passwd': /relative/, 'C:/x.onnx': /relative/,
    'onnx\\model.onnx': /backslash/, 'a\u0000b': /control/, 'a\nb': /control/, '': /required/, ' model.onnx': /spaces/,
    'onnx//model.onnx': /empty/, './model.onnx': /empty or "\."/,
  };
  for (const [name, pattern] of Object.entries(bad)) assert.match(checkRelativePath(name), pattern, JSON.stringify(name));
});

test('model ids are safe names', () => {
  assert.equal(checkModelId('qwen2.5-0.5b_instruct'), null);
  for (const bad of ['', '-x', 'a/b', 'a b', '../x', 'x'.repeat(129)]) assert.ok(checkModelId(bad), bad);
});

test('normalizeModelConfig fills defaults and reports every bad field at once', () => {
  const { config } = normalizeModelConfig({ url: 'http://127.0.0.1:4000/tiny', modelExDataFileName: '' });
  assert.deepEqual(config, { modelId: 'tiny', name: 'tiny', url: 'http://127.0.0.1:4000/tiny/', modelFileName: 'onnx/model.onnx', configFileName: 'config.json' });

  const full = normalizeModelConfig({ url: 'https://h.example/r/resolve/main/onnx/model_q4.onnx', modelId: 'r', name: 'R', size: '42',
    modelFileName: 'onnx/model_q4.onnx', modelExDataFileName: 'onnx/model_q4.onnx_data' });
  assert.deepEqual(full.config, { modelId: 'r', name: 'R', url: 'https://h.example/r/resolve/main/', modelFileName: 'onnx/model_q4.onnx',
    configFileName: 'config.json', modelExDataFileName: 'onnx/model_q4.onnx_data', size: 42 });

  const { errors } = normalizeModelConfig({ url: 'http://evil.example/', modelId: 'a b', modelFileName: '../x', configFileName: '/abs', modelExDataFileName: 'a\\b', size: -1 });
  assert.deepEqual(Object.keys(errors).sort(), ['configFileName', 'modelExDataFileName', 'modelFileName', 'modelId', 'size', 'url']);
});

test('loopback detection is exact', () => {
  assert.equal(isLoopbackHost('127.0.0.1'), true);
  assert.equal(isLoopbackHost('LOCALHOST'), true);
  assert.equal(isLoopbackHost('127.1.2.3'), true);
  assert.equal(isLoopbackHost('127.0.0.1.nip.io'), false);
  assert.equal(isLoopbackHost('0.0.0.0'), false);
});

test('every catalog entry is a valid, honest ModelConfig', () => {
  const ids = new Set();
  for (const entry of CATALOG) {
    assert.ok(!ids.has(entry.modelId), `unique id ${entry.modelId}`);
    ids.add(entry.modelId);
    assert.ok(entry.size > 0 && entry.size < 10e9, `${entry.modelId} size`);
    assert.ok(entry.name && entry.description && entry.license, `${entry.modelId} described`);
    assert.ok(catalogFiles(entry).includes(entry.modelFileName));
    if (entry.builtIn) continue;
    const cfg = catalogConfig(entry);
    const { config, errors } = normalizeModelConfig(cfg);
    assert.equal(errors, undefined, `${entry.modelId}: ${JSON.stringify(errors)}`);
    assert.deepEqual(config, cfg, `${entry.modelId} normalises to itself`);
    assert.match(cfg.url, /^https:\/\/huggingface\.co\/[^/]+\/[^/]+\/resolve\/main\/$/);
    assert.match(cfg.modelFileName, /^onnx\/model(_q4|_q4f16)?\.onnx$/);
  }
  for (const id of ['smollm2-135m-instruct', 'smollm2-360m-instruct', 'qwen2.5-0.5b-instruct', 'llama-3.2-1b-instruct', 'phi-3.5-mini-instruct']) {
    assert.equal(findCatalogEntry(id)?.kind, 'chat', id);
  }
  const embed = findCatalogEntry('all-minilm-l6-v2');
  assert.equal(embed.kind, 'embedding');
  assert.equal(embed.builtIn, true);
});
