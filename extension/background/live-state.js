/**
 * Live state: the host tells every client when any client pulls, deletes, pins or evicts a model
 * (`models.changed {modelId, change}`, docs/PROTOCOL.md). A model deleted by `llmcp rm` in a terminal, or evicted by
 * the quota while another browser pulled, must stop saying "Downloaded" in an open panel without a reload.
 */
export const MODELS_CHANGED = 'models.changed';
/** The broadcast the pages get (`{type:'event', event: 'modelsChanged', data: params}`). */
export const MODELS_CHANGED_EVENT = 'modelsChanged';
/** Changes that leave the model's files as they were: the list's `isDownloaded` needs no new answer. */
const FILES_UNTOUCHED = new Set(['pinned', 'unpinned']);

/**
 * @param rpc the RpcClient ('notification' events)
 * @param models the ModelRegistry (its `refreshDownloaded(ids)` asks the host `models.has`)
 * @param broadcast `(event, data)`: the UiRouter's broadcast to every open page
 * @returns the function that stops following
 */
export function followHostChanges({ rpc, models, broadcast }) {
  return rpc.on('notification', (method, params) => {
    if (method !== MODELS_CHANGED || typeof params?.modelId !== 'string') return;
    // The pages first: the Storage and Chat tabs read the host's own list, which is already current.
    broadcast(MODELS_CHANGED_EVENT, { modelId: params.modelId, change: params.change ?? 'changed' });
    if (FILES_UNTOUCHED.has(params.change)) return;
    models.refreshDownloaded([params.modelId])
      .catch((err) => console.error(`refresh of ${params.modelId} after '${params.change}' failed`, err));
  });
}
