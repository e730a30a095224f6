/**
 * Settings. Remote servers: OpenAI-compatible servers whose models the engine offers as NAME/MODEL — listed, added
 * (name, URL, optional API key), tested and removed through the engine's `remotes.*` methods, the same settings
 * `llmcp remote` edits. An API key goes to the host once, in `remotes.add`, and is kept in the host's config.json
 * (owner-only); this page never stores it and clears the field after sending it.
 */
import { h, render, errorBox } from '../dom.js';
import { validateRemote } from '../../lib/remotes.js';

const FIELDS = ['name', 'url', 'apiKey'];

let ctx;
let panel;
let listEl;
let remotes = [];
let listError = null;
let loaded = false;
const tests = new Map(); // name → {busy} | {result} | {error}

export function mount(root, context) {
  ctx = context;
  panel = root;
  listEl = h('div', { class: 'stack', 'data-testid': 'remote-list' });
  render(root,
    h('div', { class: 'card stack', 'aria-labelledby': 'remotes-heading' },
      h('h2', { id: 'remotes-heading' }, 'Remote servers'),
      h('p', { class: 'small' }, 'Chat with the models of an OpenAI-compatible server — vLLM, Ollama, llama.cpp server, LM Studio, '
        + 'or another computer\'s llmcp — next to your own. They appear in the Models and Chat tabs as NAME/MODEL. '
        + 'A conversation with a remote model is sent to that server.'),
      listEl,
      addForm()));
  ctx.state.on('host', (s) => { if (s.state === 'connected' && !panel.hidden) refresh(); else draw(); });
  draw();
}

export function onShow() {
  refresh();
}

/** Whether this host manages remote servers: only the engine does (not `native-host --no-engine`, not older hosts). */
function supported() {
  const methods = ctx.state.host?.info?.methods;
  return !Array.isArray(methods) || methods.includes('remotes.list');
}

async function refresh() {
  if (!ctx.state.connected || !supported()) { draw(); return; }
  try {
    remotes = (await ctx.bridge.call('remotes.list'))?.remotes ?? [];
    listError = null;
    loaded = true;
  } catch (err) {
    listError = err;
  }
  draw();
}

function draw() {
  if (!ctx.state.connected) {
    render(listEl, h('p', { class: 'muted' }, 'Connect to the llmcp host (Status tab) to manage remote servers.'));
    return;
  }
  if (!supported()) {
    render(listEl, h('div', { class: 'notice', 'data-testid': 'remotes-unsupported' },
      'This host does not manage remote servers: they are served by the llmcp engine, and this host runs without it '
      + '(native-host --no-engine) or is older. Update it with install/install.sh.'));
    return;
  }
  if (listError) { render(listEl, errorBox(listError, { testid: 'remotes-error' })); return; }
  if (!loaded) { render(listEl, h('p', { class: 'muted' }, 'Loading…')); return; }
  render(listEl, remotes.length
    ? h('ul', { class: 'model-list' }, remotes.map(remoteRow))
    : h('p', { class: 'muted', 'data-testid': 'remotes-empty' }, 'No remote servers yet. Add one below.'));
}

function remoteRow(r) {
  const t = tests.get(r.name);
  return h('li', { 'data-remote': r.name },
    h('div', { class: 'card-head' },
      h('div', {}, h('strong', {}, r.name), ' ', h('span', { class: 'muted small mono' }, r.url)),
      r.hasKey ? h('span', { class: 'badge ok', title: 'Kept in the host\'s settings, not in the browser' }, 'API key set')
        : h('span', { class: 'badge' }, 'No API key')),
    h('div', { class: 'row' },
      h('button', { type: 'button', disabled: !!t?.busy, 'data-testid': `remote-test-${r.name}`, onclick: () => test(r.name) },
        t?.busy ? 'Testing…' : 'Test'),
      h('button', { type: 'button', class: 'ghost danger-text', 'aria-label': `Remove the server ${r.name}`,
        'data-testid': `remote-remove-${r.name}`, onclick: () => confirmRemove(r) }, 'Remove…')),
    testOutcome(r.name, t));
}

function testOutcome(name, t) {
  if (!t || t.busy) return null;
  if (t.error) return errorBox(t.error, { testid: `remote-test-error-${name}` });
  const models = t.result.models ?? [];
  return h('p', { class: 'small', role: 'status', 'data-testid': `remote-test-ok-${name}` },
    h('span', { class: 'badge ok' }, 'Reachable'), ' ',
    models.length
      ? `${models.length} model${models.length === 1 ? '' : 's'} (${t.result.millis} ms): ${models.join(', ')}`
      : `but it offers no models (${t.result.millis} ms).`);
}

