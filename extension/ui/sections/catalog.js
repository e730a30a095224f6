/** Models: the person's list, the remote servers' models, a search of the Hub, the built-in catalog, and a form to add any repository. */
import { h, render, errorBox, uid, progressBar } from '../dom.js';
import { CATALOG, catalogConfig, catalogFiles } from '../../lib/catalog.js';
import { normalizeModelConfig, validateRepoUrl, suggestModelId, DEFAULT_MODEL_FILE, DEFAULT_CONFIG_FILE } from '../../lib/validate.js';
import { formatBytes, percent } from '../format.js';
import { useModel } from '../use-model.js';
import { confirmDeleteFromDisk, removeFromList } from '../delete-model.js';
import { pairwiseSimilarities, sentencesFrom } from '../embeddings.js';
import { remoteModelsCard } from '../remote-models.js';
import { searchCard } from './search.js';

let ctx;
let listEl;
let catalogEl;
let embedCard = null;
let panel;

export function mount(root, context) {
  ctx = context;
  panel = root;
  listEl = h('div', { class: 'card', 'data-testid': 'my-models' });
  catalogEl = h('div', { class: 'catalog-grid', 'data-testid': 'catalog' });
  render(root,
    listEl,
    remoteModelsCard(ctx),
    searchCard(ctx),
    h('div', { class: 'card' },
      h('h2', { id: 'catalog-heading' }, 'Catalog'),
      h('p', { class: 'small muted' }, 'Known-good ONNX models. Sizes are approximate downloads.'),
      catalogEl),
    addForm());
  ctx.state.on('models', drawAll);
  ctx.state.on('downloads', drawList);
  ctx.state.on('host', (s) => {
    drawAll();
    if (s.state === 'connected' && !panel.hidden) ctx.state.loadHostModels();
  });
  drawAll();
}

/** The remote servers' models are the host's to list: asked for each time the tab opens. */
export function onShow() {
  ctx.state.loadHostModels();
}

function drawAll() {
  drawList();
  drawCatalog();
}

