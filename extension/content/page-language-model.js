/**
 * `LanguageModel` (the Prompt API) in the page's own world, answered by the user's local models. The session
 * keeps the conversation here and sends it whole with every prompt (the host keeps no state between requests);
 * prompts and appends of one session run one after another, in the order they were made. Where the browser
 * has its own LanguageModel, ours answers unless the browser's says "available" or the user prefers local models.
 * See docs/PAGE-API.md for what differs from the browser's built-in one.
 */
(() => {
  const core = globalThis.__llmcpPageCore;
  if (!core) return; // not a context the page API serves (see content/page-core.js)
  const { call, domError, abortError, quotaError, languages, enumOption, progressMonitor, estimate, useNative, define, textStream } = core;
  const native = globalThis.LanguageModel;
  const PARAMS = Object.freeze({ defaultTopK: 40, maxTopK: 128, defaultTemperature: 0.8, maxTemperature: 2 });
  const INPUT_TYPES = ['text', 'image', 'audio'];
  const SAMPLING_MODES = { 'most-predictable': { temperature: 0 }, balanced: {}, 'most-creative': { temperature: 1.0, topP: 0.95 } };
  const ANSWER_RESERVE = 32; // tokens kept free for the start of an answer when fitting the context
  const constructorKey = Symbol('LanguageModel');

  /** expectedInputs/expectedOutputs checked (TypeError, RangeError); true when only text is expected. */
  function textOnly(options) {
    let ok = true;
    for (const key of ['expectedInputs', 'expectedOutputs']) {
      const list = options?.[key];
      if (list === undefined) continue;
      if (!Array.isArray(list)) throw new TypeError(`${key} must be an array`);
      for (const e of list) {
        if (enumOption(e?.type, INPUT_TYPES, undefined, `${key}[].type`) !== 'text') ok = false;
        languages(e?.languages, `${key}[].languages`);
      }
    }
    return ok;
  }

  /** Sampling options as host params: both topK and temperature or neither, as the spec requires. */
  function samplingParams(options) {
    const params = {};
    if (options.samplingMode !== undefined) {
      if (!(options.samplingMode in SAMPLING_MODES)) throw new TypeError(`unknown samplingMode '${options.samplingMode}'`);
      Object.assign(params, SAMPLING_MODES[options.samplingMode]);
    }
    const hasTopK = options.topK !== undefined;
    const hasTemperature = options.temperature !== undefined;
    if (hasTopK !== hasTemperature) throw domError('NotSupportedError', 'give both topK and temperature, or neither');
    if (hasTopK) {
      const topK = Math.floor(Number(options.topK));
      const temperature = Number(options.temperature);
      if (!(topK >= 1)) throw new RangeError('topK must be at least 1');
      if (!(temperature >= 0)) throw new RangeError('temperature must not be negative');
      params.topK = Math.min(topK, PARAMS.maxTopK);
      params.temperature = Math.min(temperature, PARAMS.maxTemperature);
    }
    return params;
  }

  /**
   * Prompt input as `{role, content}` messages. A string (or anything that is not an array, as WebIDL converts
   * it) is one user message. A system message may only open a session: `systemAllowed` says whether this input
   * is the session's first (then only its first message may be one). Non-text content is NotSupportedError.
   */
  function messagesOf(input, systemAllowed, { anyRole = false } = {}) {
    if (!Array.isArray(input)) return [{ role: 'user', content: String(input) }];
    return input.map((m, i) => {
      const role = enumOption(m?.role, ['system', 'user', 'assistant'], 'user', 'role');
      if (role === 'system' && !anyRole && !(systemAllowed && i === 0)) throw new TypeError('a system message may only open the session');
      if (m.prefix && !anyRole) {
        if (role !== 'assistant' || i !== input.length - 1) throw new TypeError('prefix is only allowed on a final assistant message');
        throw domError('NotSupportedError', 'assistant prefixes are not supported by local models yet');
      }
      let content = m.content;
      if (Array.isArray(content)) {
        content = content.map((part) => {
          if (part?.type !== 'text') throw domError('NotSupportedError', `'${part?.type}' input is not supported`);
          return String(part.value);
        }).join('');
      }
      return { role, content: String(content ?? '') };
    });
  }

  class LanguageModel extends EventTarget {
    #model;
    #history;
    #params;
    #contextWindow;
    #contextUsage;
    #turns; // messages given so far, queued ones included (the system-message rule counts them)
    #tail = Promise.resolve(); // the last queued operation: prompts and appends run in order
    #destroyed = false;
    #controller = new AbortController();
    #handlers = {};

    constructor(key, state) {
      super();
      if (key !== constructorKey) throw new TypeError('Illegal constructor: use LanguageModel.create()');
      this.#model = state.model;
      this.#history = state.history;
      this.#params = state.params;
      this.#contextWindow = state.contextWindow;
      this.#contextUsage = estimate(state.history);
      this.#turns = state.history.length;
    }

    static async availability(options = {}) {
      if (await useNative(native, options)) return native.availability(options);
      if (!textOnly(options)) return 'unavailable';
      return call('availability', {});
    }

    static async params() {
      return PARAMS;
    }

    static async create(options = {}) {
      const { signal } = options;
      if (signal?.aborted) throw abortError(signal);
      const onlyText = textOnly(options);
      const params = samplingParams(options);
      const history = options.initialPrompts === undefined ? [] : messagesOf(options.initialPrompts, true);
      if (await useNative(native, options)) return native.create(options);
      if (!onlyText) throw domError('NotSupportedError', 'only text input and output are supported');
      const progress = progressMonitor(options.monitor, signal);
      progress(0);
      const created = await call('create', {}, { signal, onProgress: progress });
      progress(1);
      const used = estimate(history);
      if (used > created.contextWindow) {
        throw quotaError('initialPrompts do not fit the context window', used, created.contextWindow);
      }
      return new LanguageModel(constructorKey, { model: created.model, history, params, contextWindow: created.contextWindow });
    }

    get contextWindow() { return this.#contextWindow; }
    get contextUsage() { return this.#contextUsage; }
    get inputQuota() { return this.#contextWindow; } // the names before contextWindow/contextUsage
    get inputUsage() { return this.#contextUsage; }
    get topK() { return this.#params.topK ?? PARAMS.defaultTopK; }
    get temperature() { return this.#params.temperature ?? PARAMS.defaultTemperature; }
    get oncontextoverflow() { return this.#handlers.contextoverflow ?? null; }
    set oncontextoverflow(f) { this.#handler('contextoverflow', f); }
    get onquotaoverflow() { return this.#handlers.quotaoverflow ?? null; }
    set onquotaoverflow(f) { this.#handler('quotaoverflow', f); }

    #handler(type, f) {
      if (this.#handlers[type]) this.removeEventListener(type, this.#handlers[type]);
      this.#handlers[type] = typeof f === 'function' ? f : null;
      if (this.#handlers[type]) this.addEventListener(type, this.#handlers[type]);
    }

    #check(signal) {
      if (this.#destroyed) throw domError('InvalidStateError', 'the session was destroyed');
      if (signal?.aborted) throw abortError(signal);
    }

    /** The caller's signal joined with the session's, which destroy() aborts. */
    #signal(signal) {
      return signal ? AbortSignal.any([signal, this.#controller.signal]) : this.#controller.signal;
    }

    /** Checks `input` now (so its errors come first) and counts it as given. */
    #accept(input, signal) {
      this.#check(signal);
      const added = messagesOf(input, this.#turns === 0);
      this.#turns += added.length;
      return added;
    }

    /** Runs `fn` after every operation queued before it; a failed one does not stop the queue. */
    #enqueue(fn) {
      const run = this.#tail.then(fn);
      this.#tail = run.catch(() => {});
      return run;
    }

    #overflowed() {
      this.dispatchEvent(new Event('contextoverflow'));
      this.dispatchEvent(new Event('quotaoverflow'));
    }

    /** Makes room for `added` by evicting the oldest turns (never a system prompt); QuotaExceededError if it cannot. */
    #fit(added, reserve) {
      const system = this.#history[0]?.role === 'system' ? estimate([this.#history[0]]) : 0;
      const need = estimate(added) + reserve;
      if (need + system > this.#contextWindow) {
        throw quotaError(`the input needs about ${estimate(added)} tokens; the context window is ${this.#contextWindow}`,
          need + system, this.#contextWindow);
      }
      this.#evict((history) => estimate(history) + need > this.#contextWindow);
    }

    /** Drops the oldest non-system turns while `tooBig(history)`; fires contextoverflow if any went. */
    #evict(tooBig, count = Infinity) {
      const first = this.#history[0]?.role === 'system' ? 1 : 0;
      let dropped = 0;
      while (dropped < count && this.#history.length > first && tooBig(this.#history)) {
        this.#history.splice(first, 1);
        dropped++;
      }
      if (dropped) {
        this.#contextUsage = estimate(this.#history);
        this.#overflowed();
      }
    }

    #run(input, options, onChunk) {
      const signal = this.#signal(options.signal);
      const constraint = options.responseConstraint;
      if (constraint !== undefined && (constraint === null || typeof constraint !== 'object' || constraint instanceof RegExp)) {
        throw domError('NotSupportedError', 'responseConstraint must be a JSON Schema object (regular expressions are not supported)');
      }
      let schema;
      try {
        schema = constraint === undefined ? undefined : JSON.stringify(constraint);
      } catch {
        throw domError('NotSupportedError', 'responseConstraint must be a JSON Schema that can be written as JSON');
      }
      const added = this.#accept(input, options.signal);
      return this.#enqueue(async () => {
        this.#check(signal);
        this.#fit(added, ANSWER_RESERVE);
        const messages = [...this.#history, ...added];
        if (!messages.some((m) => m.role === 'user')) messages.push({ role: 'user', content: '' });
        const args = { model: this.#model, messages, params: this.#params };
        if (schema !== undefined) {
          args.responseConstraint = JSON.parse(schema);
          if (!options.omitResponseConstraintInput) {
            const last = messages[messages.length - 1];
            messages[messages.length - 1] = { ...last, content: `${last.content}\n\nAnswer with JSON that matches this schema: ${schema}` };
          }
        }
        const result = await call('prompt', args, { signal, onChunk });
        this.#history.push(...added, { role: 'assistant', content: result.text });
        // The host dropped turns it could not fit (its count is exact; ours was an estimate): drop them here too.
        if (result.droppedMessages > 0) this.#evict(() => true, result.droppedMessages);
        this.#contextUsage = result.promptTokens + result.generatedTokens;
        return result.text;
      });
    }

    async prompt(input, options = {}) {
      return this.#run(input, options);
    }

    promptStreaming(input, options = {}) {
      return textStream(options, (opts, onChunk) => this.#run(input, opts, onChunk));
    }

    async append(input, options = {}) {
      const added = this.#accept(input, options.signal);
      const signal = this.#signal(options.signal);
      return this.#enqueue(() => {
        this.#check(signal);
        this.#fit(added, 0);
        this.#history.push(...added);
        this.#contextUsage = estimate(this.#history);
      });
    }

    async measureContextUsage(input, options = {}) {
      this.#check(options.signal);
      // Any sequence of roles may be measured, whether or not it could be prompted here.
      return estimate(messagesOf(input, true, { anyRole: true }));
    }

    async measureInputUsage(input, options = {}) {
      return this.measureContextUsage(input, options);
    }

    async clone(options = {}) {
      this.#check(options.signal);
      const signal = this.#signal(options.signal);
      // Queued behind this session's work, so the copy has every turn given before it.
      return this.#enqueue(() => {
        this.#check(signal);
        return new LanguageModel(constructorKey, {
          model: this.#model, history: this.#history.map((m) => ({ ...m })), params: { ...this.#params },
          contextWindow: this.#contextWindow,
        });
      });
    }

    destroy() {
      if (this.#destroyed) return;
      this.#destroyed = true;
      this.#controller.abort(domError('InvalidStateError', 'the session was destroyed'));
    }
  }

  define('LanguageModel', LanguageModel);
})();
