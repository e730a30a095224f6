/**
 * The page side of the UI router: one runtime port to the background, calls with streamed
 * notifications, cancel, and broadcast events. Reconnects when the background restarts (a Chrome
 * service worker can be stopped while idle); calls in flight at that moment fail with a clear error.
 */
import { Emitter } from './events.js';
import { RpcError, ClientErrors, deserializeError } from './errors.js';

export const UI_PORT_NAME = 'llmcp-ui';

export class Bridge extends Emitter {
  #runtime;
  #port = null;
  #nextCallId = 1;
  #calls = new Map();

  constructor(runtime) {
    super();
    this.#runtime = runtime;
    this.#connect();
  }

  #connect() {
    const port = this.#runtime.connect({ name: UI_PORT_NAME });
    this.#port = port;
    port.onMessage.addListener((msg) => this.#onMessage(msg));
    port.onDisconnect.addListener(() => {
      if (this.#port !== port) return;
      this.#port = null;
      const err = new RpcError(ClientErrors.UI_DISCONNECTED, 'the extension background restarted; try again');
      for (const call of this.#calls.values()) call.reject(err);
      this.#calls.clear();
      setTimeout(() => { this.#connect(); this.emit('reconnected'); }, 100);
    });
  }

  /**
   * Starts a call. `ext.*` methods run in the background, others go to the host.
   * @returns `{callId, result: Promise, cancel()}`
   */
  start(method, params, { onNotification, onStarted, timeoutMs } = {}) {
    const callId = this.#nextCallId++;
    let resolve;
    let reject;
    const result = new Promise((res, rej) => { resolve = res; reject = rej; });
    this.#calls.set(callId, { resolve, reject, onNotification, onStarted });
    const msg = { type: 'call', callId, method, params };
    if (timeoutMs !== undefined) msg.timeoutMs = timeoutMs;
    try {
      if (!this.#port) this.#connect();
      this.#port.postMessage(msg);
    } catch (err) {
      this.#calls.delete(callId);
      reject(new RpcError(ClientErrors.UI_DISCONNECTED, `could not reach the extension background: ${err.message}`));
    }
    return { callId, result, cancel: () => this.cancel(callId) };
  }

  call(method, params, options) {
    return this.start(method, params, options).result;
  }

  cancel(callId) {
    try { this.#port?.postMessage({ type: 'cancel', callId }); } catch { /* background gone */ }
  }

  #onMessage(msg) {
    if (msg?.type === 'event') {
      this.emit(msg.event, msg.data);
      return;
    }
    const call = this.#calls.get(msg?.callId);
    if (!call) return;
    switch (msg.type) {
      case 'started': call.onStarted?.(msg.requestId); break;
      case 'notification': call.onNotification?.(msg.method, msg.params); break;
      case 'result': this.#calls.delete(msg.callId); call.resolve(msg.result); break;
      case 'error': this.#calls.delete(msg.callId); call.reject(deserializeError(msg.error)); break;
      default: break;
    }
  }
}
