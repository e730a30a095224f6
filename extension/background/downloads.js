/**
 * Downloads: one `models.pull` per model, its per-file progress (from `models.progress`), cancel, and
 * resume after a browser or host restart (a pull the person asked for and that did not finish is
 * recorded as `download.wanted` and re-issued when the host is back; the host resumes from its store).
 *
 * Events: 'progress' (snapshot of one model's download) on every change.
 */
import { Emitter } from '../lib/events.js';
import { ClientErrors, ErrorCodes, RpcError, serializeError, deserializeError } from '../lib/errors.js';
import { toProtocolConfig } from './models.js';

/** A pull may go quiet while the host verifies a multi-GB file; its notifications restart this. */
export const PULL_IDLE_TIMEOUT_MS = 10 * 60_000;
const TERMINAL_FILE_STATES = new Set(['done', 'linked', 'failed', 'cancelled']);

export class DownloadManager extends Emitter {
  #registry;
  #rpc;
  #active = new Map(); // modelId → {requestId, snapshot, promise}
  #recent = new Map(); // modelId → last snapshot of a finished/failed download

  constructor(registry, rpc) {
    super();
    this.#registry = registry;
    this.#rpc = rpc;
  }

  /** Snapshots of running and recently finished downloads. */
  list() {
    const out = [];
    for (const [, a] of this.#active) out.push(a.snapshot);
    for (const [id, s] of this.#recent) if (!this.#active.has(id)) out.push(s);
    return out;
  }

  /** Forgets the finished, failed and cancelled downloads (running ones stay); resolves to the ids cleared. */
  clearFinished() {
    const cleared = [...this.#recent.keys()].filter((id) => !this.#active.has(id));
    for (const id of cleared) this.#recent.delete(id);
    return cleared;
  }

  isActive(modelId) {
    return this.#active.has(modelId);
  }

  /** Starts (or joins) the pull of a model in the registry. Resolves when it has started. */
  async start(modelId) {
    const running = this.#active.get(modelId);
    if (running) return running.snapshot;
    const record = await this.#registry.get(modelId);
    if (!record) throw new RpcError(ErrorCodes.NOT_FOUND, `unknown model '${modelId}'`);
    const snapshot = {
      modelId,
      name: record.name,
      state: 'downloading',
      startedAt: Date.now(),
      files: {},
      bytesDone: 0,
      bytesTotal: record.size ?? 0,
      // The config's size (approximate for catalog entries) keeps the bar from jumping back when a
      // later file is announced; the host's per-file totals take over as soon as they add up to more.
      estimatedTotal: record.size ?? 0,
      // The host fetches the config first (it decides which files to pull) and only then announces the
      // others: until one of them is announced the total is unknown, not "the config file's size".
      configFile: record.configFileName || 'config.json',
      planned: false,
      bytesPerSecond: 0,
      etaSeconds: null,
      error: null,
    };
    await this.#registry.update(modelId, { download: { wanted: true, state: 'downloading' } });
    const { id, result } = this.#rpc.request('models.pull', { config: toProtocolConfig(record) }, {
      timeoutMs: PULL_IDLE_TIMEOUT_MS,
      onNotification: (method, params) => {
        if (method === 'models.progress') this.#onProgress(snapshot, params);
      },
    });
    snapshot.requestId = id;
    const entry = { requestId: id, snapshot };
    this.#active.set(modelId, entry);
    this.#recent.delete(modelId);
    this.emit('progress', snapshot);
    entry.promise = result.then(
      (res) => this.#finished(snapshot, res),
      (err) => this.#failed(snapshot, err),
    );
    return snapshot;
  }

  /**
   * Starts (or joins) the pull of a model in the registry and resolves when it is stored: fetchchunkstore's
   * `loadOrFetchModel`. A pull interrupted because the host went away is resumed when it is back, and this
   * keeps waiting; it rejects when the pull fails or is cancelled.
   * @param options.onProgress `(snapshot) => void` on every change of this model's download
   */
  run(modelId, { onProgress } = {}) {
    return new Promise((resolve, reject) => {
      const off = this.on('progress', (snapshot) => {
        if (snapshot.modelId !== modelId) return;
        onProgress?.(snapshot);
        if (snapshot.state === 'complete') {
          off();
          resolve(snapshot);
        } else if (snapshot.state === 'failed' || snapshot.state === 'cancelled') {
          off();
          reject(snapshot.error ? deserializeError(snapshot.error)
            : new RpcError(ErrorCodes.CANCELLED, `the download of '${modelId}' was cancelled`));
        }
      });
      this.start(modelId).catch((err) => { off(); reject(err); });
    });
  }

  /** Cancels a running pull; the person's intent is recorded so it is not resumed. */
  async cancel(modelId) {
    const entry = this.#active.get(modelId);
    await this.#registry.update(modelId, { download: { wanted: false, state: 'cancelled' } });
    if (!entry) return { cancelled: false };
    entry.snapshot.cancelling = true;
    this.emit('progress', entry.snapshot);
    try {
      return await this.#rpc.cancel(entry.requestId);
    } catch (err) {
      return { cancelled: false, error: serializeError(err) };
    }
  }

  /** Re-issues every pull that was wanted and did not finish (after a host or browser restart). */
  async resumeAll() {
    const list = await this.#registry.list();
    const resumed = [];
    for (const m of list) {
      if (m.download?.wanted && !m.isDownloaded && !this.#active.has(m.modelId)) {
        resumed.push(m.modelId);
        await this.start(m.modelId).catch((err) => console.error(`resume of ${m.modelId} failed`, err));
      }
    }
    return resumed;
  }

  /** Waits for a running pull to settle (tests, fetchchunkstore). */
  async settled(modelId) {
    await this.#active.get(modelId)?.promise;
    return this.#recent.get(modelId) ?? null;
  }

  #onProgress(snapshot, p) {
    if (!p?.path) return;
    if (p.path !== snapshot.configFile) snapshot.planned = true;
    const prev = snapshot.files[p.path] ?? {};
    snapshot.files[p.path] = {
      path: p.path,
      state: p.state ?? prev.state ?? 'queued',
      bytesDone: p.bytesDone ?? prev.bytesDone ?? 0,
      bytesTotal: p.bytesTotal ?? prev.bytesTotal ?? 0,
      bytesPerSecond: p.bytesPerSecond ?? 0,
      etaSeconds: p.etaSeconds ?? null,
      error: p.error ?? null,
    };
    this.#aggregate(snapshot);
    this.emit('progress', snapshot);
  }

