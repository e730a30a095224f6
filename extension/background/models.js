/**
 * The model list the extension keeps: `ModelConfig[]` in storage.local under one key, light configs
 * only. Heavy bytes live in the host's store; `isDownloaded` mirrors the host's `models.has`.
 *
 * Stored record: ModelConfig ({modelId, name, url, size, modelFileName, configFileName,
 * modelExDataFileName?}) plus {isDownloaded, addedAt, download?: {wanted, state, error?}}.
 */
import { Emitter } from '../lib/events.js';
import { RpcError, ClientErrors } from '../lib/errors.js';
import { normalizeModelConfig } from '../lib/validate.js';

export const STORAGE_KEY = 'modelConfigs';
/** Fields the original design kept in the browser (whole model bytes); never again. */
export const HEAVY_FIELDS = Object.freeze(['configData', 'modelData', 'externalData']);
const PROTOCOL_FIELDS = ['modelId', 'name', 'url', 'size', 'modelFileName', 'configFileName', 'modelExDataFileName'];
/** The light ModelConfig the original design's `loadModelConfig` returns: the protocol fields + `isDownloaded`. */
const LIGHT_FIELDS = [...PROTOCOL_FIELDS, 'isDownloaded'];

/** The ModelConfig exactly as PROTOCOL.md defines it (no extension bookkeeping). */
export function toProtocolConfig(record) {
  const out = {};
  for (const f of PROTOCOL_FIELDS) if (record[f] !== undefined && record[f] !== null && record[f] !== '') out[f] = record[f];
  return out;
}

/** The light ModelConfig of a stored record (no extension bookkeeping such as `addedAt` or `download`). */
export function toModelConfig(record) {
  if (!record) return null;
  const out = {};
  for (const f of LIGHT_FIELDS) if (record[f] !== undefined && record[f] !== null && record[f] !== '') out[f] = record[f];
  return out;
}

export class ModelRegistry extends Emitter {
  #storage;
  #rpc;
  #queue = Promise.resolve();

  /**
   * @param storage `chrome.storage.local` (or a fake): promise-returning get/set
   * @param rpc an object with `call(method, params)` (the RpcClient)
   */
  constructor(storage, rpc) {
    super();
    this.#storage = storage;
    this.#rpc = rpc;
  }

  async list() {
    const got = await this.#storage.get(STORAGE_KEY);
    const value = got?.[STORAGE_KEY];
    return Array.isArray(value) ? value : [];
  }

  async get(modelId) {
    return (await this.list()).find((m) => m.modelId === modelId) ?? null;
  }

