/**
 * The original design's storage API, under its original names, now backed by the native host.
 *
 * The deliberate change: model bytes never enter the browser. The host downloads, chunks, verifies and
 * stores them, and runs inference on them; frames from the host are capped at 1 MiB anyway. So
 * `loadOrFetchModel` resolves to a descriptor `{modelId, files, bytes, sha256}` instead of an ArrayBuffer,
 * and everything that needed the bytes (inference) is a host call (`generate`, `embed`).
 *
 * Each function is one (or two) host calls. Bind a caller first: `setHostCaller(call)` where
 * `call(method, params, options)` returns a promise (the background's RpcClient.call, or the UI bridge's).
 */
import { ErrorCodes } from './errors.js';

let hostCall = null;

/** Sets the function used to reach the host. */
export function setHostCaller(call) {
  hostCall = call;
}

function call(method, params, options) {
  if (!hostCall) throw new Error('fetchchunkstore: no host caller bound (call setHostCaller first)');
  return hostCall(method, params, options);
}

const CONFIG_KEY = (modelId) => `modelConfig:${modelId}`;
const BYTES_MARK = '$bytes';

/** Splits a file URL into the repo base URL and the file's path (relative to that base). */
export function splitModelUrl(url) {
  const u = new URL(url);
  const resolveAt = u.pathname.indexOf('/resolve/');
  if (resolveAt >= 0) {
    // https://host/org/repo/resolve/<rev>/onnx/model.onnx → base .../resolve/<rev>/, file onnx/model.onnx
    const afterRev = u.pathname.indexOf('/', resolveAt + '/resolve/'.length);
    if (afterRev > 0 && afterRev < u.pathname.length - 1) {
      return { base: `${u.origin}${u.pathname.slice(0, afterRev + 1)}`, file: u.pathname.slice(afterRev + 1) };
    }
  }
  const slash = u.pathname.lastIndexOf('/');
  return { base: `${u.origin}${u.pathname.slice(0, slash + 1)}`, file: u.pathname.slice(slash + 1) };
}

function describe(modelId, files) {
  const list = (files ?? []).map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 }));
  const main = list[0];
  return {
    modelId,
    files: list,
    bytes: list.reduce((n, f) => n + (f.size || 0), 0),
    sha256: main?.sha256 ?? null,
  };
}

/**
 * Ensures the host holds the model and describes it. `url` is either a repo base URL (then the stored
 * config, or the defaults, name the files) or the URL of the model file itself.
 * @returns `{modelId, files:[{path,size,sha256}], bytes, sha256}` — sha256 of the model file
 */
export async function loadOrFetchModel(modelId, url, { onProgress } = {}) {
  const has = await call('models.has', { modelId });
  if (has?.complete) return describe(modelId, orderModelFirst(has.files, await loadModelConfig(modelId)));
  let config = await loadModelConfig(modelId);
  if (!config) {
    if (!url) throw new Error(`model '${modelId}' is not stored and no URL was given`);
    config = configFromUrl(modelId, url);
  }
  const res = await call('models.pull', { config }, {
    timeoutMs: 10 * 60_000,
    onNotification: (method, params) => { if (method === 'models.progress') onProgress?.(params); },
  });
  return describe(modelId, orderModelFirst(res?.files, config));
}

function configFromUrl(modelId, url) {
  const { base, file } = splitModelUrl(url);
  if (file.endsWith('.onnx')) {
    return { modelId, name: modelId, url: base, modelFileName: file, configFileName: 'config.json' };
  }
  return { modelId, name: modelId, url: url.endsWith('/') ? url : `${url}/`, modelFileName: 'onnx/model.onnx', configFileName: 'config.json' };
}

function orderModelFirst(files, config) {
  const list = [...(files ?? [])];
  const main = config?.modelFileName;
  list.sort((a, b) => (b.path === main) - (a.path === main));
  return list;
}

/** True when the host holds every file of the model. */
export async function hasModelData(modelId) {
  const has = await call('models.has', { modelId });
  return !!has?.complete;
}

/** Stores any JSON value (binary is carried as base64) under `key` in the host's data map. */
export async function storeData(key, data) {
  return call('data.put', { key, value: encodeValue(data) });
}

/** The value stored under `key`, or null when there is none. */
export async function loadData(key) {
  try {
    const res = await call('data.get', { key });
    return decodeValue(res?.value);
  } catch (err) {
    if (err?.code === ErrorCodes.NOT_FOUND) return null;
    throw err;
  }
}

/** Stores the model's ModelConfig (the light JSON) with the host. */
export async function storeModelConfig(modelId, json) {
  const value = typeof json === 'string' ? JSON.parse(json) : json;
  return call('data.put', { key: CONFIG_KEY(modelId), value: { ...value, modelId } });
}

/** The stored ModelConfig, or null. */
export async function loadModelConfig(modelId) {
  return loadData(CONFIG_KEY(modelId));
}

/** Downloads (or resumes) a model described by a ModelConfig; resolves when it is stored and verified. */
export async function OnnxModelFetch(config, { onProgress } = {}) {
  if (!config?.modelId) throw new Error("OnnxModelFetch: config.modelId is required");
  await storeModelConfig(config.modelId, config);
  await call('models.pull', { config }, {
    timeoutMs: 10 * 60_000,
    onNotification: (method, params) => { if (method === 'models.progress') onProgress?.(params); },
  });
}

function encodeValue(data) {
  if (data instanceof ArrayBuffer) data = new Uint8Array(data);
  if (ArrayBuffer.isView(data)) {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    let bin = '';
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { [BYTES_MARK]: btoa(bin) };
  }
  return data;
}

function decodeValue(value) {
  if (value && typeof value === 'object' && Object.keys(value).length === 1 && typeof value[BYTES_MARK] === 'string') {
    const bin = atob(value[BYTES_MARK]);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }
  return value ?? null;
}
