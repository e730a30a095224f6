/**
 * JSON-RPC 2.0 client over a message transport (the native port). Pure transport: ids, per-request
 * timeouts, reconnect with backoff, large-result reassembly, notification routing. It holds no model
 * state; domain modules subscribe to its events.
 *
 * Events: 'state' (state, detail), 'connected' (handshake result), 'disconnected' ({summary, hint, raw}),
 * 'notification' (method, params) for every host notification except rpc.resultPart.
 *
 * The browser starts a thin proxy that forwards to the user's engine. When the engine dies the proxy keeps
 * the port open and answers what was in flight with ENGINE_UNAVAILABLE; the next request starts a new
 * engine. So that error means "connected to a new host": the client repeats the handshake and emits
 * 'connected' again, which is what re-issues interrupted downloads and refreshes the status.
 */
import { Emitter } from '../lib/events.js';
import { RpcError, ClientErrors, ErrorCodes, explainNativeFailure } from '../lib/errors.js';

export const DEFAULT_TIMEOUT_MS = 30_000;
export const DEFAULT_BACKOFF = Object.freeze({ initialMs: 500, maxMs: 30_000, factor: 2 });

export class RpcClient extends Emitter {
  #transport;
  #conn = null;
  #nextId = 1;
  #pending = new Map();
  #timers;
  #backoff;
  #attempt = 0;
  #reconnectTimer = null;
  #autoReconnect;
  #handshake;
  #defaultTimeoutMs;
  #closed = false;
  state = 'idle';
  lastFailure = null;

  /**
   * @param transport `{open({onMessage, onDisconnect}) → {send, close}}`
   * @param options.handshake method called right after connecting ('host.info'); its answer marks 'connected'
   * @param options.timers `{setTimeout, clearTimeout}` (injectable for tests)
   */
  constructor(transport, {
    defaultTimeoutMs = DEFAULT_TIMEOUT_MS,
    backoff = DEFAULT_BACKOFF,
    autoReconnect = true,
    handshake = 'host.info',
    timers = globalThis,
  } = {}) {
    super();
    this.#transport = transport;
    this.#defaultTimeoutMs = defaultTimeoutMs;
    this.#backoff = { ...DEFAULT_BACKOFF, ...backoff };
    this.#autoReconnect = autoReconnect;
    this.#handshake = handshake;
    this.#timers = timers;
  }

  /** Opens the port now (cancelling any scheduled retry). Resolves with the handshake result. */
  connect() {
    this.#closed = false;
    this.#clearReconnect();
    if (this.#conn && (this.state === 'connecting' || this.state === 'connected')) {
      return this.#handshakePromise;
    }
    this.#setState('connecting');
    const conn = this.#transport.open({
      onMessage: (msg) => { if (this.#conn === conn) this.#onMessage(msg); },
      onDisconnect: (text) => { if (this.#conn === conn) this.#onDisconnect(text); },
    });
    this.#conn = conn;
    if (!this.#handshake) {
      this.#setState('connected');
      this.#handshakePromise = Promise.resolve(null);
      return this.#handshakePromise;
    }
    this.#handshakePromise = this.call(this.#handshake, undefined).then((info) => {
      if (this.#conn !== conn) return info;
      this.#attempt = 0;
      this.lastFailure = null;
      this.#setState('connected', info);
      this.emit('connected', info);
      return info;
    });
    this.#handshakePromise.catch((err) => {
      // A port that is open but whose host never answers (or answers the handshake with an error) is
      // no connection: close it and retry with backoff. A closed port was already reported.
      if (this.#conn !== conn || err?.code === ClientErrors.HOST_UNAVAILABLE) return;
      conn.close();
      this.#onDisconnect(`the host did not complete the handshake: ${err?.message ?? err}`);
    });
    return this.#handshakePromise;
  }

  #handshakePromise = null;

