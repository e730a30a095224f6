/**
 * The panel's one path to a usable model: the original design's load flow through lib/fetchchunkstore.js,
 * `OnnxModelFetch(config).load()` = `hasModelData` → `loadOrFetchModel` (the host pulls it when missing) →
 * `loadModelConfig` → ready. The Download, Resume, "Add and download" and "Chat with" buttons all call it.
 */
import { OnnxModelFetch } from '../lib/fetchchunkstore.js';
import { ErrorCodes } from '../lib/errors.js';

/**
 * @param ctx the panel context (`showTab`, `toast`, `chatWith`)
 * @param config a ModelConfig (a catalog entry's, the add form's, or a record of the list)
 * @param options.chat open the chat with the model once it is ready
 * @returns the flow's result `{config, model}`, or null when it failed (the person was told) or was cancelled
 */
export async function useModel(ctx, config, { chat = false } = {}) {
  let shownDownloads = false;
  try {
    const ready = await OnnxModelFetch(config).load({
      onProgress: () => {
        // The first progress means the host is pulling: show it where the bars are.
        if (!shownDownloads) { shownDownloads = true; ctx.showTab('downloads'); }
      },
    });
    if (chat) {
      ctx.chatWith?.(config.modelId);
      ctx.showTab('chat');
    } else {
      ctx.toast(`${ready.config?.name ?? config.name ?? config.modelId} is downloaded and ready`);
    }
    return ready;
  } catch (err) {
    if (err?.code !== ErrorCodes.CANCELLED) ctx.toast(`${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
    return null;
  }
}
