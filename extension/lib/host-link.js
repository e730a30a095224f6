/**
 * How code in any extension context reaches the host and the model list, with no set-up by the caller.
 *
 * - In the background (Chrome service worker, Firefox event page) `background/main.js` provides the link
 *   at start-up: host calls go straight to the RpcClient that owns the native port, model configs to the
 *   ModelRegistry (`storage.local`), downloads to the DownloadManager.
 * - Everywhere else (side panel, popup, any extension page) nothing was provided in that realm, so the
 *   link is the page's one runtime port to the background (`Bridge`, shared with the page's own UI):
 *   host methods are forwarded to the host unchanged, the rest are the background's `ext.*` methods.
 *
 * A link is `{call(method, params, options), getConfig(modelId), putConfig(config),
 * download(modelId, {onProgress})}`; both kinds behave the same (background/handlers.js answers the
 * `ext.*` methods with the background's own link).
 */
import { extensionApi } from './browser.js';
import { Bridge } from './bridge.js';

let provided = null;
let bridge = null;

/** background/main.js: this realm owns the native port; `link` is used directly. `null` withdraws it. */
export function provideBackgroundLink(link) {
  provided = link;
}

/** True in this realm's background (the link was provided here). */
export function isBackground() {
  return provided !== null;
}

/** The page's one port to the background, created on first use (the panel's UI shares it). */
export function sharedBridge() {
  if (!bridge) {
    const runtime = extensionApi()?.runtime;
    if (!runtime?.connect) throw new Error('llmcp: not running in an extension context (no runtime.connect)');
    bridge = new Bridge(runtime);
  }
  return bridge;
}

function inServiceWorker() {
  return typeof globalThis.ServiceWorkerGlobalScope === 'function' && globalThis instanceof globalThis.ServiceWorkerGlobalScope;
}

/** The link for the context this code runs in. */
export function hostLink() {
  if (provided) return provided;
  if (inServiceWorker()) {
    // A worker cannot open a runtime port to itself; only background/main.js can make this work.
    throw new Error('llmcp: the background has not started yet (background/main.js provides the host link)');
  }
  return pageLink(sharedBridge());
}

/** A link over a page's bridge: the same four operations, answered by the background. */
export function pageLink(b) {
  return {
    call: (method, params, options) => b.call(method, params, options),
    getConfig: (modelId) => b.call('ext.models.get', { modelId }),
    putConfig: (config) => b.call('ext.models.store', { config }),
    download: (modelId, { onProgress } = {}) => b.call('ext.downloads.run', { modelId }, {
      onNotification: (method, params) => { if (method === DOWNLOAD_PROGRESS) onProgress?.(params); },
    }),
  };
}

/** The notification `ext.downloads.run` streams: the download's aggregated snapshot. */
export const DOWNLOAD_PROGRESS = 'ext.download.progress';

/** Test hook: forget the page bridge (a test that swaps the fake browser). */
export function resetForTests() {
  provided = null;
  bridge = null;
}
