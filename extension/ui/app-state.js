/**
 * What the panel's sections share: the host status, the model list and the downloads, kept current
 * from the background's broadcasts; 'hostModels' says the host's own model list changed (`models.changed`).
 */
import { Emitter } from '../lib/events.js';

export class AppState extends Emitter {
  host = { state: 'connecting', info: null, failure: null };
  models = [];
  downloads = new Map();

  constructor(bridge) {
    super();
    this.bridge = bridge;
    bridge.on('host', (s) => { this.host = s; this.emit('host', s); });
    bridge.on('models', (list) => { this.#setModels(list); });
    bridge.on('download', (d) => { this.downloads.set(d.modelId, d); this.emit('downloads', this.downloads); });
    // Another client (a terminal, another browser, the quota) changed a model on the host; the list itself arrives
    // as a 'models' broadcast once the background asked the host, this tells the views that read the host directly.
    bridge.on('modelsChanged', (change) => this.emit('hostModels', change));
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

  get connected() {
    return this.host?.state === 'connected';
  }

  #setModels(list) {
    this.models = list.map(({ activeDownload, ...m }) => m);
    this.emit('models', this.models);
  }
}
