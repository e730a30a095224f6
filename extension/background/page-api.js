/**
 * The page API's background half: answers the content scripts' `llmcp-page` ports (content/page-bridge.js)
 * with the host. Consent is per site and kept by the host (`sites.*`); a site without it learns nothing about
 * what is installed (availability() is "downloadable") and its first create() needs a user gesture and the
 * user's answer in the extension's own window (ui/consent.html): allow once, always, or deny.
 * Every call re-checks consent, so a revoke takes effect on the next prompt.
 */
export const PAGE_PORT_NAME = 'llmcp-page';
const DEFAULT_CONTEXT_WINDOW = 4096;

const err = (name, message) => ({ name, message });

export class PageApi {
  #api;
  #rpc;
  #consents = new Map(); // requestId → {resolve}
  #nextConsent = 1;
  #windows = new Map(); // windowId → requestId

  constructor(api, rpc) {
    this.#api = api;
    this.#rpc = rpc;
    api.runtime.onConnect.addListener((port) => this.#accept(port));
    api.runtime.onMessage.addListener((msg, sender) => {
      if (msg?.type !== 'llmcp-consent' || sender?.id !== api.runtime.id) return undefined;
      if (sender.url && !sender.url.includes('/ui/consent.html')) return undefined;
      this.#decide(msg.requestId, msg.decision);
      return undefined;
    });
    api.windows?.onRemoved?.addListener((windowId) => {
      const requestId = this.#windows.get(windowId);
      if (requestId !== undefined) this.#decide(requestId, 'deny');
    });
  }

  /** The page's origin as the browser reports the sender (never what the page says). */
  static originOf(sender) {
    if (sender?.origin && sender.origin !== 'null') return sender.origin;
    try {
      return new URL(sender?.url).origin;
    } catch {
      return null;
    }
  }

  #accept(port) {
    if (port.name !== PAGE_PORT_NAME) return;
    const origin = PageApi.originOf(port.sender);
    if (!origin || !/^https?:/.test(origin)) {
      port.disconnect();
      return;
    }
    const inflight = new Map(); // page call id → host request id
    const post = (msg) => {
      try { port.postMessage(msg); } catch { /* the page went away */ }
    };
    port.onMessage.addListener(async (msg) => {
      if (msg?.type === 'abort') {
        const requestId = inflight.get(msg.id);
        if (requestId !== undefined) this.#rpc.cancel(requestId).catch(() => {});
        inflight.delete(msg.id);
        return;
      }
      if (msg?.type !== 'call') return;
      try {
        const result = await this.#handle(origin, msg, port.sender, {
          chunk: (text) => post({ type: 'chunk', id: msg.id, text }),
          progress: (loaded) => post({ type: 'progress', id: msg.id, loaded }),
          started: (requestId) => inflight.set(msg.id, requestId),
        });
        post({ type: 'result', id: msg.id, result });
      } catch (e) {
        post({ type: 'error', id: msg.id, error: e?.name && !e.code ? { name: e.name, message: e.message } : this.#mapError(e) });
      } finally {
        inflight.delete(msg.id);
      }
    });
    port.onDisconnect.addListener(() => {
      for (const requestId of inflight.values()) this.#rpc.cancel(requestId).catch(() => {});
      inflight.clear();
    });
  }

  #mapError(e) {
    if (e?.code === -32800) return err('AbortError', 'aborted');
    if (e?.code === -32602 && /tokens; the model's context holds/.test(e.message)) return err('QuotaExceededError', e.message);
    if (e?.code === -32602 && e?.data?.field === 'responseConstraint') return err('NotSupportedError', e.message);
    return err('OperationError', e?.message ?? String(e));
  }

