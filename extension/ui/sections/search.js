/**
 * Models → Search the Hub: `models.search` through the host (which knows HF_ENDPOINT and the token), each repo with
 * its variants and sizes, gated or not, licence, and whether it can chat here; pick a variant and it is added and
 * pulled through the same path as every other download (use-model.js).
 */
import { h, render, errorBox, uid } from '../dom.js';
import { formatBytes } from '../format.js';
import { useModel } from '../use-model.js';
import { defaultVariant, configForVariant } from '../../lib/hub-search.js';

let ctx;
let resultsEl;
let button;
let last = null; // {query, results, availableBytes} of the latest answer, redrawn when the model list changes

/** The search card, built once. */
export function searchCard(context) {
  ctx = context;
  const input = h('input', { id: 'hub-search', type: 'search', placeholder: 'e.g. qwen instruct', autocomplete: 'off',
    spellcheck: 'false', 'data-testid': 'hub-search-input', 'aria-describedby': 'hub-search-help' });
  button = h('button', { type: 'submit', class: 'primary', 'data-testid': 'hub-search-run' }, 'Search');
  resultsEl = h('div', { class: 'stack', 'aria-live': 'polite', 'data-testid': 'hub-search-results' });
  const form = h('form', { class: 'stack', role: 'search', 'aria-labelledby': 'hub-search-heading' },
    h('label', { for: 'hub-search' }, 'Search ONNX models on the Hub'),
    h('div', { class: 'row search-row' }, input, button),
    h('span', { class: 'help', id: 'hub-search-help' }, 'Most downloaded first. Sizes are what a variant loads into memory.'));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const query = input.value.trim();
    if (!query) return;
    button.disabled = true;
    render(resultsEl, h('p', { class: 'small muted' }, `Searching for “${query}”…`));
    try {
      last = await ctx.bridge.call('models.search', { query, limit: 10 }, { timeoutMs: 60_000 });
      draw();
    } catch (err) {
      last = null;
      render(resultsEl, errorBox(err, { testid: 'hub-search-error' }));
    } finally {
      button.disabled = !ctx.state.connected;
    }
  });
  ctx.state.on('models', () => { if (last) draw(); });
  ctx.state.on('host', () => { button.disabled = !ctx.state.connected; });
  button.disabled = !ctx.state.connected;
  return h('div', { class: 'card' }, h('h2', { id: 'hub-search-heading' }, 'Search the Hub'), form, resultsEl);
}

function draw() {
  const results = last?.results ?? [];
  if (!results.length) {
    render(resultsEl, h('p', { class: 'muted' }, `No ONNX model matches “${last?.query ?? ''}”.`));
    return;
  }
  render(resultsEl,
    h('p', { class: 'small muted' }, `${formatBytes(last.availableBytes)} of memory available now.`),
    h('ul', { class: 'model-list' }, results.map(resultItem)));
}

function resultItem(r) {
  const head = h('div', { class: 'card-head' },
    h('strong', { class: 'break' }, r.repo),
    r.gated ? h('span', { class: 'badge warn', title: 'Accept its licence on the Hub and set a token (Status tab)' }, 'Gated') : null);
  const facts = h('div', { class: 'small muted' },
    `${(r.downloads ?? 0).toLocaleString()} downloads`, r.license ? ` · ${r.license}` : '', r.pipeline ? ` · ${r.pipeline}` : '');
  if (r.error) {
    return h('li', { 'data-search-repo': r.repo }, head, facts, h('p', { class: 'small' }, `Its files could not be listed: ${r.error}`));
  }
  const usable = r.chat?.usable;
  const variants = r.variants ?? [];
  const chosen = defaultVariant(r);
  const selectId = uid('variant');
  const select = h('select', { id: selectId, 'data-testid': `variant-${r.repo}` },
    variants.map((v) => h('option', { value: v.dtype, selected: v === chosen },
      `${v.dtype} · ${formatBytes(v.bytes)}${v.fits ? '' : ' · more than the free memory'}`)));
  const have = new Set(ctx.state.models.map((m) => m.modelId));
  const add = h('button', {
    type: 'button', class: 'primary', disabled: !usable || !variants.length || !ctx.state.connected, 'data-testid': `pull-${r.repo}`,
    onclick: () => {
      const variant = variants.find((v) => v.dtype === select.value) ?? chosen;
      const config = configForVariant(r, variant);
      if (have.has(config.modelId)) { ctx.toast(`${config.name} is already in your models`); return; }
      useModel(ctx, config);
    },
  }, 'Add and download');
  return h('li', { 'data-search-repo': r.repo },
    head,
    facts,
    usable
      ? h('div', { class: 'row' }, h('span', { class: 'badge ok' }, 'Can chat'))
      : h('p', { class: 'small', role: 'note', 'data-testid': `not-usable-${r.repo}` }, `Not usable for chat: ${r.chat?.reason ?? 'unknown'}`),
    variants.length
      ? h('div', { class: 'row' }, h('label', { for: selectId, class: 'small' }, 'Variant'), select, add)
      : null);
}
