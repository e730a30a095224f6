/**
 * The page API's shared core in the page's own (MAIN) world: where the API is defined, the transport to the
 * isolated-world bridge (content/page-bridge.js → background/page-api.js → host), errors as the spec names them,
 * and option checks common to LanguageModel (content/page-language-model.js) and Summarizer
 * (content/page-summarizer.js). See docs/PAGE-API.md.
 *
 * The three MAIN-world scripts run in manifest order at document_start, before any script of the page. This one
 * hands the others its functions through a temporary global that the last one removes, so the page never sees
 * it; nothing here is reachable from the page afterwards except the two classes.
 */
(() => {
  // Secure contexts only (http://localhost and http://127.0.0.1 count, as browsers treat them).
  if (!globalThis.isSecureContext) return;
  try {
    // Top-level documents and frames of the top's origin; a cross-origin frame cannot even read top's origin.
    if (window.top !== window && window.top.location.origin !== window.location.origin) return;
  } catch {
    return;
  }
  const TAG = 'llmcp-page-api';
  const pending = new Map();
  let nextId = 1;

  const domError = (name, message) => new DOMException(message, name);
  const abortError = (signal) => signal?.reason ?? domError('AbortError', 'the operation was aborted');
  const toError = (e) => (e instanceof Error || e instanceof DOMException ? e
    : e?.name === 'TypeError' ? new TypeError(e.message)
      : e?.name === 'RangeError' ? new RangeError(e.message)
        : domError(e?.name ?? 'OperationError', e?.message ?? 'failed'));

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

  /** One call to the background; aborting `signal` rejects at once and stops the work there. */
  function call(op, args, { signal, onChunk, onProgress } = {}) {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) { reject(abortError(signal)); return; }
      const id = nextId++;
      const onAbort = () => {
        if (!pending.has(id)) return;
        pending.delete(id);
        window.postMessage({ [TAG]: 'up', type: 'abort', id }, window.location.origin);
        reject(abortError(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (f) => (v) => { signal?.removeEventListener('abort', onAbort); f(v); };
      pending.set(id, { resolve: done(resolve), reject: done(reject), onChunk, onProgress });
      window.postMessage({ [TAG]: 'up', type: 'call', id, op, args }, window.location.origin);
    });
  }

  /**
   * The spec's QuotaExceededError: the DOMException subclass with `requested` and `quota` where the browser has
   * it, else a DOMException of that name (older browsers).
   */
  function quotaError(message, requested, quota) {
    if (typeof globalThis.QuotaExceededError === 'function') {
      try { return new globalThis.QuotaExceededError(message, { requested, quota }); } catch { /* older signature */ }
    }
    return Object.assign(domError('QuotaExceededError', message), { requested, quota });
  }

  /** Language tags canonicalised (`EN` → `en`); an invalid one is a RangeError, as the spec's checks make it. */
  function languages(list, name) {
    if (list === undefined || list === null) return null;
    if (!Array.isArray(list)) throw new TypeError(`${name} must be an array of language tags`);
    return Object.freeze(Intl.getCanonicalLocales(list));
  }

  /** An enum option: undefined gives `fallback`; anything not listed is a TypeError (WebIDL enum conversion). */
  function enumOption(value, allowed, fallback, name) {
    if (value === undefined) return fallback;
    const v = String(value);
    if (!allowed.includes(v)) throw new TypeError(`'${v}' is not a valid value for ${name}`);
    return v;
  }

  /**
   * Runs create()'s monitor: the page's callback gets an EventTarget that fires `downloadprogress` events
   * (loaded from 0 to 1, total 1). A monitor that throws rejects create() with its exception; once `signal`
   * aborts no further event is sent.
   */
  function progressMonitor(monitor, signal) {
    const target = new EventTarget();
    if (monitor !== undefined) {
      if (typeof monitor !== 'function') throw new TypeError('monitor must be a function');
      monitor(target);
    }
    let last = -1;
    return (loaded) => {
      if (signal?.aborted || loaded <= last) return;
      last = loaded;
      target.dispatchEvent(new ProgressEvent('downloadprogress', { loaded, total: 1, lengthComputable: true }));
    };
  }

  /**
   * A conservative token estimate for context accounting (about two characters a token, plus each message's
   * framing); the model's own counts replace it after every answer.
   */
  const estimate = (messages) => messages.reduce((n, m) => n + Math.ceil(m.content.length / 2) + 4, 0);

  let preferLocalPromise = null;
  const preferLocal = () => (preferLocalPromise ??= call('settings', {}).then((s) => !!s.preferLocal).catch(() => false));

  /**
   * Whether the browser's own `native` implementation should answer: only one whose model is there now
   * ("available"), and only when the user has not asked for local models everywhere (pageApi.preferLocal).
   * One that must first download, or whose service is not running (Debian's Chromium answers "downloadable"
   * and never creates), does not; neither does one that does not answer within two seconds.
   */
  async function useNative(native, options) {
    if (!native || typeof native.availability !== 'function') return false;
    if (await preferLocal()) return false;
    let timer;
    try {
      const silence = new Promise((resolve) => { timer = setTimeout(() => resolve('unavailable'), 2000); });
      return (await Promise.race([native.availability(options), silence])) === 'available';
    } catch {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The spec's streaming form of a call: a ReadableStream of the text deltas `run(options, onChunk)` produces.
   * Cancelling the stream aborts the run; the caller's own signal aborts it too.
   */
  function textStream(options, run) {
    const inner = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, inner.signal]) : inner.signal;
    let controller;
    const stream = new ReadableStream({
      start: (c) => { controller = c; },
      cancel: (reason) => inner.abort(reason ?? domError('AbortError', 'the stream was cancelled')),
    });
    Promise.resolve()
      .then(() => run({ ...options, signal }, (text) => { if (text) controller.enqueue(text); }))
      .then(() => controller.close(), (err) => { try { controller.error(err); } catch { /* already cancelled */ } });
    return stream;
  }

  /** Defines `value` as the page's global `name` the way the platform defines an interface object. */
  function define(name, value) {
    Object.defineProperty(globalThis, name, { value, writable: true, configurable: true, enumerable: false });
  }

  Object.defineProperty(globalThis, '__llmcpPageCore', {
    value: Object.freeze({ call, domError, abortError, quotaError, languages, enumOption, progressMonitor, estimate, useNative, define, textStream }),
    configurable: true,
    enumerable: false,
  });
})();
