/** The panel shell: tabs (WAI-ARIA tabs pattern, arrow keys), header status, theme, toasts. */
import { extensionApi } from '../lib/browser.js';
import { sharedBridge } from '../lib/host-link.js';
import { AppState } from './app-state.js';
import { initTheme } from './theme.js';
import { h } from './dom.js';
import * as statusSection from './sections/status.js';
import * as catalogSection from './sections/catalog.js';
import * as downloadsSection from './sections/downloads.js';
import * as storageSection from './sections/storage.js';
import * as chatSection from './sections/chat.js';
import * as settingsSection from './sections/settings.js';

const api = extensionApi();
const bridge = sharedBridge();
const state = new AppState(bridge);

/**
 * A short message at the bottom. With `{action: {label, run}}` it carries a button (e.g. Undo) that stays
 * usable for `ms` (default 6 s); `onExpire` runs when it goes away without the action being used.
 */
function toast(message, { action, ms = action ? 6000 : 5000, onExpire } = {}) {
  const area = document.getElementById('toasts');
  let done = false;
  const close = (expired) => {
    if (done) return;
    done = true;
    el.remove();
    if (expired) onExpire?.();
  };
  const el = h('div', { class: `toast${action ? ' with-action' : ''}`, role: 'status', 'data-testid': 'toast' },
    h('span', {}, message),
    action ? h('button', { type: 'button', class: 'ghost', 'data-testid': 'toast-action',
      onclick: () => { close(false); action.run(); } }, action.label) : null);
  area.append(el);
  setTimeout(() => close(true), ms);
  return { close: () => close(false) };
}

const ctx = { bridge, state, storage: api.storage.local, toast, showTab: (name) => selectTab(name, true) };
const sections = {
  status: statusSection, catalog: catalogSection, downloads: downloadsSection, storage: storageSection, chat: chatSection,
  settings: settingsSection,
};
const tabs = [...document.querySelectorAll('[role="tab"]')];

function selectTab(name, focus = false) {
  for (const tab of tabs) {
    const selected = tab.dataset.tab === name;
    tab.setAttribute('aria-selected', String(selected));
    tab.tabIndex = selected ? 0 : -1;
    document.getElementById(tab.getAttribute('aria-controls')).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  document.getElementById('main').classList.toggle('fill', name === 'chat');
  sections[name].onShow?.();
  history.replaceState(null, '', `#${name}`);
}

tabs.forEach((tab, i) => {
  tab.addEventListener('click', () => selectTab(tab.dataset.tab));
  tab.addEventListener('keydown', (e) => {
    let next = null;
    if (e.key === 'ArrowRight') next = tabs[(i + 1) % tabs.length];
    else if (e.key === 'ArrowLeft') next = tabs[(i - 1 + tabs.length) % tabs.length];
    else if (e.key === 'Home') next = tabs[0];
    else if (e.key === 'End') next = tabs[tabs.length - 1];
    if (next) { e.preventDefault(); selectTab(next.dataset.tab, true); }
  });
});

function renderPill(host) {
  const pill = document.getElementById('host-pill');
  const map = {
    connected: ['ok', 'Connected'],
    connecting: ['warn', 'Connecting…'],
    disconnected: ['bad', 'Host not connected'],
    idle: ['warn', 'Idle'],
  };
  const [cls, text] = map[host.state] ?? ['warn', host.state];
  pill.className = `pill ${cls}`;
  pill.textContent = text;
  pill.title = host.state === 'connected' ? `llmcp ${host.info?.version ?? ''} is connected` : text;
}

function renderDownloadsBadge() {
  const running = [...state.downloads.values()].filter((d) => d.state === 'downloading').length;
  const badge = document.getElementById('downloads-badge');
  badge.hidden = running === 0;
  badge.textContent = String(running);
  badge.setAttribute('aria-label', `${running} running`);
}

state.on('host', renderPill);
state.on('downloads', renderDownloadsBadge);

for (const [name, section] of Object.entries(sections)) {
  section.mount(document.getElementById(`panel-${name}`), ctx);
}
initTheme(api.storage.local, document.getElementById('theme-toggle'));
const initial = location.hash.slice(1);
selectTab(sections[initial] ? initial : 'status');
state.load().catch((err) => toast(`Could not reach the extension background: ${err.message}`));
