/**
 * A small fake of the `chrome.*` APIs the extension uses: storage.local, runtime ports (page ↔
 * background), connectNative with a scriptable host, and a manual clock for timeouts and backoff.
 * Messages cross ports as JSON, as they do in the browser, so non-serialisable values fail here too.
 */

export class FakeEvent {
  #listeners = new Set();
  addListener(fn) { this.#listeners.add(fn); }
  removeListener(fn) { this.#listeners.delete(fn); }
  hasListener(fn) { return this.#listeners.has(fn); }
  get size() { return this.#listeners.size; }
  dispatch(...args) { for (const fn of [...this.#listeners]) fn(...args); }
}

const wire = (msg) => JSON.parse(JSON.stringify(msg));

export function createStorageArea(initial = {}) {
  let data = wire(initial);
  const area = {
    onChanged: new FakeEvent(),
    async get(keys) {
      if (keys === null || keys === undefined) return wire(data);
      const list = typeof keys === 'string' ? [keys] : Array.isArray(keys) ? keys : Object.keys(keys);
      const out = {};
      for (const k of list) if (k in data) out[k] = wire(data[k]);
      return out;
    },
    async set(items) {
      data = { ...data, ...wire(items) };
    },
    async remove(keys) {
      for (const k of typeof keys === 'string' ? [keys] : keys) delete data[k];
    },
    async clear() { data = {}; },
    /** Test helper: the raw stored data. */
    dump() { return wire(data); },
  };
  return area;
}

/** One end of a runtime port; `peer` is the other end. */
class FakePort {
  constructor(name, sender) {
    this.name = name;
    this.sender = sender;
    this.onMessage = new FakeEvent();
    this.onDisconnect = new FakeEvent();
    this.peer = null;
    this.connected = true;
  }

  postMessage(msg) {
    if (!this.connected) throw new Error('Attempting to use a disconnected port object');
    const copy = wire(msg);
    const peer = this.peer;
    queueMicrotask(() => { if (peer.connected) peer.onMessage.dispatch(copy, peer); });
  }

  disconnect() {
    if (!this.connected) return;
    this.connected = false;
    const peer = this.peer;
    queueMicrotask(() => {
      if (!peer.connected) return;
      peer.connected = false;
      peer.onDisconnect.dispatch(peer);
    });
  }
}

/**
 * The host side of a native port. Tests drive it: `onRequest(fn)` answers requests, `send(msg)`
 * writes a frame to the extension, `exit(text)` closes the port as the browser would.
 */
export class FakeNativeHost {
  constructor(runtime, port) {
    this.runtime = runtime;
    this.port = port;
    this.received = [];
    this.handler = null;
    port.postMessage = (msg) => {
      if (!port.connected) throw new Error('Attempting to use a disconnected port object');
      const copy = wire(msg);
      this.received.push(copy);
      queueMicrotask(() => this.handler?.(copy, this));
    };
    port.disconnect = () => { port.connected = false; this.closedByExtension = true; };
  }

  onRequest(fn) { this.handler = fn; return this; }

  send(msg) {
    const copy = wire(msg);
    queueMicrotask(() => { if (this.port.connected) this.port.onMessage.dispatch(copy, this.port); });
  }

  reply(id, result) { this.send({ jsonrpc: '2.0', id, result }); }
  fail(id, code, message, data) { this.send({ jsonrpc: '2.0', id, error: { code, message, data } }); }
  notify(method, params) { this.send({ jsonrpc: '2.0', method, params }); }

  /** The host exits (or never existed): Chrome sets runtime.lastError during onDisconnect. */
  exit(lastErrorText = 'Native host has exited.') {
    queueMicrotask(() => {
      if (!this.port.connected) return;
      this.port.connected = false;
      this.runtime.lastError = lastErrorText ? { message: lastErrorText } : undefined;
      try { this.port.onDisconnect.dispatch(this.port); } finally { this.runtime.lastError = undefined; }
    });
  }
}

/**
 * @param options.onNative `(host: FakeNativeHost, name) => void` called for each connectNative;
 *   default: a host that is not installed.
 */
export function createFakeChrome({ onNative, storage } = {}) {
  const runtime = {
    id: 'elmmfbajkifjcdbkledoobbkbimigcib',
    lastError: undefined,
    onConnect: new FakeEvent(),
    nativeConnects: 0,
    hosts: [],
    connectNative(name) {
      runtime.nativeConnects++;
      const port = new FakePort(name, null);
      const host = new FakeNativeHost(runtime, port);
      runtime.hosts.push(host);
      if (onNative) onNative(host, name);
      else host.exit('Specified native messaging host not found.');
      return port;
    },
    /** A page connecting to the background. */
    connect({ name } = {}, sender = { id: runtime.id, url: `chrome-extension://${runtime.id}/ui/panel.html` }) {
      const page = new FakePort(name, null);
      const background = new FakePort(name, sender);
      page.peer = background;
      background.peer = page;
      queueMicrotask(() => runtime.onConnect.dispatch(background));
      return page;
    },
    getURL: (p) => `chrome-extension://${runtime.id}/${p}`,
  };
  return { runtime, storage: { local: storage ?? createStorageArea() } };
}

/** Timers under test control: `advance(ms)` runs what falls due, in order. */
export class ManualClock {
  now = 0;
  #timers = new Map();
  #next = 1;

  setTimeout = (fn, ms = 0) => {
    const id = this.#next++;
    this.#timers.set(id, { at: this.now + ms, fn });
    return id;
  };

  clearTimeout = (id) => { this.#timers.delete(id); };

  get pending() {
    return [...this.#timers.values()].map((t) => t.at - this.now).sort((a, b) => a - b);
  }

  async advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.#timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [id, t] = due;
      this.#timers.delete(id);
      this.now = t.at;
      t.fn();
      await flush();
    }
    this.now = end;
    await flush();
  }
}

/** Lets queued microtasks (port deliveries, promise chains) run. */
export async function flush(rounds = 10) {
  for (let i = 0; i < rounds; i++) await new Promise((r) => setImmediate(r));
}

/** A native host that answers host.info and lets the test add methods: `{method: (params, req, host) => result}`. */
export function scriptedHost(methods = {}) {
  return (host) => {
    host.onRequest((req) => {
      const fn = methods[req.method] ?? (req.method === 'host.info'
        ? () => ({ name: 'llmcp', version: '9.9.9', protocolVersion: '1.0', onnxruntime: { providers: ['CPU'], loaded: true } })
        : null);
      if (!fn) { host.fail(req.id, -32601, `method not found: ${req.method}`, { method: req.method }); return; }
      Promise.resolve()
        .then(() => fn(req.params, req, host))
        .then((result) => { if (result !== undefined) host.reply(req.id, result); },
          (err) => host.fail(req.id, err.code ?? -32603, err.message, err.data));
    });
  };
}
