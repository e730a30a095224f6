/**
 * Asking the user whether a site may use local models, in the extension's own window (ui/consent.html), where
 * the page can neither draw over nor click the question. One window per site at a time: a second create() of
 * the same site while the question is open waits for the same answer instead of opening another window.
 *
 * Every question ends: answered (once / always / deny), the window closed (deny), nobody answering within
 * `timeoutMs` (deny, and the window is closed), or every page that asked having aborted or gone away (the
 * window is closed). A page can therefore never leave a question, or itself, waiting forever.
 */
export const CONSENT_MESSAGE = 'llmcp-consent';
export const CONSENT_TIMEOUT_MS = 120_000;
const DECISIONS = ['once', 'always', 'deny'];

export class ConsentPrompts {
  #api;
  #timeoutMs;
  #timers;
  #nextId = 1;
  #byId = new Map(); // requestId → question
  #byOrigin = new Map(); // origin → question

  /**
   * @param options.timeoutMs how long a question stays open unanswered
   * @param options.timers `{setTimeout, clearTimeout}` (tests pass a manual clock)
   */
  constructor(api, { timeoutMs = CONSENT_TIMEOUT_MS, timers = globalThis } = {}) {
    this.#api = api;
    this.#timeoutMs = timeoutMs;
    this.#timers = timers;
    api.runtime.onMessage.addListener((msg, sender) => {
      if (msg?.type !== CONSENT_MESSAGE || sender?.id !== api.runtime.id) return undefined;
      // Only the consent page itself may answer; the panel or any other extension page may not.
      if (!String(sender.url ?? '').includes('/ui/consent.html')) return undefined;
      this.#end(this.#byId.get(Number(msg.requestId)), DECISIONS.includes(msg.decision) ? msg.decision : 'deny');
      return undefined;
    });
    api.windows?.onRemoved?.addListener((windowId) => {
      for (const q of this.#byId.values()) if (q.windowId === windowId) this.#end(q, 'deny', { windowGone: true });
    });
  }

  /**
   * Asks about `origin` (showing `model`, the model it would get); resolves 'once' | 'always' | 'deny'.
   * Rejects with an AbortError when `signal` aborts first (the question stays open for other askers).
   */
  ask(origin, model, signal) {
    if (signal?.aborted) return Promise.reject(abortError());
    let q = this.#byOrigin.get(origin);
    if (!q) q = this.#open(origin, model);
    return new Promise((resolve, reject) => {
      const waiter = { resolve, reject };
      q.waiters.add(waiter);
      signal?.addEventListener('abort', () => {
        if (!q.waiters.delete(waiter)) return;
        reject(abortError());
        if (q.waiters.size === 0) this.#end(q, 'deny');
      }, { once: true });
    });
  }

  /** The questions still open (tests and diagnostics): `[{requestId, origin}]`. */
  get pending() {
    return [...this.#byId.values()].map((q) => ({ requestId: q.id, origin: q.origin }));
  }

  #open(origin, model) {
    const q = { id: this.#nextId++, origin, waiters: new Set(), windowId: null, ended: false, timer: null };
    this.#byId.set(q.id, q);
    this.#byOrigin.set(origin, q);
    q.timer = this.#timers.setTimeout(() => this.#end(q, 'deny'), this.#timeoutMs);
    const url = this.#api.runtime.getURL(`ui/consent.html?${new URLSearchParams({
      requestId: String(q.id), origin, model: model ?? '',
    })}`);
    Promise.resolve()
      .then(() => this.#api.windows.create({ url, type: 'popup', width: 440, height: 340, focused: true }))
      .then((win) => {
        q.windowId = win?.id ?? null;
        // Answered (or abandoned) while the window was still opening: close it now.
        if (q.ended) this.#close(q);
      }, () => this.#end(q, 'deny'));
    return q;
  }

  #end(q, decision, { windowGone = false } = {}) {
    if (!q || q.ended) return;
    q.ended = true;
    this.#timers.clearTimeout(q.timer);
    this.#byId.delete(q.id);
    if (this.#byOrigin.get(q.origin) === q) this.#byOrigin.delete(q.origin);
    if (!windowGone) this.#close(q);
    for (const w of q.waiters) w.resolve(decision);
    q.waiters.clear();
  }

  #close(q) {
    if (q.windowId === null) return;
    const id = q.windowId;
    q.windowId = null;
    Promise.resolve().then(() => this.#api.windows?.remove?.(id)).catch(() => { /* already closed */ });
  }
}

const abortError = () => Object.assign(new Error('aborted'), { name: 'AbortError' });
