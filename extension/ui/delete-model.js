/**
 * "Delete from disk" (the model's files leave the host's store, confirmed) versus "Remove from list" (the
 * entry leaves this browser's list; the files stay on disk): one place for both, used by the Models and
 * Storage tabs so the words and the confirmation are the same everywhere.
 */
import { h } from './dom.js';
import { formatBytes } from './format.js';

export function confirmDeleteFromDisk(ctx, modelId, { name = modelId, size } = {}) {
  const dialog = h('dialog', { 'aria-labelledby': 'confirm-title', 'aria-describedby': 'confirm-desc', 'data-testid': 'confirm-delete' },
    h('form', { method: 'dialog', class: 'stack' },
      h('h2', { id: 'confirm-title' }, `Delete ${name} from disk?`),
      h('p', { id: 'confirm-desc' },
        `Its files${size ? ` (${formatBytes(size)})` : ''} are removed from the store on this computer, for every browser and the `,
        h('code', {}, 'llmcp'), ' command. You can download it again later.'),
      h('div', { class: 'row' },
        h('button', { value: 'cancel', autofocus: true }, 'Keep'),
        h('button', { value: 'delete', class: 'danger', 'data-testid': 'confirm-delete-button' }, 'Delete from disk'))));
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener('close', async () => {
      const confirmed = dialog.returnValue === 'delete';
      dialog.remove();
      if (!confirmed) { resolve(null); return; }
      try {
        const res = await ctx.bridge.call('ext.models.delete', { modelId });
        ctx.toast(`${name} deleted from disk, ${formatBytes(res?.bytesFreed ?? 0)} freed`);
        resolve(res);
      } catch (err) {
        ctx.toast(`Delete failed: ${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
        resolve(null);
      }
    });
    dialog.showModal();
  });
}

export async function removeFromList(ctx, m) {
  try {
    await ctx.bridge.call('ext.models.forget', { modelId: m.modelId });
    ctx.toast(`${m.name} removed from the list; its files stay on disk (Storage tab to delete them).`);
  } catch (err) {
    ctx.toast(`${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
  }
}
