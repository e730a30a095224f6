/**
 * Model output → safe DOM. The text is untrusted: it is parsed as Markdown by `marked` and the HTML is always
 * passed through DOMPurify before it reaches the page (no event handlers, no scripts, no `javascript:` or other
 * non-http(s)/mailto URLs, no forms or frames). Links open in a new tab without an opener. Code blocks get a
 * Copy button, added to the sanitized tree as DOM (never as HTML).
 */
import { Marked } from '../vendor/marked.esm.js';
import DOMPurify from '../vendor/purify.es.js';

const marked = new Marked({ gfm: true, breaks: true, async: false });

const SAFE_URL = /^(?:https?:|mailto:|#)/i;

let hooked = false;
function hook() {
  if (hooked) return;
  hooked = true;
  DOMPurify.addHook('afterSanitizeAttributes', (node) => {
    if (node.tagName === 'A') {
      const href = node.getAttribute('href') ?? '';
      if (!SAFE_URL.test(href.trim())) node.removeAttribute('href');
      node.setAttribute('target', '_blank');
      node.setAttribute('rel', 'noopener noreferrer');
    }
    if (node.tagName === 'IMG') {
      // Images from model output would be fetched from anywhere (tracking, local network): show the alt text.
      const alt = node.getAttribute('alt') || 'image';
      node.replaceWith(node.ownerDocument.createTextNode(`[${alt}]`));
    }
  });
}

const PURIFY_OPTIONS = {
  USE_PROFILES: { html: true },
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'iframe', 'object', 'embed', 'svg', 'math'],
  FORBID_ATTR: ['style'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
};

/** Markdown → sanitized HTML string. */
export function toSafeHtml(markdown) {
  hook();
  const html = marked.parse(String(markdown ?? ''));
  return DOMPurify.sanitize(html, PURIFY_OPTIONS);
}

/** Fills `el` with the rendered, sanitized Markdown and a Copy button on every code block. */
export function renderMarkdown(el, markdown, { onCopy } = {}) {
  el.innerHTML = toSafeHtml(markdown);
  for (const pre of el.querySelectorAll('pre')) {
    const code = pre.querySelector('code');
    const wrap = document.createElement('div');
    wrap.className = 'code-block';
    const lang = /language-([\w+-]+)/.exec(code?.className ?? '')?.[1];
    const bar = document.createElement('div');
    bar.className = 'code-bar';
    const label = document.createElement('span');
    label.textContent = lang ?? 'code';
    const btn = document.createElement('button');
    btn.type = 'button';
    btn.className = 'ghost small-button';
    btn.textContent = 'Copy';
    btn.setAttribute('aria-label', `Copy ${lang ?? ''} code`.replace(/\s+/g, ' '));
    btn.dataset.testid = 'copy-code';
    btn.addEventListener('click', () => copyText((code ?? pre).textContent.replace(/\n$/, ''), btn, onCopy));
    bar.append(label, btn);
    pre.replaceWith(wrap);
    wrap.append(bar, pre);
  }
}

export async function copyText(text, button, onCopy) {
  let ok = true;
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // Clipboard permission can be missing in some contexts: fall back to a hidden textarea.
    const ta = document.createElement('textarea');
    ta.value = text;
    ta.setAttribute('readonly', '');
    ta.style.position = 'fixed';
    ta.style.opacity = '0';
    document.body.append(ta);
    ta.select();
    ok = document.execCommand('copy');
    ta.remove();
  }
  if (button) {
    const was = button.textContent;
    button.textContent = ok ? 'Copied' : 'Copy failed';
    setTimeout(() => { button.textContent = was; }, 1500);
  }
  onCopy?.(ok);
  return ok;
}