async function act(fn, okMessage) {
  try {
    const res = await fn();
    if (okMessage) ctx.toast(okMessage);
    return res;
  } catch (err) {
    ctx.toast(`${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
    return null;
  }
}

function statusBadge(m) {
  const d = ctx.state.downloads.get(m.modelId);
  if (d?.state === 'downloading') return h('span', { class: 'badge accent' }, `Downloading ${percent(d.bytesDone, d.bytesTotal)}%`);
  if (m.isDownloaded) return h('span', { class: 'badge ok', 'data-testid': 'badge-downloaded' }, 'Downloaded');
  if (m.filesMissing?.length) return h('span', { class: 'badge bad', 'data-testid': 'badge-missing', title: m.filesMissing.join(', ') }, 'Files missing');
  if (m.download?.state === 'failed') return h('span', { class: 'badge bad' }, 'Failed');
  if (m.download?.wanted) return h('span', { class: 'badge warn' }, 'Will resume');
  return h('span', { class: 'badge' }, 'Not downloaded');
}

function drawList() {
  const models = ctx.state.models;
  const items = models.map((m) => {
    const d = ctx.state.downloads.get(m.modelId);
    const running = d?.state === 'downloading';
    return h('li', { 'data-model-id': m.modelId },
      h('div', { class: 'card-head' },
        h('div', {}, h('strong', {}, m.name), ' ', h('span', { class: 'muted small mono' }, m.modelId)),
        statusBadge(m)),
      running ? progressBar(percent(d.bytesDone, d.bytesTotal), `Download of ${m.name}`, { testid: `mini-progress-${m.modelId}` }) : null,
      h('div', { class: 'small muted mono' }, m.url, m.modelFileName),
      h('div', { class: 'row' },
        running
          ? h('button', { type: 'button', onclick: () => act(() => ctx.bridge.call('ext.downloads.cancel', { modelId: m.modelId })) }, 'Cancel download')
          : m.isDownloaded
            ? h('button', { type: 'button', class: 'primary', onclick: () => useModel(ctx, m, { chat: true }) }, `Chat with ${m.name}`)
            : h('button', { type: 'button', class: 'primary', disabled: !ctx.state.connected, 'data-testid': `download-${m.modelId}`,
              onclick: () => useModel(ctx, m) },
            m.filesMissing?.length ? 'Download again'
              : m.download?.state === 'failed' || m.download?.wanted ? 'Retry download' : 'Download'),
        h('button', { type: 'button', class: 'ghost', 'aria-label': `Remove ${m.name} from the list (files stay on disk)`,
          title: 'Forget it in this browser; its files stay on disk', 'data-testid': `forget-${m.modelId}`,
          onclick: () => removeFromList(ctx, m) }, 'Remove from list'),
        m.isDownloaded || m.filesMissing?.length
          ? h('button', { type: 'button', class: 'ghost danger-text', 'aria-label': `Delete ${m.name} from disk`,
            'data-testid': `delete-disk-${m.modelId}`, disabled: !ctx.state.connected || running,
            onclick: () => confirmDeleteFromDisk(ctx, m.modelId, { name: m.name }) }, 'Delete from disk…')
          : null),
      m.filesMissing?.length
        ? h('p', { class: 'small', role: 'note' }, `Some files are gone from the store (${m.filesMissing.join(', ')}); `
          + '“Download again” fetches only what is missing.')
        : null);
  });
  render(listEl,
    h('h2', {}, 'Your models'),
    models.length
      ? h('ul', { class: 'model-list' }, items)
      : h('p', { class: 'muted' }, 'No models yet. Pick one from the catalog below or add a repository.'));
}

function drawCatalog() {
  const have = new Set(ctx.state.models.map((m) => m.modelId));
  render(catalogEl, CATALOG.map((entry) => {
    const headingId = uid('cat');
    let action;
    if (entry.builtIn) {
      action = null;
    } else if (have.has(entry.modelId)) {
      action = h('button', { type: 'button', disabled: true }, 'In your models');
    } else {
      action = h('button', {
        type: 'button', class: 'primary', disabled: !ctx.state.connected, 'aria-describedby': headingId,
        // The original entry: OnnxModelFetch(config) stores the config in the list, then the load flow.
        onclick: () => useModel(ctx, catalogConfig(entry)),
      }, 'Add and download');
    }
    return h('article', { class: 'card', 'data-catalog-id': entry.modelId },
      h('div', { class: 'card-head' },
        h('h3', { id: headingId }, entry.name),
        entry.builtIn ? h('span', { class: 'badge ok' }, 'Built in') : h('span', { class: 'badge' }, `~${formatBytes(entry.size)}`)),
      h('p', { class: 'small' }, entry.description),
      h('p', { class: 'small muted' }, `${entry.parameters} parameters · ${entry.quantization} · ${entry.license}`),
      h('details', {},
        h('summary', {}, 'Files'),
        h('ul', { class: 'small mono' }, catalogFiles(entry).map((f) => h('li', {}, f))),
        h('p', { class: 'small muted' }, entry.builtIn ? 'Shipped inside the host.' : `From ${entry.repo}`)),
      entry.builtIn ? embeddingTry(entry.modelId) : null,
      action ? h('div', { class: 'row' }, action) : null);
  }));
}

const SAMPLE_SENTENCES = [
  'The cat sleeps on the sofa.',
  'A kitten is napping on the couch.',
  'Stock markets fell sharply today.',
  'Share prices dropped on Wall Street.',
].join('\n');

/**
 * The built-in embedding model, tried on the person's own sentences: one per line, embedded with `embed`, every pair
 * shown with its cosine similarity (most similar first). Built once and kept, so re-renders keep what was typed.
 */
function embeddingTry(modelId) {
  if (embedCard) {
    embedCard.querySelector('button').disabled = !ctx.state.connected;
    return embedCard;
  }
  const input = h('textarea', { id: 'embed-input', rows: 4, 'data-testid': 'embed-input', spellcheck: 'false' });
  input.value = SAMPLE_SENTENCES;
  const out = h('div', { class: 'stack', role: 'status', 'aria-live': 'polite', 'data-testid': 'embed-result' });
  const button = h('button', { type: 'submit', class: 'primary', disabled: !ctx.state.connected, 'data-testid': 'embed-run' }, 'Compare');
  const form = h('form', { class: 'stack embed-try', 'aria-label': 'Try the embedding model' },
    h('label', { for: 'embed-input' }, 'Your sentences (one per line, up to 8)'),
    input,
    h('div', { class: 'row' }, button),
    out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const texts = sentencesFrom(input.value);
    if (texts.length < 2) { render(out, h('p', { class: 'small' }, 'Write at least two sentences, one per line.')); return; }
    button.disabled = true;
    render(out, h('p', { class: 'small muted' }, 'Embedding…'));
    try {
      const res = await ctx.bridge.call('embed', { modelId, texts });
      const pairs = pairwiseSimilarities(res.vectors ?? []);
      const label = (i) => `${i + 1}. ${texts[i].length > 60 ? `${texts[i].slice(0, 59)}…` : texts[i]}`;
      render(out,
        h('p', { class: 'small muted' }, `${res.dimensions} dimensions on ${res.provider}, ${res.tokens ?? '?'} tokens, ${res.millis ?? '?'} ms. `
          + 'Cosine similarity, most similar first (1 = same meaning):'),
        h('ol', { class: 'sim-list', 'data-testid': 'embed-pairs' }, pairs.map((p) => h('li', { 'data-score': p.score.toFixed(4) },
          h('div', { class: 'sim-head' }, h('strong', { class: 'mono' }, p.score.toFixed(2)),
            progressBar(Math.max(0, p.score) * 100, `Similarity of ${p.i + 1} and ${p.j + 1}`, { testid: 'sim-bar' })),
          h('div', { class: 'small' }, label(p.i)),
          h('div', { class: 'small' }, label(p.j))))));
    } catch (err) {
      render(out, errorBox(err, { testid: 'embed-error' }));
    } finally {
      button.disabled = !ctx.state.connected;
    }
  });
  embedCard = form;
  return embedCard;
}

function field(name, label, { help, placeholder, required, value = '' } = {}) {
  const id = `add-${name}`;
  const input = h('input', { id, name, placeholder, value, required, 'aria-describedby': `${id}-help ${id}-error`, autocomplete: 'off', spellcheck: 'false' });
  return h('div', { class: `field${name === 'url' ? ' wide' : ''}` },
    h('label', { for: id }, label, required ? h('span', { 'aria-hidden': 'true' }, ' *') : null),
    input,
    h('span', { class: 'help', id: `${id}-help` }, help ?? ''),
    h('span', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
}

function addForm() {
  const formError = h('div');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'add-heading', 'data-testid': 'add-form' },
    h('div', { class: 'form-grid' },
      field('url', 'Repository URL', { required: true, placeholder: 'https://huggingface.co/org/repo or org/repo',
        help: 'https only (http only for localhost / 127.0.0.1). Files are fetched relative to it.' }),
      field('modelId', 'Model id', { help: 'Suggested from the URL; letters, digits, . _ -' }),
      field('name', 'Display name'),
      field('modelFileName', 'Model file', { value: DEFAULT_MODEL_FILE, help: 'Relative path, e.g. onnx/model_q4.onnx' }),
      field('configFileName', 'Config file', { value: DEFAULT_CONFIG_FILE }),
      field('modelExDataFileName', 'External data file', { help: 'Only for models with separate weights (…onnx_data).' })),
    h('div', { class: 'row' },
      h('input', { type: 'checkbox', id: 'add-download', name: 'download', defaultChecked: true }),
      h('label', { for: 'add-download' }, 'Start the download now')),
    formError,
    h('div', { class: 'row' }, h('button', { type: 'submit', class: 'primary', 'data-testid': 'add-submit' }, 'Add model')));

  const urlInput = form.querySelector('#add-url');
  const idInput = form.querySelector('#add-modelId');
  urlInput.addEventListener('change', () => {
    const repo = validateRepoUrl(urlInput.value);
    if (repo.ok && !idInput.value) idInput.placeholder = suggestModelId(repo.url);
  });

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const input = {
      url: data.url, modelId: data.modelId, name: data.name, modelFileName: data.modelFileName,
      configFileName: data.configFileName, modelExDataFileName: data.modelExDataFileName,
    };
    const { config, errors } = normalizeModelConfig(input);
    for (const name of ['url', 'modelId', 'name', 'modelFileName', 'configFileName', 'modelExDataFileName']) {
      const el = form.querySelector(`#add-${name}`);
      const msg = errors?.[name] ?? '';
      el.setAttribute('aria-invalid', msg ? 'true' : 'false');
      form.querySelector(`#add-${name}-error`).textContent = msg;
    }
    render(formError);
    if (errors) {
      form.querySelector('[aria-invalid="true"]')?.focus();
      return;
    }
    try {
      await ctx.bridge.call('ext.models.add', { config });
      form.reset();
      ctx.toast(`${config.name} added${data.download ? '; downloading' : ''}`);
      if (data.download) useModel(ctx, config);
    } catch (err) {
      const fields = err.data?.fields;
      if (fields) {
        for (const [name, msg] of Object.entries(fields)) {
          form.querySelector(`#add-${name}`)?.setAttribute('aria-invalid', 'true');
          const slot = form.querySelector(`#add-${name}-error`);
          if (slot) slot.textContent = msg;
        }
      } else {
        render(formError, errorBox(err));
      }
    }
  });
  return h('div', { class: 'card' }, h('h2', { id: 'add-heading' }, 'Add a model from a repository'), form);
}
