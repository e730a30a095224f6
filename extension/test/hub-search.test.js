import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultVariant, configForVariant } from '../lib/hub-search.js';
import { normalizeModelConfig } from '../lib/validate.js';

const GB = 1e9;
const result = {
  repo: 'onnx-community/Qwen2.5-0.5B-Instruct',
  url: 'https://huggingface.co/onnx-community/Qwen2.5-0.5B-Instruct/resolve/main/',
  chat: { usable: true },
  variants: [
    { dtype: 'fp32', modelFileName: 'onnx/model.onnx', bytes: 2 * GB, totalBytes: 2 * GB + 9000, fits: false },
    { dtype: 'fp16', modelFileName: 'onnx/model_fp16.onnx', bytes: GB, totalBytes: GB + 9000, fits: true },
    { dtype: 'q4', modelFileName: 'onnx/model_q4.onnx', bytes: GB / 2, totalBytes: GB / 2 + 9000, fits: true },
  ],
};

test('the preselected variant is the preferred one that fits, else the smallest', () => {
  assert.equal(defaultVariant(result).dtype, 'q4');
  const tight = { ...result, variants: result.variants.map((v) => ({ ...v, fits: v.dtype === 'fp16' })) };
  assert.equal(defaultVariant(tight).dtype, 'fp16');
  const none = { ...result, variants: result.variants.map((v) => ({ ...v, fits: false })) };
  assert.equal(defaultVariant(none).dtype, 'q4', 'nothing fits: the smallest');
  assert.equal(defaultVariant({ variants: [] }), null);
});

test('a chosen variant becomes a valid ModelConfig named after the repo and the dtype', () => {
  const q4 = configForVariant(result, result.variants[2]);
  assert.deepEqual(q4, {
    modelId: 'qwen2.5-0.5b-instruct-q4', name: 'Qwen2.5-0.5B-Instruct (q4)', url: result.url,
    modelFileName: 'onnx/model_q4.onnx', configFileName: 'config.json', size: GB / 2 + 9000,
  });
  assert.equal(configForVariant(result, result.variants[0]).modelId, 'qwen2.5-0.5b-instruct', 'full precision keeps the plain id');
  const { errors } = normalizeModelConfig(q4);
  assert.equal(errors, undefined, 'the add form would accept it');
  const loopback = configForVariant({ ...result, url: 'http://127.0.0.1:8123/org/tiny/resolve/main/' }, result.variants[2]);
  assert.equal(normalizeModelConfig(loopback).errors, undefined, 'a loopback Hub in tests is accepted too');
});
