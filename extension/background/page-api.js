/**
 * The page API's background half: answers the content scripts' `llmcp-page` ports (content/page-bridge.js)
 * with the host. Consent is per site and kept by the host (`sites.*`); a site without it learns nothing about
 * what is installed (availability() is "downloadable") and its first create() needs a user gesture and the
 * user's answer in the extension's own window (ui/consent.html): allow once, always, or deny.
 * Every call re-checks consent, so a revoke takes effect on the next prompt.
 */
import { ConsentPrompts } from './page-consent.js';

export const PAGE_PORT_NAME = 'llmcp-page';
const DEFAULT_CONTEXT_WINDOW = 4096;
/**
 * Idle timeout of the page's generate requests: tokens reset it, but loading a large model or reading a long
 * prompt sends nothing for a while, and the RPC client's default (30 s) would cut those off.
 */
const GENERATE_IDLE_MS = 300_000;

const err = (name, message) => ({ name, message });

export class PageApi {
  #rpc;
  #consent;

  /** @param options.consent the ConsentPrompts to use (tests pass one with a short timeout) */
  constructor(api, rpc, { consent } = {}) {
    this.#rpc = rpc;
    this.#consent = consent ?? new ConsentPrompts(api);
    api.runtime.onConnect.addListener((port) => this.#accept(port));
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

  /** The consent questions still open (tests). */
  get pendingConsents() {
    return this.#consent.pending;
  }

  #accept(port) {
    if (port.name !== PAGE_PORT_NAME) return;
    const origin = PageApi.originOf(port.sender);
    if (!origin || !/^https?:/.test(origin)) {
      port.disconnect();
      return;
    }
    // One entry per page call in flight: aborting it stops the consent question or the host request it waits on.
    const calls = new Map(); // page call id → {controller, requestId}
    const post = (msg) => {
      try { port.postMessage(msg); } catch { /* the page went away */ }
    };
    const stop = (entry) => {
      entry.controller.abort();
      if (entry.requestId !== undefined) this.#rpc.cancel(entry.requestId).catch(() => {});
    };
    port.onMessage.addListener(async (msg) => {
      if (msg?.type === 'abort') {
        const entry = calls.get(msg.id);
        calls.delete(msg.id);
        if (entry) stop(entry);
        return;
      }
      if (msg?.type !== 'call' || calls.has(msg.id)) return;
      const entry = { controller: new AbortController(), requestId: undefined };
      calls.set(msg.id, entry);
      try {
        const result = await this.#handle(origin, msg, {
          signal: entry.controller.signal,
          chunk: (text) => post({ type: 'chunk', id: msg.id, text }),
          progress: (loaded) => post({ type: 'progress', id: msg.id, loaded }),
          started: (requestId) => {
            entry.requestId = requestId;
            // Aborted while the request was being set up: stop it at once rather than let it run unseen.
            if (entry.controller.signal.aborted) this.#rpc.cancel(requestId).catch(() => {});
          },
        });
        post({ type: 'result', id: msg.id, result });
      } catch (e) {
        post({ type: 'error', id: msg.id, error: e?.name && !e.code ? { name: e.name, message: e.message } : this.#mapError(e) });
      } finally {
        calls.delete(msg.id);
      }
    });
    port.onDisconnect.addListener(() => {
      for (const entry of calls.values()) stop(entry);
      calls.clear();
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

  /**
   * The model a consented site uses: its own, the default, or the first complete model. Only models on this
   * computer: a remote provider's (`remote` in models.list) would send the page's text elsewhere, which is not
   * what the user agreed to.
   */
  async #modelFor(site) {
    const list = ((await this.#rpc.call('models.list')).models ?? []).filter((m) => !m.remote);
    const complete = (id) => list.some((m) => m.modelId === id && m.complete);
    if (site.model) return complete(site.model) ? site.model : null;
    if (site.defaultModel && complete(site.defaultModel)) return site.defaultModel;
    return list.find((m) => m.complete)?.modelId ?? null;
  }

  async #handle(origin, msg, out) {
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
          const decision = await this.#consent.ask(origin, model, out.signal);
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
        }, { timeoutMs: GENERATE_IDLE_MS });
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
        // A summarizer bounds its answer by its length option; the host refuses nonsense, so only pass integers.
        if (Number.isInteger(args.params?.maxNewTokens) && args.params.maxNewTokens > 0) params.maxNewTokens = args.params.maxNewTokens;
        const request = { modelId: model, messages: args.messages, params };
        if (args.responseConstraint !== undefined) request.responseConstraint = args.responseConstraint;
        const { id, result } = this.#rpc.request('generate', request, {
          timeoutMs: GENERATE_IDLE_MS,
          onNotification: (method, p) => { if (method === 'generate.token' && p.text) out.chunk(p.text); },
        });
        out.started(id);
        const r = await result;
        return {
          text: r.text, promptTokens: r.promptTokens, generatedTokens: r.generatedTokens, finishReason: r.finishReason,
          droppedMessages: r.droppedMessages ?? 0,
        };
      }
      default:
        throw err('NotSupportedError', `unknown operation '${msg.op}'`);
    }
  }
}
