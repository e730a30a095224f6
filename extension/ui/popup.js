/** The toolbar popup: host status at a glance and a way into the panel (side panel / sidebar / tab). */
import { extensionApi } from '../lib/browser.js';
import { sharedBridge } from '../lib/host-link.js';
import { h, render } from './dom.js';

const api = extensionApi();
const bridge = sharedBridge();
const statusEl = document.getElementById('status');
const summaryEl = document.getElementById('summary');
let windowId = null;
// Chrome requires sidePanel.open() inside the click's user gesture: learn the window id beforehand.
api.windows?.getCurrent?.().then((w) => { windowId = w.id; }).catch(() => {});

function drawHost(host) {
  if (host.state === 'connected') {
    const providers = host.info?.onnxruntime?.providers ?? [];
    render(statusEl, h('span', { class: 'pill ok' }, 'Connected'), ' ',
      `llmcp ${host.info?.version ?? ''} · ${host.info?.onnxruntime?.provider ?? (providers.includes('CUDA') ? 'CUDA' : 'CPU')}`);
  } else if (host.state === 'disconnected') {
    render(statusEl, h('span', { class: 'pill bad' }, 'Host not connected'),
      h('p', { class: 'small' }, host.failure?.hint ?? 'Run install/install.sh from the llmcp repository.'),
      h('pre', { class: 'command' }, 'install/install.sh'));
  } else {
    render(statusEl, h('span', { class: 'pill warn' }, 'Connecting…'));
  }
}

async function load() {
  const [host, models, downloads] = await Promise.all([
    bridge.call('ext.status'), bridge.call('ext.models.list'), bridge.call('ext.downloads.list')]);
  drawHost(host);
  const downloaded = models.filter((m) => m.isDownloaded).length;
  const running = downloads.filter((d) => d.state === 'downloading').length;
  summaryEl.textContent = models.length
    ? `${downloaded} of ${models.length} models downloaded${running ? ` · ${running} downloading` : ''}`
    : 'No models yet: add one in the panel.';
}

bridge.on('host', drawHost);
bridge.on('download', () => load().catch(() => {}));
load().catch((err) => { statusEl.textContent = `Extension background unavailable: ${err.message}`; });

document.getElementById('open-panel').addEventListener('click', () => {
  try {
    if (api.sidePanel?.open && windowId !== null) {
      api.sidePanel.open({ windowId }).then(() => window.close(), openTab);
      return;
    }
    if (globalThis.browser?.sidebarAction?.open) {
      globalThis.browser.sidebarAction.open().then(() => window.close(), openTab);
      return;
    }
  } catch { /* fall back to a tab */ }
  openTab();
});
document.getElementById('open-tab').addEventListener('click', openTab);

function openTab() {
  api.tabs.create({ url: api.runtime.getURL('ui/panel.html') });
  window.close();
}