  /** The engine behind the proxy went away: handshake again over the same port (it starts a new one). */
  #engineLost() {
    const conn = this.#conn;
    if (!conn || !this.#handshake || this.state !== 'connected') return; // one re-handshake at a time
    this.#setState('connecting');
    this.#handshakePromise = this.call(this.#handshake, undefined).then((info) => {
      if (this.#conn !== conn) return info;
      this.#setState('connected', info);
      this.emit('connected', info);
      return info;
    });
    this.#handshakePromise.catch((err) => {
      if (this.#conn !== conn || err?.code === ClientErrors.HOST_UNAVAILABLE) return;
      // No engine came back through this proxy: drop the port and reconnect with backoff.
      conn.close();
      this.#onDisconnect(`the host's engine stopped and did not come back: ${err?.message ?? err}`);
    });
  }

  /** Closes the port and stops reconnecting. Pending requests are rejected. */
  close() {
    this.#closed = true;
    this.#clearReconnect();
    const conn = this.#conn;
    this.#conn = null;
    conn?.close();
    this.#rejectAll(new RpcError(ClientErrors.HOST_UNAVAILABLE, 'the connection to the host was closed'));
    this.#setState('idle');
  }

  /**
   * Sends a request. `timeoutMs` (0 = none) is an idle timeout: every notification belonging to the
   * request restarts it, so a long download or generation that keeps reporting never times out.
   * @returns `{id, result: Promise}`
   */
  request(method, params, { timeoutMs = this.#defaultTimeoutMs, onNotification } = {}) {
    if (!this.#conn && !this.#closed) this.connect();
    const id = this.#nextId++;
    let resolve;
    let reject;
    const result = new Promise((res, rej) => { resolve = res; reject = rej; });
    const entry = { id, method, resolve, reject, onNotification, timeoutMs, timer: null, parts: null };
    this.#pending.set(id, entry);
    this.#armTimer(entry);
    const msg = { jsonrpc: '2.0', id, method };
    if (params !== undefined) msg.params = params;
    try {
      if (!this.#conn) throw new Error('not connected');
      this.#conn.send(msg);
    } catch (err) {
      this.#settle(entry, new RpcError(ClientErrors.HOST_UNAVAILABLE,
        `could not send '${method}' to the host: ${err.message}`));
    }
    return { id, result };
  }

  call(method, params, options) {
    return this.request(method, params, options).result;
  }

  /** Asks the host to cancel request `id`; resolves with the host's `{cancelled}`. */
  cancel(id) {
    return this.call('cancel', { requestId: id });
  }

  get pendingCount() {
    return this.#pending.size;
  }

  #armTimer(entry) {
    if (entry.timer) this.#timers.clearTimeout(entry.timer);
    entry.timer = null;
    if (!entry.timeoutMs) return;
    entry.timer = this.#timers.setTimeout(() => {
      const seconds = Math.round(entry.timeoutMs / 100) / 10;
      this.#settle(entry, new RpcError(ClientErrors.TIMEOUT,
        `the host did not answer '${entry.method}' within ${seconds} s`));
      // Tell the host to stop working on it; its late answer will find no pending entry.
      if (entry.method !== 'cancel' && this.#conn) {
        this.request('cancel', { requestId: entry.id }, { timeoutMs: 5000 }).result.catch(() => {});
      }
    }, entry.timeoutMs);
  }

  #settle(entry, error, value) {
    if (!this.#pending.delete(entry.id)) return;
    if (entry.timer) this.#timers.clearTimeout(entry.timer);
    if (error) entry.reject(error);
    else entry.resolve(value);
  }

  #onMessage(msg) {
    if (!msg || typeof msg !== 'object') return;
    if (typeof msg.method === 'string' && msg.id === undefined) {
      this.#onNotification(msg.method, msg.params ?? {});
      return;
    }
    if (msg.id === null || msg.id === undefined) {
      // An error the host could not tie to a request (e.g. -32001 frame too large).
      this.emit('protocol-error', msg.error ?? msg);
      return;
    }
    const entry = this.#pending.get(msg.id);
    if (!entry) return; // timed out or cancelled locally; the late answer is dropped
    if (msg.error) {
      const e = msg.error;
      this.#settle(entry, new RpcError(e.code ?? ErrorCodes.INTERNAL_ERROR, e.message ?? 'host error', e.data));
      if (e.code === ErrorCodes.ENGINE_UNAVAILABLE && entry.method !== this.#handshake) this.#engineLost();
      return;
    }
    const result = msg.result;
    if (result && typeof result === 'object' && Number.isInteger(result.$parts)
        && Object.keys(result).length === 1) {
      this.#reassemble(entry, result.$parts);
      return;
    }
    this.#settle(entry, null, result);
  }

  #onNotification(method, params) {
    const entry = this.#pending.get(params?.requestId);
    if (method === 'rpc.resultPart') {
      if (!entry) return;
      entry.parts ??= [];
      entry.parts[params.index] = params.data;
      this.#armTimer(entry);
      return;
    }
    if (entry) {
      this.#armTimer(entry);
      if (entry.onNotification) {
        try {
          entry.onNotification(method, params);
        } catch (err) {
          console.error(`notification handler for ${entry.method} failed`, err);
        }
      }
    }
    this.emit('notification', method, params);
  }

  #reassemble(entry, count) {
    const parts = entry.parts ?? [];
    const missing = [];
    for (let i = 0; i < count; i++) if (typeof parts[i] !== 'string') missing.push(i);
    if (missing.length) {
      this.#settle(entry, new RpcError(ClientErrors.BAD_RESULT,
        `result of '${entry.method}' arrived incomplete: parts ${missing.join(', ')} of ${count} missing`));
      return;
    }
    try {
      const chunks = parts.slice(0, count).map(base64ToBytes);
      const total = chunks.reduce((n, c) => n + c.length, 0);
      const joined = new Uint8Array(total);
      let at = 0;
      for (const c of chunks) { joined.set(c, at); at += c.length; }
      // Decode after joining: a slice boundary may fall inside a multi-byte UTF-8 character.
      const text = new TextDecoder('utf-8', { fatal: true }).decode(joined);
      this.#settle(entry, null, JSON.parse(text));
    } catch (err) {
      this.#settle(entry, new RpcError(ClientErrors.BAD_RESULT,
        `result of '${entry.method}' could not be reassembled: ${err.message}`));
    }
  }

  #onDisconnect(text) {
    this.#conn = null;
    const failure = explainNativeFailure(text);
    this.lastFailure = failure;
    this.#rejectAll(new RpcError(ClientErrors.HOST_UNAVAILABLE,
      `${failure.summary}${failure.raw && !failure.summary.includes(failure.raw) ? ` (${failure.raw})` : ''}`,
      { lastError: failure.raw }, failure.hint));
    this.#setState('disconnected', failure);
    this.emit('disconnected', failure);
    this.#scheduleReconnect();
  }

  #rejectAll(error) {
    for (const entry of [...this.#pending.values()]) this.#settle(entry, error);
  }

  #scheduleReconnect() {
    if (!this.#autoReconnect || this.#closed) return;
    const { initialMs, maxMs, factor } = this.#backoff;
    const delay = Math.min(maxMs, initialMs * factor ** this.#attempt);
    this.#attempt++;
    this.nextRetryMs = delay;
    this.#reconnectTimer = this.#timers.setTimeout(() => {
      this.#reconnectTimer = null;
      this.connect();
    }, delay);
  }

  #clearReconnect() {
    if (this.#reconnectTimer) this.#timers.clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
  }

  #setState(state, detail) {
    this.state = state;
    this.emit('state', state, detail);
  }
}

function base64ToBytes(b64) {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