  /**
   * Strips heavy fields from configs saved by the old in-browser design and normalises the list shape
   * (older versions kept an object keyed by modelId). Keeps everything else.
   * @returns `{migrated, dropped}` counts
   */
  migrate() {
    return this.#mutate(async () => {
      const got = await this.#storage.get(STORAGE_KEY);
      const raw = got?.[STORAGE_KEY];
      if (raw === undefined) return { result: { migrated: 0, dropped: 0 } };
      let entries;
      if (Array.isArray(raw)) entries = raw;
      else if (raw && typeof raw === 'object') entries = Object.entries(raw).map(([k, v]) => ({ modelId: k, ...v }));
      else entries = [];
      const reshaped = !Array.isArray(raw);
      let migrated = 0;
      let dropped = 0;
      const seen = new Set();
      const out = [];
      for (const entry of entries) {
        if (!entry || typeof entry !== 'object' || typeof entry.modelId !== 'string' || !entry.modelId
            || seen.has(entry.modelId)) {
          dropped++;
          continue;
        }
        seen.add(entry.modelId);
        const copy = { ...entry };
        let changed = false;
        for (const f of HEAVY_FIELDS) {
          if (f in copy) { delete copy[f]; changed = true; }
        }
        if (changed) {
          // Whatever was in the browser is gone; the host tells us again whether it has the model.
          copy.isDownloaded = false;
        }
        if (changed || reshaped) migrated++;
        out.push(copy);
      }
      const changedList = migrated > 0 || dropped > 0;
      return { list: changedList ? out : null, result: { migrated, dropped } };
    });
  }

  /** Adds (or replaces, when `replace`) a model after validating it. */
  add(input, { replace = false } = {}) {
    return this.#mutate(async (list) => {
      const { config, errors } = normalizeModelConfig(input);
      if (errors) {
        throw new RpcError(ClientErrors.INVALID_INPUT, Object.values(errors).join(' '), { fields: errors });
      }
      const existing = list.findIndex((m) => m.modelId === config.modelId);
      if (existing >= 0 && !replace) {
        throw new RpcError(ClientErrors.INVALID_INPUT, `A model with id '${config.modelId}' already exists.`,
          { fields: { modelId: 'This id is taken; choose another.' } });
      }
      const record = { ...config, isDownloaded: false, addedAt: Date.now() };
      const next = [...list];
      if (existing >= 0) next[existing] = { ...next[existing], ...record };
      else next.push(record);
      return { list: next, result: record };
    });
  }

  /**
   * Adds or updates a model (fetchchunkstore's `storeModelConfig`): validated like `add`; an existing
   * record keeps its bookkeeping (`addedAt`, `download`) and its `isDownloaded` unless `input` says otherwise.
   */
  put(input) {
    return this.#mutate(async (list) => {
      const { config, errors } = normalizeModelConfig(input);
      if (errors) {
        throw new RpcError(ClientErrors.INVALID_INPUT, Object.values(errors).join(' '), { fields: errors });
      }
      const i = list.findIndex((m) => m.modelId === config.modelId);
      const next = [...list];
      const isDownloaded = typeof input.isDownloaded === 'boolean' ? input.isDownloaded : (list[i]?.isDownloaded ?? false);
      if (i >= 0) {
        const kept = { ...next[i] };
        for (const f of PROTOCOL_FIELDS) delete kept[f];
        next[i] = { ...kept, ...config, isDownloaded };
      } else {
        next.push({ ...config, isDownloaded, addedAt: Date.now() });
      }
      return { list: next, result: next[i >= 0 ? i : next.length - 1] };
    });
  }

  update(modelId, patch) {
    return this.#mutate(async (list) => {
      const i = list.findIndex((m) => m.modelId === modelId);
      if (i < 0) return { result: null };
      const next = [...list];
      next[i] = { ...next[i], ...patch };
      return { list: next, result: next[i] };
    });
  }

  remove(modelId) {
    return this.#mutate(async (list) => {
      const next = list.filter((m) => m.modelId !== modelId);
      return { list: next.length === list.length ? null : next, result: next.length !== list.length };
    });
  }

  /**
   * Asks the host which models are complete and records it as `isDownloaded`: every model of the list, or only
   * `modelIds` (what a `models.changed` notification names).
   */
  async refreshDownloaded(modelIds = null) {
    const wanted = modelIds ? new Set(modelIds) : null;
    const list = (await this.list()).filter((m) => !wanted || wanted.has(m.modelId));
    const answers = await Promise.all(list.map(async (m) => {
      try {
        const has = await this.#rpc.call('models.has', { modelId: m.modelId });
        return [m.modelId, { complete: !!has?.complete, known: !!has?.known, missing: has?.missing ?? [] }];
      } catch (err) {
        return [m.modelId, { error: err }];
      }
    }));
    const byId = new Map(answers);
    return this.#mutate(async (current) => {
      let changed = false;
      const next = current.map((m) => {
        const a = byId.get(m.modelId);
        if (!a || a.error) return m;
        // Files gone: the host knows the model but some of its files are missing (deleted blobs, a store
        // restored from a backup); the panel offers "Download again" instead of "Downloaded".
        const filesMissing = a.known && !a.complete && a.missing.length > 0 ? a.missing : undefined;
        if (m.isDownloaded === a.complete && String(m.filesMissing ?? '') === String(filesMissing ?? '')) return m;
        changed = true;
        const { filesMissing: _old, ...rest } = m;
        return { ...rest, isDownloaded: a.complete, ...(filesMissing ? { filesMissing } : {}) };
      });
      return { list: changed ? next : null, result: next };
    });
  }

  /** Serialises read-modify-write cycles so concurrent updates never lose each other's changes. */
  #mutate(fn) {
    const run = this.#queue.then(async () => {
      const list = await this.list();
      const { list: next, result } = await fn(list);
      if (next) {
        await this.#storage.set({ [STORAGE_KEY]: next });
        this.emit('changed', next);
      }
      return result;
    });
    this.#queue = run.catch(() => {});
    return run;
  }
}
