/** Host status: connected?, version, protocol, provider (CPU/CUDA), the exact fix when missing; settings (token). */
import { h, render } from '../dom.js';
import { INSTALL_FIX } from '../../lib/errors.js';
import { tokenCard } from './token-settings.js';

let root;
let ctx;

export function mount(el, context) {
  root = el;
  ctx = context;
  ctx.state.on('host', draw);
  draw(ctx.state.host);
}

async function reconnect(button) {
  button.disabled = true;
  button.textContent = 'Connecting…';
  try {
    await ctx.bridge.call('ext.reconnect');
  } finally {
    button.disabled = false;
    button.textContent = 'Reconnect';
  }
}

function providersOf(info) {
  const list = info?.onnxruntime?.providers ?? [];
  return list.length ? list : ['CPU'];
}

function draw(host) {
  const reconnectButton = h('button', { type: 'button', onclick: (e) => reconnect(e.currentTarget) }, 'Reconnect');
  const info = host.info;
  const cards = [];
  if (host.state === 'connected' && info) {
    const providers = providersOf(info);
    // A host that says which provider it runs on is believed; otherwise CUDA is used when available.
    const gpu = (info.onnxruntime?.provider ?? (providers.includes('CUDA') ? 'CUDA' : 'CPU')) === 'CUDA';
    cards.push(h('div', { class: 'card', 'data-testid': 'host-connected' },
      h('div', { class: 'card-head' },
        h('h2', {}, 'Native host'),
        h('span', { class: 'badge ok', 'data-testid': 'host-state' }, 'Connected')),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Version'), h('dd', { 'data-testid': 'host-version' }, `${info.name ?? 'llmcp'} ${info.version}`),
        h('dt', {}, 'Protocol'), h('dd', {}, info.protocolVersion ?? '–'),
        h('dt', {}, 'Provider'), h('dd', { 'data-testid': 'host-provider' },
          gpu ? 'CUDA (GPU)' : 'CPU', h('span', { class: 'muted' }, ` — available: ${providers.join(', ')}`)),
        h('dt', {}, 'ONNX Runtime'), h('dd', {},
          info.onnxruntime?.loaded === false
            ? h('span', { class: 'badge bad' }, `not loaded: ${info.onnxruntime?.error ?? 'unknown error'}`)
            : info.onnxruntime?.version ?? '–'),
        h('dt', {}, 'Java'), h('dd', {}, `${info.java?.version ?? '–'} (${info.java?.vendor ?? '–'})`),
        h('dt', {}, 'Data directory'), h('dd', { class: 'mono' }, info.dataDir ?? '–'),
        h('dt', {}, 'Process'), h('dd', {}, `pid ${info.pid ?? '–'}`),
        h('dt', {}, 'Methods'), h('dd', { class: 'small muted' }, `${(info.methods ?? []).length} available`)),
      gpu ? null : h('p', { class: 'small muted' },
        'Running on CPU. A CUDA build of the host (Maven profile "gpu") uses an NVIDIA GPU when one is present.')));
  } else if (host.state === 'disconnected') {
    const failure = host.failure ?? {};
    cards.push(h('div', { class: 'card', 'data-testid': 'host-missing' },
      h('div', { class: 'card-head' },
        h('h2', {}, 'Native host'),
        h('span', { class: 'badge bad', 'data-testid': 'host-state' }, 'Not connected')),
      h('p', {}, h('strong', {}, failure.summary ?? 'The native host is not available.')),
      h('p', {}, failure.hint ?? INSTALL_FIX),
      h('p', { class: 'small' }, 'From a clone of the repository:'),
      h('pre', { class: 'command', 'data-testid': 'install-command' }, 'install/install.sh'),
      h('p', { class: 'small muted' }, 'Windows: ', h('code', {}, 'install\\install.ps1'),
        '. Then press Reconnect (or reload the extension). ', h('code', {}, 'llmcp doctor'), ' explains what is missing.'),
      failure.raw ? h('p', { class: 'small muted' }, 'Browser said: ', h('code', {}, failure.raw)) : null,
      host.retryInMs ? h('p', { class: 'small muted' }, `Retrying automatically in ${Math.round(host.retryInMs / 1000)} s.`) : null,
      h('div', { class: 'row' }, reconnectButton)));
  } else {
    cards.push(h('div', { class: 'card' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Native host'), h('span', { class: 'badge warn', 'data-testid': 'host-state' }, 'Connecting…')),
      h('p', { class: 'muted' }, 'Starting the llmcp host…')));
  }
  cards.push(tokenCard(ctx));
  cards.push(h('div', { class: 'card' },
    h('h2', {}, 'How this works'),
    h('p', { class: 'small' }, 'Models are downloaded, stored and run by the llmcp host on this computer. '
      + 'Nothing is sent to a cloud service — unless you add a remote server (Settings): a conversation with one of its '
      + 'models goes to that server. Model bytes never pass through the browser.')));
  render(root, cards);
}
