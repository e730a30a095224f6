/**
 * What the panel's sections share: the host status, the model list and the downloads, kept current
 * from the background's broadcasts; and what the host itself lists (`models.list`: the store's models and the
 * remote servers' `NAME/MODEL`), asked for when a section needs it and after the remote servers change;
 * 'modelsChanged' says another client changed a model on the host (`models.changed`), and the list is asked again.
 */
import { Emitter } from '../lib/events.js';

export class AppState extends Emitter {
  host = { state: 'connecting', info: null, failure: null };
  models = [];
  downloads = new Map();
  /** `models.list`'s models, remote ones included (they carry `remote`). */
  hostModels = [];

  constructor(bridge) {
    super();
    this.bridge = bridge;
    bridge.on('host', (s) => { this.host = s; this.emit('host', s); });
    bridge.on('models', (list) => { this.#setModels(list); });
    bridge.on('download', (d) => { this.downloads.set(d.modelId, d); this.emit('downloads', this.downloads); });
    // Another client (a terminal, another browser, the quota) changed a model on the host; the list itself arrives
    // as a 'models' broadcast once the background asked the host, this tells the views that read the host directly.
    // Another client changed a model on the host ('modelsChanged', the change itself); the host's own list
    // ('hostModels') is asked for again, so remote models and the chat picker follow too.
    bridge.on('modelsChanged', (change) => {
      this.emit('modelsChanged', change);
      this.loadHostModels();
    });
    bridge.on('reconnected', () => this.load());
  }

  async load() {
    const [host, models, downloads] = await Promise.all([
      this.bridge.call('ext.status'),
      this.bridge.call('ext.models.list'),
      this.bridge.call('ext.downloads.list'),
    ]);
    this.host = host;
    this.emit('host', host);
    this.downloads = new Map(downloads.map((d) => [d.modelId, d]));
    this.emit('downloads', this.downloads);
    this.#setModels(models);
  }

  /** Asks the host for its models again and tells the sections ('hostModels'). */
  async loadHostModels() {
    if (!this.connected) return this.hostModels;
    try {
      this.hostModels = (await this.bridge.call('models.list'))?.models ?? [];
    } catch {
      this.hostModels = []; // an older host without models.list: the extension's own list still works
    }
    this.emit('hostModels', this.hostModels);
    return this.hostModels;
  }

  get connected() {
    return this.host?.state === 'connected';
  }

  #setModels(list) {
    this.models = list.map(({ activeDownload, ...m }) => m);
    this.emit('models', this.models);
  }
}
