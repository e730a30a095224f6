/**
 * Settings → Hugging Face token, for gated repositories. The token goes straight to the host (`settings.setToken`),
 * which keeps it in its config.json and sends it only to its token hosts; the extension never stores it: the field is
 * a password input that is emptied once the host has it, and the card shows only what the host says back (set or
 * not, from where, the last four characters, the hosts that see it).
 */
import { h, render, errorBox } from '../dom.js';

let ctx;
let card;
let statusEl;
let input;
let saveButton;
let removeButton;
let current = null;
let error = null;

/** The card, built once so that a re-render of the Status tab keeps what is being typed. */
export function tokenCard(context) {
  if (card) return card;
  ctx = context;
  input = h('input', { id: 'hf-token', type: 'password', autocomplete: 'off', spellcheck: 'false',
    placeholder: 'hf_…', 'aria-describedby': 'hf-token-help', 'data-testid': 'token-input' });
  saveButton = h('button', { type: 'submit', class: 'primary', 'data-testid': 'token-save' }, 'Save on the host');
  removeButton = h('button', { type: 'button', class: 'ghost danger-text', 'data-testid': 'token-remove',
    onclick: () => save(null) }, 'Remove');
  statusEl = h('div', { role: 'status', 'aria-live': 'polite', 'data-testid': 'token-status' });
  const form = h('form', { class: 'stack', 'aria-labelledby': 'token-heading' },
    h('label', { for: 'hf-token' }, 'Access token'),
    input,
    h('span', { class: 'help', id: 'hf-token-help' },
      'For gated repositories (accept the licence on the model page first). Kept by the host in its config.json, '
      + 'never by the browser.'),
    h('div', { class: 'row' }, saveButton, removeButton),
    statusEl);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    if (input.value.trim()) save(input.value);
  });
  card = h('div', { class: 'card', 'data-testid': 'token-card' }, h('h2', { id: 'token-heading' }, 'Hugging Face token'), form);
  ctx.state.on('host', (s) => { if (s.state === 'connected') refresh(); else draw(); });
  if (ctx.state.connected) refresh();
  draw();
  return card;
}

async function refresh() {
  try {
    current = await ctx.bridge.call('settings.token');
    error = null;
  } catch (err) {
    current = null;
    error = err;
  }
  draw();
}

async function save(token) {
  saveButton.disabled = true;
  removeButton.disabled = true;
  try {
    current = await ctx.bridge.call('settings.setToken', { token });
    error = null;
    ctx.toast(token ? 'Token saved on the host' : 'Token removed from the host');
  } catch (err) {
    error = err;
  } finally {
    input.value = ''; // the page never keeps it longer than the call
    draw();
  }
}

function describe(t) {
  if (!t?.set) return 'No token: public repositories only.';
  const from = t.source === 'HF_TOKEN' ? 'from the HF_TOKEN environment variable' : 'saved on the host';
  const tail = t.endsWith ? ` (ends with …${t.endsWith})` : '';
  const hosts = (t.hosts ?? []).join(', ') || 'no host';
  return `A token is ${from}${tail}; it is sent only to ${hosts}.`;
}

function draw() {
  const connected = ctx.state.connected;
  saveButton.disabled = !connected;
  removeButton.disabled = !connected || current?.source !== 'config';
  input.disabled = !connected;
  render(statusEl,
    h('p', { class: 'small' }, connected ? describe(current) : 'Connect to the host to set a token.'),
    errorBox(error, { testid: 'token-error' }));
}
