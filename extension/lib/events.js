/**
 * A tiny event emitter that works in a service worker, an extension page and Node alike
 * (EventTarget exists everywhere, but its CustomEvent plumbing hides the payload behind `detail`).
 */
export class Emitter {
  #listeners = new Map();

  /** Subscribes; returns the function that unsubscribes. */
  on(event, listener) {
    if (!this.#listeners.has(event)) this.#listeners.set(event, new Set());
    this.#listeners.get(event).add(listener);
    return () => this.off(event, listener);
  }

  off(event, listener) {
    this.#listeners.get(event)?.delete(listener);
  }

  emit(event, ...args) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) {
      try {
        listener(...args);
      } catch (err) {
        // One broken listener must not stop the others (nor the RPC loop that emitted).
        console.error(`listener for '${event}' failed`, err);
      }
    }
  }
}