/** `remotes.test`: the server's models asked for now, or what is wrong with it and how to fix it. */
async function test(name) {
  tests.set(name, { busy: true });
  draw();
  try {
    tests.set(name, { result: await ctx.bridge.call('remotes.test', { name }, { timeoutMs: 60_000 }) });
  } catch (err) {
    tests.set(name, { error: err });
  }
  draw();
  // A success refreshed the host's list of that server's models: the Models and Chat tabs show them now.
  ctx.state.loadHostModels();
}

function confirmRemove(r) {
  const dialog = h('dialog', { 'aria-labelledby': 'remote-confirm-title', 'aria-describedby': 'remote-confirm-desc', 'data-testid': 'confirm-remove-remote' },
    h('form', { method: 'dialog', class: 'stack' },
      h('h2', { id: 'remote-confirm-title' }, `Remove the server ${r.name}?`),
      h('p', { id: 'remote-confirm-desc' }, `Its models leave the Models and Chat tabs${r.hasKey ? ' and its API key is deleted from the host' : ''}. `
        + 'Your conversations stay. You can add it again later.'),
      h('div', { class: 'row' },
        h('button', { value: 'cancel', autofocus: true }, 'Keep'),
        h('button', { value: 'remove', class: 'danger', 'data-testid': 'confirm-remove-remote-button' }, 'Remove'))));
  document.body.append(dialog);
  dialog.addEventListener('close', async () => {
    const confirmed = dialog.returnValue === 'remove';
    dialog.remove();
    if (!confirmed) return;
    try {
      await ctx.bridge.call('remotes.remove', { name: r.name });
      tests.delete(r.name);
      ctx.toast(`Removed the server ${r.name}.`);
    } catch (err) {
      ctx.toast(`${err.message}${err.hint ? ` — ${err.hint}` : ''}`);
    }
    await refresh();
    ctx.state.loadHostModels();
  });
  dialog.showModal();
}

function field(name, label, { help, placeholder, type = 'text', required = false, wide = false } = {}) {
  const id = `remote-${name}`;
  return h('div', { class: `field${wide ? ' wide' : ''}` },
    h('label', { for: id }, label, required ? h('span', { 'aria-hidden': 'true' }, ' *') : null),
    h('input', { id, name, type, placeholder, required, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': `${id}-help ${id}-error` }),
    h('span', { class: 'help', id: `${id}-help` }, help ?? ''),
    h('span', { class: 'field-error', id: `${id}-error`, 'aria-live': 'polite' }));
}

function showErrors(form, errors) {
  for (const name of FIELDS) {
    const msg = errors?.[name] ?? '';
    form.querySelector(`#remote-${name}`).setAttribute('aria-invalid', msg ? 'true' : 'false');
    form.querySelector(`#remote-${name}-error`).textContent = msg;
  }
}

function addForm() {
  const formError = h('div');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'remote-add-submit' }, 'Add server');
  const form = h('form', { class: 'stack', novalidate: true, 'aria-labelledby': 'remote-add-heading', 'data-testid': 'remote-add-form' },
    h('h3', { id: 'remote-add-heading' }, 'Add a server'),
    h('div', { class: 'form-grid' },
      field('name', 'Name', { required: true, wide: true, placeholder: 'work',
        help: 'Letters, digits, . _ - ; models appear as NAME/MODEL. A name in use is replaced, key included.' }),
      field('url', 'API base URL', { required: true, wide: true, placeholder: 'https://llm.example.com/v1',
        help: 'Ends in /v1 for most servers, e.g. http://127.0.0.1:11434/v1 (Ollama). https, or http only to this computer.' }),
      field('apiKey', 'API key (optional)', { type: 'password', wide: true,
        help: 'Kept by the llmcp host in its private settings file and sent only to this server; never stored by the browser.' })),
    formError,
    h('div', { class: 'row' }, submit));

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const data = Object.fromEntries(new FormData(form));
    const { remote, errors } = validateRemote(data);
    showErrors(form, errors);
    render(formError);
    if (errors) { form.querySelector('[aria-invalid="true"]')?.focus(); return; }
    submit.disabled = true;
    try {
      const added = await ctx.bridge.call('remotes.add', remote);
      form.reset(); // the key leaves the page with the form's values
      ctx.toast(`${added.replaced ? 'Replaced' : 'Added'} the server ${added.name}; testing it…`);
      tests.delete(added.name);
      await refresh();
      await test(added.name);
    } catch (err) {
      const f = err.data?.field;
      if (FIELDS.includes(f)) {
        showErrors(form, { [f]: err.message.replace(/^(invalid params|URL refused): /, '') });
        form.querySelector(`#remote-${f}`).focus();
      } else {
        render(formError, errorBox(err, { testid: 'remote-add-error' }));
      }
    } finally {
      submit.disabled = false;
    }
  });
  return form;
}
