/**
 * The Models tab's "Remote models" card: what the remote servers (Settings → Remote servers) offer, as the host
 * lists them (`NAME/MODEL` in `models.list`), grouped by server and marked remote — they run on that server, not
 * on this computer, so there is nothing to download or delete here; only chat.
 */
import { h, render } from './dom.js';
import { groupByRemote, remoteModelName } from '../lib/remotes.js';
import { CATALOG } from '../lib/catalog.js';

// What the catalog knows to be an embedding model is one on a remote too (another llmcp offers its built-in one).
const EMBEDDING_IDS = new Set(CATALOG.filter((e) => e.kind === 'embedding').map((e) => e.modelId));

/** The card, kept current from the shared state's `hostModels`. */
export function remoteModelsCard(ctx) {
  const card = h('div', { class: 'card', 'data-testid': 'remote-models', 'aria-labelledby': 'remote-models-heading' });
  const draw = () => {
    const groups = groupByRemote(ctx.state.hostModels);
    render(card,
      h('div', { class: 'card-head' },
        h('h2', { id: 'remote-models-heading' }, 'Remote models'),
        h('button', { type: 'button', class: 'ghost', onclick: () => ctx.showTab('settings') }, 'Remote servers…')),
      groups.length
        ? groups.map(([remote, models]) => h('section', { class: 'stack', 'data-remote': remote, 'aria-label': `Models of ${remote}` },
          h('h3', { class: 'small' }, `From the server “${remote}”`),
          h('ul', { class: 'model-list' }, models.map((m) => modelRow(ctx, remote, m)))))
        : h('p', { class: 'small muted' }, 'Models of an OpenAI-compatible server — vLLM, Ollama, llama.cpp, LM Studio or another '
          + 'llmcp — appear here once you add it under Settings → Remote servers. They run on that server; '
          + 'your conversations with them are sent to it.'));
  };
  ctx.state.on('hostModels', draw);
  ctx.state.on('host', draw);
  draw();
  return card;
}

function modelRow(ctx, remote, m) {
  const name = remoteModelName(m);
  const embedding = EMBEDDING_IDS.has(name);
  return h('li', { 'data-model-id': m.modelId, 'data-remote': remote },
    h('div', { class: 'card-head' },
      h('div', {}, h('strong', {}, name), ' ', h('span', { class: 'muted small mono' }, m.modelId)),
      h('span', { class: 'row' },
        embedding ? h('span', { class: 'badge' }, 'Embedding') : null,
        h('span', { class: 'badge accent', 'data-testid': 'badge-remote', title: `Runs on the remote server ${remote}` }, `Remote · ${remote}`))),
    embedding ? null : h('div', { class: 'row' },
      h('button', {
        type: 'button', class: 'primary', disabled: !ctx.state.connected, 'data-testid': `chat-remote-${m.modelId}`,
        onclick: () => { ctx.chatWith?.(m.modelId); ctx.showTab('chat'); },
      }, `Chat with ${name}`)));
}
