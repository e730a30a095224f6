/**
 * The Chat tab's model picker: which models can be chatted with — this computer's downloaded ones and what the host
 * lists, remote servers' models included — and how they are shown, remote ones grouped under their server so a
 * remote model is never taken for a local one.
 */
import { h, render } from './dom.js';
import { CATALOG } from '../lib/catalog.js';
import { groupByRemote, remoteModelName, remoteOf } from '../lib/remotes.js';

const EMBEDDING_IDS = new Set(CATALOG.filter((e) => e.kind === 'embedding').map((e) => e.modelId));

/**
 * @param localModels the extension's list (ModelConfig records with `isDownloaded`)
 * @param hostModels `models.list`'s models
 * @returns `[{modelId, name, remote}]`, this computer's first, then each remote server's
 */
export function chatModels(localModels, hostModels) {
  const byId = new Map();
  for (const m of localModels ?? []) {
    if (m.isDownloaded && !EMBEDDING_IDS.has(m.modelId)) byId.set(m.modelId, { modelId: m.modelId, name: m.name, remote: null });
  }
  for (const m of hostModels ?? []) {
    // A remote llmcp offers its built-in embedder too: known embedding models are not for chat wherever they run.
    if (m.complete && !EMBEDDING_IDS.has(remoteModelName(m)) && !byId.has(m.modelId)) {
      byId.set(m.modelId, { modelId: m.modelId, name: m.name ?? m.modelId, remote: remoteOf(m) });
    }
  }
  return [...byId.values()];
}

/** Fills the `<select>` with `models`, keeping `current` selected when it is still there. */
export function drawModelPicker(select, models, current) {
  const option = (m) => h('option', { value: m.modelId, selected: m.modelId === current, 'data-remote': m.remote ?? undefined },
    m.remote ? `${remoteModelName(m)} (remote: ${m.remote})` : m.name);
  const local = models.filter((m) => !m.remote);
  render(select,
    models.length ? null : h('option', { value: '' }, 'No downloaded model'),
    local.length && local.length < models.length ? h('optgroup', { label: 'On this computer' }, local.map(option)) : local.map(option),
    groupByRemote(models).map(([remote, list]) => h('optgroup', { label: `Remote server: ${remote}`, 'data-remote': remote },
      list.map(option))));
  if (models.some((m) => m.modelId === current)) select.value = current;
}