  #aggregate(snapshot) {
    const files = Object.values(snapshot.files);
    snapshot.bytesDone = files.reduce((n, f) => n + (f.bytesDone || 0), 0);
    const known = files.reduce((n, f) => n + (f.bytesTotal || 0), 0);
    const running = snapshot.state === 'downloading';
    const estimate = snapshot.estimatedTotal ?? 0;
    snapshot.bytesTotal = running && !snapshot.planned
      ? (estimate > snapshot.bytesDone ? estimate : 0) // 0: unknown yet, the bar stays at 0%
      : Math.max(known, snapshot.bytesDone, running ? estimate : 0);
    snapshot.bytesPerSecond = files
      .filter((f) => !TERMINAL_FILE_STATES.has(f.state))
      .reduce((n, f) => n + (f.bytesPerSecond || 0), 0);
    const remaining = snapshot.bytesTotal - snapshot.bytesDone;
    snapshot.etaSeconds = snapshot.bytesPerSecond > 0 ? Math.ceil(remaining / snapshot.bytesPerSecond) : null;
  }

  async #finished(snapshot, res) {
    for (const f of res?.files ?? []) {
      snapshot.files[f.path] = {
        ...(snapshot.files[f.path] ?? {}),
        path: f.path,
        state: f.linked ? 'linked' : 'done',
        bytesDone: f.size,
        bytesTotal: f.size,
        bytesPerSecond: 0,
        etaSeconds: 0,
        sha256: f.sha256,
      };
    }
    this.#aggregate(snapshot);
    Object.assign(snapshot, {
      state: 'complete', finishedAt: Date.now(), etaSeconds: 0, bytesPerSecond: 0,
      bytesDownloaded: res?.bytesDownloaded ?? null, bytesLinked: res?.bytesLinked ?? null,
    });
    this.#active.delete(snapshot.modelId);
    this.#recent.set(snapshot.modelId, snapshot);
    await this.#registry.update(snapshot.modelId, { isDownloaded: true, download: { wanted: false, state: 'complete' } });
    this.emit('progress', snapshot);
  }

  async #failed(snapshot, err) {
    const error = serializeError(err);
    let state;
    let wanted;
    if (err?.code === ErrorCodes.CANCELLED) {
      state = 'cancelled'; wanted = false;
    } else if (err?.code === ClientErrors.HOST_UNAVAILABLE || err?.code === ErrorCodes.ENGINE_UNAVAILABLE) {
      // The host (or the engine behind the proxy) went away mid-download: keep the intent, resume when
      // it is back (the RpcClient's next 'connected').
      state = 'interrupted'; wanted = true;
    } else {
      state = 'failed'; wanted = false;
    }
    Object.assign(snapshot, { state, error: state === 'cancelled' ? null : error, finishedAt: Date.now(), bytesPerSecond: 0, etaSeconds: null });
    this.#active.delete(snapshot.modelId);
    this.#recent.set(snapshot.modelId, snapshot);
    const stillWanted = wanted && (await this.#registry.get(snapshot.modelId))?.download?.wanted !== false;
    await this.#registry.update(snapshot.modelId, {
      download: { wanted: stillWanted, state, ...(snapshot.error ? { error: snapshot.error } : {}) },
    });
    this.emit('progress', snapshot);
  }
}
