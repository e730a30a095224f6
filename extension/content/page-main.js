/**
 * The page API in the page's own (MAIN) world: `LanguageModel` after the Prompt API, answered by the user's
 * local models through the extension (content/page-bridge.js → background/page-api.js → host). Defined where
 * the browser has none; where the browser has one, ours answers unless the browser's says "available", or
 * the user prefers local models (host setting pageApi.preferLocal). Secure contexts only (http://localhost and
 * http://127.0.0.1 count, as browsers treat them), top-level documents and frames of the top's origin.
 * See docs/PAGE-API.md.
 */
(() => {
  if (!globalThis.isSecureContext) return;
  try {
    if (window.top !== window && window.top.location.origin !== window.location.origin) return;
  } catch {
    return; // a cross-origin frame
  }
  const TAG = 'llmcp-page-api';
  const native = globalThis.LanguageModel;
  const pending = new Map();
  let nextId = 1;

  const domError = (name, message) => new DOMException(message, name);
  const toError = (e) => (e instanceof Error || e instanceof DOMException ? e
    : e?.name === 'TypeError' ? new TypeError(e.message) : domError(e?.name ?? 'OperationError', e?.message ?? 'failed'));

  window.addEventListener('message', (event) => {
    if (event.source !== window || event.data?.[TAG] !== 'down') return;
    const msg = event.data;
    if (msg.type === 'disconnected') {
      for (const [id, p] of pending) { pending.delete(id); p.reject(domError('OperationError', 'the extension restarted')); }
      return;
    }
    const p = pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'chunk') p.onChunk?.(msg.text);
    else if (msg.type === 'progress') p.onProgress?.(msg.loaded);
    else {
      pending.delete(msg.id);
      if (msg.type === 'result') p.resolve(msg.result);
      else p.reject(toError(msg.error));
    }
  });

  /** One call to the background; aborting `signal` cancels it there. */
  function call(op, args, { signal, onChunk, onProgress } = {}) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(signal.reason ?? domError('AbortError', 'aborted')); return; }
      const id = nextId++;
      const onAbort = () => {
        if (!pending.has(id)) return;
        pending.delete(id);
        window.postMessage({ [TAG]: 'up', type: 'abort', id }, '*');
        reject(signal.reason ?? domError('AbortError', 'aborted'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (f) => (v) => { signal?.removeEventListener('abort', onAbort); f(v); };
      pending.set(id, { resolve: done(resolve), reject: done(reject), onChunk, onProgress });
      window.postMessage({ [TAG]: 'up', type: 'call', id, op, args }, '*');
    });
  }

  const SUPPORTED_TYPES = new Set(['text']);
  function checkExpected(options) {
    for (const key of ['expectedInputs', 'expectedOutputs']) {
      const list = options?.[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new TypeError(`${key} must be an array`);
      for (const e of list) if (!SUPPORTED_TYPES.has(e?.type)) return false;
    }
    return true;
  }

  /** Prompt input (a string or messages) as {role, content: string} messages. */
  function messagesOf(input, { allowSystem = false } = {}) {
    if (typeof input === 'string') return [{ role: 'user', content: input }];
    if (!Array.isArray(input)) throw new TypeError('input must be a string or an array of messages');
    return input.map((m, i) => {
      const role = m?.role ?? 'user';
      if (!['system', 'user', 'assistant'].includes(role)) throw new TypeError(`unknown role '${role}'`);
      if (role === 'system' && !(allowSystem && i === 0)) throw new TypeError('a system message may only come first in initialPrompts');
      if (m.prefix) {
        if (role !== 'assistant' || i !== input.length - 1) throw new TypeError('prefix is only allowed on a final assistant message');
        throw domError('NotSupportedError', 'assistant prefixes are not supported by the local models yet');
      }
      let content = m.content;
      if (Array.isArray(content)) {
        content = content.map((part) => {
          if (part?.type !== 'text') throw domError('NotSupportedError', `'${part?.type}' input is not supported`);
          return String(part.value);
        }).join('');
      }
      if (typeof content !== 'string') throw new TypeError('message content must be a string');
      return { role, content };
    });
  }

  /** A conservative token estimate (the models' own counts replace it after each answer). */
  const estimate = (messages) => messages.reduce((n, m) => n + Math.ceil(m.content.length / 2) + 4, 0);

  let preferLocalPromise = null;
  const preferLocal = () => (preferLocalPromise ??= call('settings', {}).then((s) => !!s.preferLocal).catch(() => false));

  /** Whether the browser's own implementation should answer `options`. */
  async function useNative(options) {
    if (!native || typeof native.availability !== 'function') return false;
    if (await preferLocal()) return false;
    try {
      // Some builds never answer when their on-device service is not running: treat silence as "unavailable".
      const answer = await Promise.race([native.availability(options), new Promise((r) => setTimeout(() => r('unavailable'), 2000))]);
      // Only a browser model that is there now wins: one that must first be downloaded (or whose service is
      // not running, as in Debian's Chromium, which answers "downloadable" and never creates) does not.
      return answer === 'available';
    } catch {
      return false;
    }
  }

  class LanguageModel extends EventTarget {
    #model;
    #history;
    #params;
    #contextWindow;
    #contextUsage;
    #destroyed = false;
    #controller = new AbortController();
    #oncontextoverflow = null;

    constructor(key, state) {
      super();
      if (key !== constructorKey) throw new TypeError('Illegal constructor: use LanguageModel.create()');
      this.#model = state.model;
      this.#history = state.history;
      this.#params = state.params;
      this.#contextWindow = state.contextWindow;
      this.#contextUsage = state.contextUsage;
    }

    static async availability(options = {}) {
      if (await useNative(options)) return native.availability(options);
      if (!checkExpected(options)) return 'unavailable';
      return call('availability', {});
    }

    static async params() {
      return { defaultTopK: 40, maxTopK: 128, defaultTemperature: 0.8, maxTemperature: 2 };
    }

    static async create(options = {}) {
      if (await useNative(options)) return native.create(options);
      const { signal, monitor } = options;
      if (signal?.aborted) throw signal.reason ?? domError('AbortError', 'aborted');
      if (!checkExpected(options)) throw domError('NotSupportedError', 'only text input and output are supported');
      const history = options.initialPrompts === undefined ? [] : messagesOf(options.initialPrompts, { allowSystem: true });
      const params = {};
      if (options.samplingMode !== undefined) {
        const modes = { 'most-predictable': { temperature: 0 }, balanced: {}, 'most-creative': { temperature: 1.0, topP: 0.95 } };
        if (!(options.samplingMode in modes)) throw new TypeError(`unknown samplingMode '${options.samplingMode}'`);
        Object.assign(params, modes[options.samplingMode]);
      }
      if (options.temperature !== undefined) params.temperature = Number(options.temperature);
      if (options.topK !== undefined) params.topK = Math.max(1, Math.floor(Number(options.topK)));
      const target = new EventTarget();
      if (typeof monitor === 'function') monitor(target);
      const progress = (loaded) => target.dispatchEvent(Object.assign(new ProgressEvent('downloadprogress', { loaded, total: 1 })));
      progress(0);
      const created = await call('create', {}, { signal, onProgress: progress });
      progress(1);
      const session = new LanguageModel(constructorKey, {
        model: created.model, history, params, contextWindow: created.contextWindow, contextUsage: estimate(history),
      });
      if (estimate(history) > created.contextWindow) throw domError('QuotaExceededError', 'initialPrompts do not fit the context window');
      return session;
    }

    get contextWindow() { return this.#contextWindow; }
    get contextUsage() { return this.#contextUsage; }
    get inputQuota() { return this.#contextWindow; }
    get inputUsage() { return this.#contextUsage; }
    get topK() { return this.#params.topK; }
    get temperature() { return this.#params.temperature; }
    get oncontextoverflow() { return this.#oncontextoverflow; }
    set oncontextoverflow(f) {
      if (this.#oncontextoverflow) this.removeEventListener('contextoverflow', this.#oncontextoverflow);
      this.#oncontextoverflow = typeof f === 'function' ? f : null;
      if (this.#oncontextoverflow) this.addEventListener('contextoverflow', this.#oncontextoverflow);
    }

    #check(signal) {
      if (this.#destroyed) throw domError('InvalidStateError', 'the session was destroyed');
      if (signal?.aborted) throw signal.reason ?? domError('AbortError', 'aborted');
    }

    #signal(signal) {
      return signal ? AbortSignal.any([signal, this.#controller.signal]) : this.#controller.signal;
    }

    /** Makes room for `added` (evicting the oldest turns, keeping a system prompt); throws when it cannot fit. */
    #fit(added, reserve) {
      const need = estimate(added) + reserve;
      if (need + (this.#history[0]?.role === 'system' ? estimate([this.#history[0]]) : 0) > this.#contextWindow) {
        throw domError('QuotaExceededError', `the input needs about ${estimate(added)} tokens; the context window is ${this.#contextWindow}`);
      }
      let overflowed = false;
      while (this.#history.length && estimate(this.#history) + need > this.#contextWindow) {
        const first = this.#history[0].role === 'system' ? 1 : 0;
        if (first >= this.#history.length) break;
        this.#history.splice(first, 1);
        overflowed = true;
      }
      if (overflowed) {
        this.#contextUsage = estimate(this.#history);
        this.dispatchEvent(new Event('contextoverflow'));
      }
    }

    async #run(input, options, onChunk) {
      this.#check(options.signal);
      const added = messagesOf(input);
      const constraint = options.responseConstraint;
      if (constraint !== undefined && (constraint === null || typeof constraint !== 'object' || constraint instanceof RegExp)) {
        throw domError('NotSupportedError', 'responseConstraint must be a JSON Schema object');
      }
      this.#fit(added, 32);
      const messages = [...this.#history, ...added];
      const args = { model: this.#model, messages, params: this.#params };
      if (constraint !== undefined) {
        args.responseConstraint = JSON.parse(JSON.stringify(constraint));
        if (!options.omitResponseConstraintInput) {
          const last = messages[messages.length - 1];
          messages[messages.length - 1] = { ...last, content: `${last.content}\n\nAnswer with JSON that matches this schema: ${JSON.stringify(constraint)}` };
        }
      }
      const result = await call('prompt', args, { signal: this.#signal(options.signal), onChunk });
      this.#history.push(...added, { role: 'assistant', content: result.text });
      this.#contextUsage = result.promptTokens + result.generatedTokens;
      return result.text;
    }

    async prompt(input, options = {}) {
      return this.#run(input, options);
    }

    promptStreaming(input, options = {}) {
      let controllerRef;
      const stream = new ReadableStream({
        start: (controller) => { controllerRef = controller; },
        cancel: () => inner.abort(domError('AbortError', 'the stream was cancelled')),
      });
      const inner = new AbortController();
      const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
      this.#run(input, { ...options, signal }, (text) => { if (text) controllerRef.enqueue(text); })
        .then(() => controllerRef.close(), (err) => { try { controllerRef.error(err); } catch { /* cancelled */ } });
      return stream;
    }

    async append(input, options = {}) {
      this.#check(options.signal);
      const added = messagesOf(input);
      this.#fit(added, 0);
      this.#history.push(...added);
      this.#contextUsage += estimate(added);
    }

    async measureContextUsage(input, options = {}) {
      this.#check(options.signal);
      return estimate(messagesOf(input));
    }

    async measureInputUsage(input, options = {}) {
      return this.measureContextUsage(input, options);
    }

    async clone(options = {}) {
      this.#check(options.signal);
      return new LanguageModel(constructorKey, {
        model: this.#model, history: this.#history.map((m) => ({ ...m })), params: { ...this.#params },
        contextWindow: this.#contextWindow, contextUsage: this.#contextUsage,
      });
    }

    destroy() {
      if (this.#destroyed) return;
      this.#destroyed = true;
      this.#controller.abort(domError('AbortError', 'the session was destroyed'));
    }
  }
  const constructorKey = Symbol('LanguageModel');

  Object.defineProperty(globalThis, 'LanguageModel', { value: LanguageModel, writable: true, configurable: true, enumerable: false });
})();
