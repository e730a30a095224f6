/** Storage: store.stats as figures and bars, quota, delete (confirmed), verify, update check, GC, compact. */
import { confirmDeleteFromDisk } from '../delete-model.js';
import { h, render, progressBar, errorBox } from '../dom.js';
import { formatBytes, formatDate, percent } from '../format.js';

let root;
let ctx;
let stats = null;
let error = null;
let busy = false;
const notes = new Map(); // modelId → status element (verify / update results)
let gcNote = null;
let pinned = new Map(); // modelId → pinned, from models.list (the stats do not carry it)

export function mount(el, context) {
  root = el;
  ctx = context;
  ctx.state.on('host', (s) => { if (s.state === 'connected' && !root.hidden) refresh(); else draw(); });
  ctx.state.on('models', () => draw());
  // another client pulled, deleted or pinned a model: the figures are stale (a hidden tab refreshes when shown)
  ctx.state.on('modelsChanged', () => { if (!root.hidden) refresh(); });
  draw();
}

export function onShow() {
  refresh();
}

export async function refresh() {
  if (!ctx.state.connected) { draw(); return; }
  try {
    stats = await ctx.bridge.call('store.stats');
    error = null;
    try {
      const list = await ctx.bridge.call('models.list');
      pinned = new Map((list?.models ?? []).map((m) => [m.modelId, !!m.pinned]));
    } catch {
      pinned = new Map(); // a host without models.list: no pin buttons
    }
  } catch (err) {
    error = err;
  }
  draw();
}

