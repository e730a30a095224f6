/** Downloads: per-file progress with bytes, speed and ETA; cancel; retry; clear errors with their fix. */
import { h, render, progressBar, errorBox } from '../dom.js';
import { formatBytes, formatSpeed, formatEta, percent } from '../format.js';
import { useModel } from '../use-model.js';

let root;
let ctx;
/** The person's choice to open or close a download's file list survives re-renders. */
const detailsOpen = new Map();

export function mount(el, context) {
  root = el;
  ctx = context;
  ctx.state.on('downloads', draw);
  ctx.state.on('models', draw);
  ctx.state.on('host', draw);
  draw();
}

const STATE_LABEL = {
  downloading: 'Downloading', complete: 'Complete', failed: 'Failed', cancelled: 'Cancelled',
  interrupted: 'Interrupted — will resume', queued: 'Queued', verifying: 'Verifying', done: 'Done',
  linked: 'Linked (already stored)',
};
const STATE_CLASS = { complete: 'ok', done: 'ok', linked: 'ok', failed: 'bad', cancelled: 'warn', interrupted: 'warn', downloading: 'accent', verifying: 'accent' };

async function call(method, modelId) {
  try {
    await ctx.bridge.call(method, { modelId });
  } catch (err) {
    ctx.toast(`${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
  }
}

/** Resuming is loading: the same flow as the Models tab's Download button. */
function resume(modelId) {
  const record = ctx.state.models.find((m) => m.modelId === modelId) ?? { modelId };
  return useModel(ctx, record);
}

function fileRow(f) {
  const pct = f.state === 'done' || f.state === 'linked' ? 100 : percent(f.bytesDone, f.bytesTotal);
  return h('div', { class: 'file-row', 'data-file': f.path },
    h('div', { class: 'row small' },
      h('span', { class: 'mono grow' }, f.path),
      h('span', { class: `badge ${STATE_CLASS[f.state] ?? ''}` }, STATE_LABEL[f.state] ?? f.state)),
    progressBar(pct, `${f.path}: ${pct}%`, { testid: `file-progress-${f.path}` }),
    h('div', { class: 'small muted' },
      `${formatBytes(f.bytesDone)} of ${formatBytes(f.bytesTotal)}`,
      f.state === 'downloading' ? ` · ${formatSpeed(f.bytesPerSecond)} · ${formatEta(f.etaSeconds)} left` : ''),
    f.error ? errorBox(f.error) : null);
}

function card(d) {
  const model = ctx.state.models.find((m) => m.modelId === d.modelId);
  const name = model?.name ?? d.name ?? d.modelId;
  const pct = d.state === 'complete' ? 100 : percent(d.bytesDone, d.bytesTotal);
  const running = d.state === 'downloading';
  const files = Object.values(d.files ?? {});
  return h('article', { class: 'card', 'data-download': d.modelId, 'data-state': d.state, 'aria-label': `Download of ${name}` },
    h('div', { class: 'card-head' },
      h('h2', {}, name),
      h('span', { class: `badge ${STATE_CLASS[d.state] ?? ''}`, 'data-testid': `download-state-${d.modelId}` },
        d.cancelling && running ? 'Cancelling…' : STATE_LABEL[d.state] ?? d.state)),
    progressBar(pct, `Download of ${name}: ${pct}%`, { testid: `download-progress-${d.modelId}` }),
    h('p', { class: 'small', 'aria-live': 'off' },
      h('strong', {}, `${pct}%`), ` · ${formatBytes(d.bytesDone)} of ${d.bytesTotal ? formatBytes(d.bytesTotal) : 'a total not known yet'}`,
      running ? ` · ${formatSpeed(d.bytesPerSecond)} · ${formatEta(d.etaSeconds)} left` : '',
      d.state === 'complete' && d.bytesLinked ? ` · ${formatBytes(d.bytesLinked)} reused from the store (no download)` : ''),
    d.error ? errorBox(d.error, { testid: `download-error-${d.modelId}` }) : null,
    files.length ? h('details', {
      open: detailsOpen.get(d.modelId) ?? files.length <= 6,
      ontoggle: (e) => detailsOpen.set(d.modelId, e.currentTarget.open),
    }, h('summary', {}, `${files.length} ${files.length === 1 ? 'file' : 'files'}`), files.map(fileRow)) : null,
    h('div', { class: 'row' },
      running ? h('button', { type: 'button', disabled: !!d.cancelling, onclick: () => call('ext.downloads.cancel', d.modelId), 'data-testid': `cancel-${d.modelId}` }, 'Cancel') : null,
      ['failed', 'cancelled', 'interrupted'].includes(d.state)
        ? h('button', { type: 'button', class: 'primary', disabled: !ctx.state.connected, onclick: () => resume(d.modelId) }, 'Resume')
        : null,
      d.state === 'complete' ? h('button', { type: 'button', onclick: () => { ctx.chatWith?.(d.modelId); ctx.showTab('chat'); } }, 'Open chat') : null));
}

/** Forgets the cards of finished, failed and cancelled downloads (the models themselves stay). */
async function clearFinished() {
  try {
    await ctx.bridge.call('ext.downloads.clearFinished');
    for (const [id, d] of ctx.state.downloads) if (d.state !== 'downloading') ctx.state.downloads.delete(id);
    ctx.state.emit('downloads', ctx.state.downloads);
  } catch (err) {
    ctx.toast(`${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
  }
}

function draw() {
  const downloads = [...ctx.state.downloads.values()].sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
  const shown = new Set(downloads.map((d) => d.modelId));
  // Pulls the person asked for that are not running now (host away, browser restarted): say they resume.
  const waiting = ctx.state.models.filter((m) => m.download?.wanted && !m.isDownloaded && !shown.has(m.modelId));
  const cards = downloads.map(card);
  for (const m of waiting) {
    cards.push(h('article', { class: 'card', 'data-download': m.modelId, 'data-state': 'waiting' },
      h('div', { class: 'card-head' }, h('h2', {}, m.name), h('span', { class: 'badge warn' }, 'Waiting for the host')),
      h('p', { class: 'small muted' }, 'This download resumes where it stopped as soon as the host is connected.'),
      h('div', { class: 'row' },
        h('button', { type: 'button', class: 'primary', disabled: !ctx.state.connected, onclick: () => resume(m.modelId) }, 'Resume now'),
        h('button', { type: 'button', onclick: () => call('ext.downloads.cancel', m.modelId) }, 'Cancel'))));
  }
  const finished = downloads.filter((d) => d.state !== 'downloading').length;
  if (!cards.length) {
    cards.push(h('div', { class: 'card' }, h('h2', {}, 'Downloads'),
      h('p', { class: 'muted' }, 'No downloads. Add a model in the Models tab.')));
  }
  render(root,
    finished ? h('div', { class: 'row' }, h('span', { class: 'grow small muted' }, `${finished} finished or stopped`),
      h('button', { type: 'button', 'data-testid': 'downloads-clear', onclick: clearFinished }, 'Clear finished')) : null,
    cards);
}
