/**
 * The page API's isolated-world half: relays between the MAIN-world scripts (content/page-core.js and its
 * users, over window.postMessage on this very window) and the background (background/page-api.js, over one
 * runtime port per frame). It adds what the page cannot forge: the user-activation state of this frame. The origin the
 * background acts on is the port's sender, never anything the page says.
 */
(() => {
  const api = globalThis.browser?.runtime?.connect ? globalThis.browser : globalThis.chrome;
  if (!api?.runtime?.connect) return;
  const TAG = 'llmcp-page-api';
  let port = null;

  const toPage = (msg) => window.postMessage({ [TAG]: 'down', ...msg }, window.location.origin === 'null' ? '*' : window.location.origin);

  const connect = () => {
    port = api.runtime.connect({ name: 'llmcp-page' });
    port.onMessage.addListener((msg) => toPage(msg));
    port.onDisconnect.addListener(() => {
      // The background went away (a service worker restart): fail what was in flight, reconnect on demand.
      port = null;
      toPage({ type: 'disconnected' });
    });
  };

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.data?.[TAG] !== 'up') return;
    const { [TAG]: _, ...msg } = event.data;
    msg.userActivation = !!navigator.userActivation?.isActive;
    try {
      if (!port) connect();
      port.postMessage(msg);
    } catch (err) {
      toPage({ type: 'error', id: msg.id, error: { name: 'OperationError', message: String(err?.message ?? err) } });
    }
  });
})();
