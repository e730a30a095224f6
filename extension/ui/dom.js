/** A small element builder: `h('button', {class: 'primary', onclick: fn}, 'Save')`. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/**
 * Replaces an element's children. Sections re-render on every progress event, so the focused control
 * is found again in the new tree (by id, test id, label or text) and refocused: keyboard users keep
 * their place.
 */
export function render(el, ...children) {
  const active = document.activeElement;
  const key = active && active !== document.body && el.contains(active) ? focusKey(active) : null;
  el.replaceChildren();
  append(el, children);
  if (key) {
    const again = [...el.querySelectorAll(active.tagName)].find((c) => focusKey(c) === key);
    again?.focus({ preventScroll: true });
  }
}

function focusKey(node) {
  const scope = node.closest('[data-download],[data-model-id],[data-catalog-id],[data-usage-id]');
  const where = scope ? `${scope.dataset.download ?? scope.dataset.modelId ?? scope.dataset.catalogId ?? scope.dataset.usageId}/` : '';
  return where + (node.id || node.dataset.testid || node.getAttribute('aria-label') || `${node.tagName}:${node.textContent}`);
}

/** A progress bar with the right ARIA values. */
export function progressBar(value, label, { max = 100, testid } = {}) {
  const v = Math.max(0, Math.min(max, value));
  return h('div', {
    class: 'progress', role: 'progressbar', 'aria-label': label, 'aria-valuemin': '0',
    'aria-valuemax': String(max), 'aria-valuenow': String(Math.round(v)), 'data-testid': testid,
  }, h('div', { class: 'progress-fill', style: `width: ${(v / max) * 100}%` }));
}

/** Shows a host/extension error with its fix. */
export function errorBox(error, { testid } = {}) {
  if (!error) return null;
  return h('div', { class: 'error-box', role: 'alert', 'data-testid': testid },
    h('strong', {}, error.message ?? String(error)),
    typeof error.code === 'number' ? h('span', { class: 'muted' }, ` (code ${error.code})`) : null,
    error.hint ? h('p', { class: 'hint' }, error.hint) : null);
}

let idCounter = 0;
export function uid(prefix = 'id') {
  idCounter += 1;
  return `${prefix}-${idCounter}`;
}
