/**
 * The original design's storage API, under its original names, now backed by the native host. Works on
 * import in every extension context with no set-up: in the background it calls the native port's owner
 * directly, in the side panel, popup or any extension page it goes through the page's runtime port to the
 * background (lib/host-link.js).
 *
 * The deliberate change: model bytes never enter the browser. "Fetch" means the host pulls the files into
 * its store (through the background's DownloadManager, so the Downloads tab shows the progress and a pull
 * interrupted by a browser or host restart resumes); `loadOrFetchModel` resolves when the model is stored,
 * to a descriptor `{modelId, files, bytes, sha256}` instead of an ArrayBuffer, and whatever needed the
 * bytes (inference) is a host call (`generate`, `embed`).
 *
 * - `hasModelData(modelId)`           → host `models.has` → `complete`
 * - `loadOrFetchModel(modelId, url?)` → `models.has`, else the stored config (or one made from `url`) is
 *                                       pulled; progress snapshots go to `onProgress`
 * - `storeData(key, data)` / `loadData(key)` → host `data.put` / `data.get` (binary as `{"$bytes": base64}`)
 * - `storeModelConfig(modelId, json)` / `loadModelConfig(modelId)` → the light ModelConfig
 *   `{modelId, name, url, size, modelFileName, configFileName, modelExDataFileName?, isDownloaded?}` in
 *   `storage.local` (the extension's model list)
 * - `OnnxModelFetch(config)` → an object bound to that config with the same operations and `load()`, the
 *   original flow: `hasModelData` → `loadOrFetchModel` (when missing) → `loadModelConfig` → ready.
 */
import { ErrorCodes } from './errors.js';
import { hostLink } from './host-link.js';

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
 * Ensures the host holds the model and describes it. `url` is used only when no config is stored for
 * `modelId`: a repo base URL (default file names) or the URL of the model file itself; the config made from
 * it is stored in the model list. Resolves when every file is stored and verified.
 * @param options.onProgress `(snapshot) => void`: `{modelId, state, bytesDone, bytesTotal, bytesPerSecond,
 *   etaSeconds, files: {path: {state, bytesDone, bytesTotal}}}` as the Downloads tab shows it
 * @returns `{modelId, files:[{path,size,sha256}], bytes, sha256}` — sha256 of the model file
 */
export async function loadOrFetchModel(modelId, url, { onProgress } = {}) {
  const link = hostLink();
  const has = await link.call('models.has', { modelId });
  if (has?.complete) return describe(modelId, orderModelFirst(has.files, await link.getConfig(modelId)));
  let config = await link.getConfig(modelId);
  if (!config) {
    if (!url) throw new Error(`model '${modelId}' is not stored and no URL was given`);
    config = await link.putConfig(configFromUrl(modelId, url));
  }
  await link.download(modelId, { onProgress });
  const stored = await link.call('models.has', { modelId });
  return describe(modelId, orderModelFirst(stored?.files, config));
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
  const has = await hostLink().call('models.has', { modelId });
  return !!has?.complete;
}

/** Stores any JSON value (binary is carried as base64) under `key` in the host's data map. */
export async function storeData(key, data) {
  return hostLink().call('data.put', { key, value: encodeValue(data) });
}

/** The value stored under `key`, or null when there is none. */
export async function loadData(key) {
  try {
    const res = await hostLink().call('data.get', { key });
    return decodeValue(res?.value);
  } catch (err) {
    if (err?.code === ErrorCodes.NOT_FOUND) return null;
    throw err;
  }
}

/**
 * Stores (adds or updates) the model's light ModelConfig in the extension's model list (`storage.local`).
 * `json` is an object or its JSON text; it is validated (https URL, relative file names) and resolves to
 * the stored config.
 */
export async function storeModelConfig(modelId, json) {
  const value = typeof json === 'string' ? JSON.parse(json) : json;
  return hostLink().putConfig({ ...value, modelId });
}

/** The stored light ModelConfig, or null. */
export async function loadModelConfig(modelId) {
  return (await hostLink().getConfig(modelId)) ?? null;
}

/**
 * The original design's entry: an object bound to one ModelConfig (or a model id) offering the same
 * operations and the whole load flow. `OnnxModelFetch(config)` and `new OnnxModelFetch(config)` are the same.
 */
export class ModelFetch {
  #config;

  constructor(config) {
    const c = typeof config === 'string' ? { modelId: config } : config;
    if (!c?.modelId || typeof c.modelId !== 'string') throw new Error('OnnxModelFetch: config.modelId is required');
    this.#config = { ...c };
  }

  get modelId() {
    return this.#config.modelId;
  }

  /** The config this object was made with. */
  get config() {
    return { ...this.#config };
  }

  hasModelData() {
    return hasModelData(this.modelId);
  }

  loadModelConfig() {
    return loadModelConfig(this.modelId);
  }

  /** Stores the bound config (what the constructor got) in the model list. */
  storeModelConfig() {
    return storeModelConfig(this.modelId, this.#config);
  }

  /** Stores the bound config when it is a full one (it names a URL) and the list has none yet; then fetches. */
  async loadOrFetchModel({ onProgress } = {}) {
    await this.#ensureConfig();
    return loadOrFetchModel(this.modelId, this.#config.url, { onProgress });
  }

  /**
   * The original flow: `hasModelData` → `loadOrFetchModel` when the host lacks it → `loadModelConfig` → ready.
   * @returns `{config, model}` — the stored light config (`isDownloaded: true`; null for a model only the host
   *   knows), and the descriptor of what was fetched (null when the host already held the model)
   */
  async load({ onProgress } = {}) {
    let model = null;
    if (!(await this.hasModelData())) model = await this.loadOrFetchModel({ onProgress });
    let config = await this.#ensureConfig();
    // A model the host holds but the list does not (pulled with the CLI, no URL given) is ready without one.
    if (config && !config.isDownloaded) config = await storeModelConfig(this.modelId, { ...config, isDownloaded: true });
    return { config, model };
  }

  async #ensureConfig() {
    const stored = await this.loadModelConfig();
    if (stored || !this.#config.url) return stored;
    return this.storeModelConfig();
  }
}

/** `OnnxModelFetch(config)` → a {@link ModelFetch} bound to `config` (a ModelConfig or a model id). */
export function OnnxModelFetch(config) {
  return new ModelFetch(config);
}
OnnxModelFetch.prototype = ModelFetch.prototype;

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
