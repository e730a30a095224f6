/**
 * The only place that opens the native port. Everything else talks to the host through the RpcClient,
 * which receives this transport: a factory of connections with `send`, `close`, and two callbacks.
 */
export const HOST_NAME = 'io.llmcp.host';

/**
 * @param runtime `chrome.runtime` / `browser.runtime` (a fake in tests)
 * @returns a transport: `open({onMessage, onDisconnect})` → `{send(msg), close()}`
 */
export function createNativeTransport(runtime, hostName = HOST_NAME) {
  return {
    open({ onMessage, onDisconnect }) {
      let port;
      let closed = false;
      const disconnected = (text) => {
        if (closed) return;
        closed = true;
        onDisconnect(text);
      };
      try {
        port = runtime.connectNative(hostName);
      } catch (err) {
        // Firefox throws synchronously for some failures; report them the same way Chrome does (async).
        queueMicrotask(() => disconnected(err?.message ?? String(err)));
        return { send() {}, close() { closed = true; } };
      }
      port.onMessage.addListener((msg) => onMessage(msg));
      port.onDisconnect.addListener((p) => {
        // Chrome reports the reason in runtime.lastError (reading it also silences the console warning);
        // Firefox in port.error.
        const text = runtime.lastError?.message ?? p?.error?.message ?? port.error?.message ?? null;
        disconnected(text);
      });
      return {
        send(msg) {
          if (closed) throw new Error('native port is closed');
          port.postMessage(msg);
        },
        close() {
          if (closed) return;
          closed = true;
          try { port.disconnect(); } catch { /* already gone */ }
        },
      };
    },
  };
}
