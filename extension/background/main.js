/**
 * Background wiring (Chrome service worker / Firefox event page). Owns the one native port through
 * the RpcClient, the model list, the downloads and the router to the UI pages.
 */
import { extensionApi } from '../lib/browser.js';
import { createNativeTransport } from './native-port.js';
import { RpcClient } from './rpc-client.js';
import { ModelRegistry } from './models.js';
import { DownloadManager } from './downloads.js';
import { UiRouter } from './ui-router.js';
import { createHandlers, HostStatus } from './handlers.js';
import { createBackgroundLink } from './link.js';
import { followHostChanges } from './live-state.js';
import { provideBackgroundLink } from '../lib/host-link.js';
import * as fetchchunkstore from '../lib/fetchchunkstore.js';
import { PageApi } from './page-api.js';

const api = extensionApi();
const rpc = new RpcClient(createNativeTransport(api.runtime), { handshake: 'host.info' });
const models = new ModelRegistry(api.storage.local, rpc);
const downloads = new DownloadManager(models, rpc);
const status = new HostStatus(rpc);
const link = createBackgroundLink({ rpc, models, downloads });
// From here on lib/fetchchunkstore.js, imported anywhere in this realm, calls the port's owner directly.
provideBackgroundLink(link);
const router = new UiRouter(api.runtime, rpc, createHandlers({ rpc, models, downloads, status, link }));
// LanguageModel and Summarizer on web pages (content/page-*.js); its listeners too are registered at start-up.
const pageApi = new PageApi(api, rpc);

status.on('changed', (s) => router.broadcast('host', s));
models.on('changed', (list) => router.broadcast('models', list));
downloads.on('progress', (snapshot) => router.broadcast('download', snapshot));
followHostChanges({ rpc, models, broadcast: (event, data) => router.broadcast(event, data) });

rpc.on('connected', async () => {
  try {
    await models.refreshDownloaded();
    await downloads.resumeAll();
  } catch (err) {
    console.error('refresh after connect failed', err);
  }
});

// Chrome: the toolbar button opens the popup; the popup opens the side panel on request.
api.sidePanel?.setPanelBehavior?.({ openPanelOnActionClick: false })?.catch?.(() => {});

// The keyboard command (Alt+Shift+L by default; chrome://extensions/shortcuts or about:addons to change it)
// opens the side panel (Chrome) or toggles the sidebar (Firefox). Both calls need the command's user
// gesture, so they run synchronously in the listener.
api.commands?.onCommand?.addListener((command, tab) => {
  if (command !== 'open-panel') return;
  if (globalThis.browser?.sidebarAction?.toggle) {
    globalThis.browser.sidebarAction.toggle().catch((err) => console.error('sidebar toggle failed', err));
  } else if (api.sidePanel?.open && tab?.windowId !== undefined) {
    api.sidePanel.open({ windowId: tab.windowId }).catch((err) => console.error('side panel open failed', err));
  }
});

// For debugging from the service worker console (and the end-to-end test): `llmcp.status.current`,
// `await llmcp.fetchchunkstore.hasModelData('id')` (a worker has no dynamic import()).
globalThis.llmcp = { rpc, models, downloads, status, router, link, fetchchunkstore, pageApi };

models.migrate()
  .catch((err) => console.error('config migration failed', err))
  .finally(() => rpc.connect());