async function run(label, fn) {
  busy = true;
  draw();
  try {
    return await fn();
  } catch (err) {
    ctx.toast(`${label} failed: ${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
    return null;
  } finally {
    busy = false;
    await refresh();
  }
}

function nameOf(modelId) {
  return ctx.state.models.find((m) => m.modelId === modelId)?.name ?? modelId;
}

function confirmDelete(modelId) {
  const size = stats?.models?.find((m) => m.modelId === modelId)?.size;
  return confirmDeleteFromDisk(ctx, modelId, { name: nameOf(modelId), size }).then(async (res) => {
    if (res) await refresh();
    return res;
  });
}

async function verify(modelId) {
  const res = await run('Verify', () => ctx.bridge.call('models.verify', { modelId }, { timeoutMs: 10 * 60_000 }));
  if (!res) return;
  const bad = (res.files ?? []).filter((f) => !f.ok);
  notes.set(modelId, res.ok
    ? h('p', { class: 'small', role: 'status' }, h('span', { class: 'badge ok' }, 'Verified'), ` ${res.files?.length ?? 0} files match their SHA-256.`)
    : h('div', { class: 'error-box', role: 'alert' }, h('strong', {}, 'Verification failed: '),
      bad.map((f) => `${f.path}: ${f.problem ?? 'mismatch'}`).join('; '),
      h('p', { class: 'hint' }, 'Delete the model and download it again.')));
  draw();
}

async function checkUpdate(modelId) {
  const res = await run('Update check', () => ctx.bridge.call('models.checkUpdate', { modelId }, { timeoutMs: 120_000 }));
  if (!res) return;
  const changed = (res.files ?? []).filter((f) => f.changed).map((f) => f.path);
  notes.set(modelId, res.updateAvailable
    ? h('p', { class: 'small', role: 'status' }, h('span', { class: 'badge warn' }, 'Update available'), ` changed: ${changed.join(', ')}. Download again to update.`)
    : h('p', { class: 'small', role: 'status' }, h('span', { class: 'badge ok' }, 'Up to date')));
  draw();
}

function quotaForm() {
  const current = stats?.quotaBytes ? (stats.quotaBytes / 1e9).toString() : '';
  const input = h('input', { id: 'quota-gb', type: 'number', min: '0', step: '0.1', value: current, placeholder: 'no limit', 'aria-describedby': 'quota-help' });
  return h('form', { class: 'stack', 'aria-labelledby': 'quota-heading',
    onsubmit: async (e) => {
      e.preventDefault();
      const gb = input.value === '' ? 0 : Number(input.value);
      if (!Number.isFinite(gb) || gb < 0) { ctx.toast('Enter a quota in GB (0 or empty for none).'); return; }
      const res = await run('Setting the quota', () => ctx.bridge.call('store.setQuota', { bytes: Math.round(gb * 1e9) }));
      if (res) ctx.toast(res.evicted?.length ? `Quota set; evicted ${res.evicted.join(', ')}` : `Quota set to ${res.quotaBytes ? formatBytes(res.quotaBytes) : 'none'}`);
    } },
  h('h3', { id: 'quota-heading' }, 'Quota'),
  h('div', { class: 'field' },
    h('label', { for: 'quota-gb' }, 'Largest store size (GB)'),
    input,
    h('span', { class: 'help', id: 'quota-help' }, '0 or empty: no limit. Over the limit, least recently used models that are not pinned are removed.')),
  h('div', { class: 'row' }, h('button', { type: 'submit', disabled: busy }, 'Apply quota')));
}

function draw() {
  if (!ctx.state.connected) {
    render(root, h('div', { class: 'card' }, h('h2', {}, 'Storage'), h('p', { class: 'muted' }, 'Connect the host to see its store.')));
    return;
  }
  if (!stats) {
    render(root, h('div', { class: 'card' }, h('h2', {}, 'Storage'), error ? errorBox(error) : h('p', { class: 'muted' }, 'Loading…')));
    return;
  }
  const models = [...(stats.models ?? [])].sort((a, b) => (b.size ?? 0) - (a.size ?? 0));
  const largest = Math.max(1, ...models.map((m) => m.size ?? 0));
  const total = stats.logicalBytes ?? 0;
  const quota = stats.quotaBytes || 0;
  render(root,
    h('div', { class: 'card', 'data-testid': 'storage-summary' },
      h('div', { class: 'card-head' }, h('h2', {}, 'Store'),
        h('div', { class: 'row' },
          h('button', { type: 'button', disabled: busy, onclick: () => refresh() }, 'Refresh'),
          h('button', { type: 'button', disabled: busy, onclick: async () => {
            const r = await run('Cleanup', () => ctx.bridge.call('store.gc', undefined, { timeoutMs: 10 * 60_000 }));
            if (r) { gcNote = `Cleanup removed ${r.orphanChunks} orphan chunks, freed ${formatBytes(r.bytesFreed)} in ${r.millis} ms.`; draw(); }
          } }, 'Clean up (GC)'),
          h('button', { type: 'button', disabled: busy, onclick: async () => {
            const r = await run('Compaction', () => ctx.bridge.call('store.compact', undefined, { timeoutMs: 30 * 60_000 }));
            if (r) { gcNote = `Compaction reclaimed ${formatBytes(r.bytesReclaimed)} (file ${formatBytes(r.fileBytesBefore)} → ${formatBytes(r.fileBytesAfter)}) in ${r.millis} ms.`; draw(); }
          } }, 'Compact file'))),
      h('div', { class: 'stat-grid' },
        stat('Models', formatBytes(total), 'storage-logical'),
        stat('Stored (deduplicated)', formatBytes(stats.storedBytes), 'storage-stored'),
        stat('Store file', formatBytes(stats.fileBytes), 'storage-file'),
        stat('Saved by dedup', formatBytes(stats.dedupSavedBytes), 'storage-dedup'),
        stat('Chunks', (stats.chunkCount ?? 0).toLocaleString(), 'storage-chunks'),
        stat('Quota', quota ? formatBytes(quota) : 'none', 'storage-quota')),
      quota ? h('div', { class: 'stack small' }, `${formatBytes(stats.fileBytes)} of ${formatBytes(quota)} quota`,
        progressBar(percent(stats.fileBytes, quota), 'Store use of quota')) : null,
      gcNote ? h('p', { class: 'small', role: 'status' }, gcNote) : null),
    h('div', { class: 'card', 'data-testid': 'storage-models' },
      h('h2', {}, 'Per model'),
      models.length ? models.map((m) => h('div', { class: 'stack', 'data-usage-id': m.modelId, style: 'padding: 6px 0; border-top: 1px dashed var(--border)' },
        h('div', { class: 'usage-row' },
          h('strong', {}, nameOf(m.modelId)),
          progressBar(percent(m.size ?? 0, largest), `${nameOf(m.modelId)} uses ${formatBytes(m.size)}`),
          h('span', { class: 'small', 'data-testid': `usage-${m.modelId}` }, formatBytes(m.size))),
        h('div', { class: 'small muted' }, `last used ${formatDate(m.lastUsed)} · loaded ${m.loadCount ?? 0} times`),
        notes.get(m.modelId) ?? null,
        h('div', { class: 'row' },
          h('button', { type: 'button', disabled: busy, onclick: () => verify(m.modelId) }, 'Verify'),
          h('button', { type: 'button', disabled: busy, onclick: () => checkUpdate(m.modelId) }, 'Check for update'),
          pinned.has(m.modelId) ? h('button', {
            type: 'button', disabled: busy, 'aria-pressed': String(pinned.get(m.modelId)),
            title: 'A pinned model is never evicted by the quota',
            onclick: () => run('Pinning', () => ctx.bridge.call('models.pin', { modelId: m.modelId, pinned: !pinned.get(m.modelId) })),
          }, pinned.get(m.modelId) ? 'Pinned' : 'Pin') : null,
          h('button', { type: 'button', class: 'danger', disabled: busy, 'data-testid': `delete-${m.modelId}`, onclick: () => confirmDelete(m.modelId) }, 'Delete from disk…'))))
        : h('p', { class: 'muted' }, 'No models stored.')),
    h('div', { class: 'card' }, quotaForm()));
}

function stat(label, value, testid) {
  return h('div', { class: 'stat' }, h('div', { class: 'value', 'data-testid': testid }, value), h('div', { class: 'label' }, label));
}
