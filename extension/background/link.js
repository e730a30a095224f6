/**
 * The background's host link (lib/host-link.js): what fetchchunkstore and the `ext.*` handlers use in the
 * realm that owns the native port. Host calls go to the RpcClient, model configs to the ModelRegistry,
 * downloads to the DownloadManager, so a model fetched through the original API shows in the Downloads tab
 * and resumes like any other.
 */
import { toModelConfig } from './models.js';

export function createBackgroundLink({ rpc, models, downloads }) {
  return {
    call: (method, params, options) => rpc.call(method, params, options),
    getConfig: async (modelId) => toModelConfig(await models.get(modelId)),
    putConfig: async (config) => toModelConfig(await models.put(config ?? {})),
    download: (modelId, options) => downloads.run(modelId, options),
  };
}