  async #site(origin) {
    return this.#rpc.call('sites.get', { origin });
  }

  /** The model a consented site uses: its own, the default, or the first complete model. */
  async #modelFor(site) {
    const list = (await this.#rpc.call('models.list')).models ?? [];
    const complete = (id) => list.some((m) => m.modelId === id && m.complete);
    if (site.model) return complete(site.model) ? site.model : null;
    if (site.defaultModel && complete(site.defaultModel)) return site.defaultModel;
    return list.find((m) => m.complete)?.modelId ?? null;
  }

  async #handle(origin, msg, sender, out) {
    const args = msg.args ?? {};
    switch (msg.op) {
      case 'settings': {
        const site = await this.#site(origin);
        return { preferLocal: !!site.preferLocal };
      }
      case 'availability': {
        const site = await this.#site(origin);
        if (!site.allowed) return 'downloadable';
        return (await this.#modelFor(site)) ? 'available' : 'unavailable';
      }
      case 'create': {
        let site = await this.#site(origin);
        if (!site.allowed) {
          if (!msg.userActivation) throw err('NotAllowedError', 'the first use on a site needs a user gesture (a click)');
          const model = await this.#modelFor(site);
          const decision = await this.#ask(origin, model, sender);
          if (decision === 'deny') throw err('NotAllowedError', 'the user did not allow this site to use local models');
          await this.#rpc.call('sites.allow', { origin, always: decision === 'always' });
          site = await this.#site(origin);
        }
        const model = await this.#modelFor(site);
        if (!model) throw err('NotSupportedError', 'no local model is available');
        out.progress(0.5);
        // Load the model now (create() resolves when it is ready) and learn its context window.
        const { id, result } = this.#rpc.request('generate', {
          modelId: model, messages: [{ role: 'user', content: 'hi' }], params: { maxNewTokens: 1, temperature: 0 },
        }, {});
        out.started(id);
        const warm = await result;
        return { model, contextWindow: warm.contextWindow ?? DEFAULT_CONTEXT_WINDOW };
      }
      case 'prompt': {
        const site = await this.#site(origin);
        if (!site.allowed) throw err('NotAllowedError', 'this site is no longer allowed to use local models');
        const model = await this.#modelFor(site);
        if (!model || model !== args.model) throw err('InvalidStateError', 'the model of this session is no longer available');
        const params = {};
        for (const k of ['temperature', 'topK', 'topP']) if (typeof args.params?.[k] === 'number') params[k] = args.params[k];
        const request = { modelId: model, messages: args.messages, params };
        if (args.responseConstraint !== undefined) request.responseConstraint = args.responseConstraint;
        const { id, result } = this.#rpc.request('generate', request, {
          onNotification: (method, p) => { if (method === 'generate.token' && p.text) out.chunk(p.text); },
        });
        out.started(id);
        const r = await result;
        return { text: r.text, promptTokens: r.promptTokens, generatedTokens: r.generatedTokens, finishReason: r.finishReason };
      }
      default:
        throw err('NotSupportedError', `unknown operation '${msg.op}'`);
    }
  }

  /** Opens the extension's consent window and resolves with 'once' | 'always' | 'deny'. */
  async #ask(origin, model, sender) {
    const requestId = this.#nextConsent++;
    const decided = new Promise((resolve) => this.#consents.set(requestId, { resolve }));
    const url = this.#api.runtime.getURL(`ui/consent.html?${new URLSearchParams({
      requestId: String(requestId), origin, model: model ?? '',
    })}`);
    try {
      const win = await this.#api.windows.create({ url, type: 'popup', width: 440, height: 320, focused: true });
      this.#windows.set(win.id, requestId);
    } catch {
      this.#decide(requestId, 'deny');
    }
    return decided;
  }

  #decide(requestId, decision) {
    const c = this.#consents.get(Number(requestId));
    if (!c) return;
    this.#consents.delete(Number(requestId));
    for (const [w, r] of this.#windows) {
      if (r === Number(requestId)) {
        this.#windows.delete(w);
        this.#api.windows?.remove?.(w)?.catch?.(() => {});
      }
    }
    c.resolve(['once', 'always'].includes(decision) ? decision : 'deny');
  }

  /** The pending consent requests (tests). */
  get pendingConsents() {
    return [...this.#consents.keys()];
  }
}
