/**
 * Connects extension pages (panel, popup) to the background over runtime ports. A page opens a port
 * named 'llmcp-ui' and sends `{type:'call', callId, method, params, timeoutMs?}`; it receives, for that
 * callId, `{type:'started', requestId}`, any number of `{type:'notification', method, params}`, then one
 * `{type:'result', result}` or `{type:'error', error}`. `{type:'cancel', callId}` cancels it.
 * Methods named `ext.*` are answered by the background itself; the rest go to the host unchanged.
 * Broadcasts (host status, model list, download progress) arrive as `{type:'event', event, data}`.
 */
import { serializeError, RpcError, ErrorCodes } from '../lib/errors.js';

export const UI_PORT_NAME = 'llmcp-ui';

export class UiRouter {
  #runtime;
  #rpc;
  #handlers;
  #ports = new Set();

  /**
   * @param runtime `chrome.runtime`
   * @param rpc the RpcClient (host calls)
   * @param handlers `{'ext.x': async (params, {notify}) => result}`
   */
  constructor(runtime, rpc, handlers = {}) {
    this.#runtime = runtime;
    this.#rpc = rpc;
    this.#handlers = handlers;
    // Registered synchronously at start-up: a service worker woken by a connecting page must find it.
    runtime.onConnect.addListener((port) => this.#accept(port));
  }

  get portCount() {
    return this.#ports.size;
  }

  broadcast(event, data) {
    for (const port of this.#ports) {
      try {
        port.postMessage({ type: 'event', event, data });
      } catch {
        this.#ports.delete(port);
      }
    }
  }

  #accept(port) {
    if (port.name !== UI_PORT_NAME) return;
    // Only our own pages: no content script or other extension may drive the host through us.
    if (port.sender?.id && this.#runtime.id && port.sender.id !== this.#runtime.id) {
      port.disconnect();
      return;
    }
    const calls = new Map(); // callId → {requestId}
    this.#ports.add(port);
    const post = (msg) => {
      try { port.postMessage(msg); } catch { /* the page went away */ }
    };
    port.onMessage.addListener((msg) => {
      if (msg?.type === 'call') this.#call(msg, calls, post);
      else if (msg?.type === 'cancel') this.#cancel(msg.callId, calls);
    });
    port.onDisconnect.addListener(() => {
      this.#ports.delete(port);
      // A page that closed no longer wants its work (a generation streaming into a closed panel).
      for (const callId of calls.keys()) this.#cancel(callId, calls);
    });
  }

  async #call(msg, calls, post) {
    const { callId, method, params } = msg;
    if (typeof method !== 'string' || method.startsWith('rpc.')) {
      post({ type: 'error', callId, error: serializeError(new RpcError(ErrorCodes.METHOD_NOT_FOUND, `no method '${method}'`)) });
      return;
    }
    const notify = (m, p) => post({ type: 'notification', callId, method: m, params: p });
    try {
      let result;
      if (method.startsWith('ext.')) {
        const handler = this.#handlers[method];
        if (!handler) throw new RpcError(ErrorCodes.METHOD_NOT_FOUND, `no extension method '${method}'`);
        calls.set(callId, { local: true });
        result = await handler(params ?? {}, { notify });
      } else {
        const options = { onNotification: notify };
        if (msg.timeoutMs !== undefined) options.timeoutMs = msg.timeoutMs;
        const { id, result: promise } = this.#rpc.request(method, params, options);
        calls.set(callId, { requestId: id });
        post({ type: 'started', callId, requestId: id });
        result = await promise;
      }
      post({ type: 'result', callId, result });
    } catch (err) {
      post({ type: 'error', callId, error: serializeError(err) });
    } finally {
      calls.delete(callId);
    }
  }

  #cancel(callId, calls) {
    const call = calls.get(callId);
    if (!call?.requestId) return;
    this.#rpc.cancel(call.requestId).catch(() => { /* the host is gone: nothing left to cancel */ });
  }
}
