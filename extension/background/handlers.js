/**
 * The background's own methods (`ext.*`), called by the UI pages through the router, and the host
 * status they display.
 */
import { Emitter } from '../lib/events.js';
import { RpcError, ClientErrors } from '../lib/errors.js';
import { DOWNLOAD_PROGRESS } from '../lib/host-link.js';

/** What the UI shows as "Host status": connection state, host.info, and the failure with its fix. */
export class HostStatus extends Emitter {
  current = { state: 'connecting', info: null, failure: null, since: Date.now() };

  constructor(rpc) {
    super();
    rpc.on('state', (state, detail) => {
      const next = { ...this.current, state, since: Date.now() };
      if (state === 'connected') { next.info = detail ?? null; next.failure = null; }
      if (state === 'disconnected') { next.failure = detail ?? null; next.retryInMs = rpc.nextRetryMs ?? null; }
      this.current = next;
      this.emit('changed', next);
    });
  }
}

/**
 * @param link the background's host link (background/link.js): `ext.models.get`, `ext.models.store` and
 *   `ext.downloads.run` are what lib/fetchchunkstore.js calls from a page
 */
export function createHandlers({ rpc, models, downloads, status, link }) {
  const modelsWithDownloads = async () => {
    const list = await models.list();
    const active = new Map(downloads.list().map((d) => [d.modelId, d]));
    return list.map((m) => ({ ...m, activeDownload: active.get(m.modelId) ?? null }));
  };
  const requireId = (params) => {
    if (typeof params.modelId !== 'string' || !params.modelId) {
      throw new RpcError(ClientErrors.INVALID_INPUT, "'modelId' is required", { field: 'modelId' });
    }
    return params.modelId;
  };

  return {
    'ext.status': async () => status.current,
    'ext.reconnect': async () => {
      try {
        await rpc.connect();
      } catch { /* the status carries the failure */ }
      return status.current;
    },
    'ext.models.list': modelsWithDownloads,
    'ext.models.add': async (params) => models.add(params.config ?? {}, { replace: !!params.replace }),
    'ext.models.get': async (params) => link.getConfig(requireId(params)),
    'ext.models.store': async (params) => link.putConfig(params.config),
    'ext.models.forget': async (params) => {
      const modelId = requireId(params);
      if (downloads.isActive(modelId)) await downloads.cancel(modelId);
      return { modelId, removed: await models.remove(modelId) };
    },
    'ext.models.delete': async (params) => {
      const modelId = requireId(params);
      if (downloads.isActive(modelId)) await downloads.cancel(modelId);
      const res = await rpc.call('models.delete', { modelId });
      await models.update(modelId, { isDownloaded: false, download: { wanted: false, state: 'deleted' } });
      return res;
    },
    'ext.models.refresh': async () => {
      await models.refreshDownloaded();
      return modelsWithDownloads();
    },
    'ext.downloads.list': async () => downloads.list(),
    'ext.downloads.start': async (params) => downloads.start(requireId(params)),
    'ext.downloads.run': async (params, { notify }) => link.download(requireId(params), {
      onProgress: (snapshot) => notify(DOWNLOAD_PROGRESS, snapshot),
    }),
    'ext.downloads.cancel': async (params) => downloads.cancel(requireId(params)),
    'ext.downloads.clearFinished': async () => ({ cleared: downloads.clearFinished() }),
  };
}
