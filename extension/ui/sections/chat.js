/**
 * Chat: model picker, streaming tokens rendered as sanitized Markdown, stop, sampling settings, stored
 * conversations (export / import as JSON or Markdown, delete with undo), copy / regenerate / edit-and-resend,
 * tokens/s, and a note when the host dropped older turns to fit the model's context.
 */
import { h, render, errorBox } from '../dom.js';
import {
  Conversations, DEFAULT_SETTINGS, generationParams, chatMessages, droppedCount, exportJson, exportMarkdown, parseImport,
} from '../conversations.js';
import { renderMarkdown, copyText } from '../markdown.js';
import { ErrorCodes } from '../../lib/errors.js';
import { chatModels, drawModelPicker } from '../model-picker.js';

let ctx;
let store;
let conv = null;
let conversations = [];
let generating = null; // {cancel, bubble}
let editing = null; // index of the user message being edited
let els = {};

export function mount(root, context) {
  ctx = context;
  store = new Conversations(ctx.storage);
  ctx.chatWith = (modelId) => { pendingModel = modelId; };
  build(root);
  ctx.state.on('models', refreshModelPicker);
  ctx.state.on('host', () => { refreshModelPicker(); updateControls(); });
  ctx.state.on('hostModels', refreshModelPicker); // also after a model was pulled or deleted elsewhere
  loadConversations();
}

let pendingModel = null;

export async function onShow() {
  await ctx.state.loadHostModels();
  if (pendingModel) {
    els.model.value = pendingModel;
    if (conv && !conv.messages.length) { conv.modelId = pendingModel; }
    else await newConversation(pendingModel);
    pendingModel = null;
  }
  updateControls();
}

function refreshModelPicker() {
  drawModelPicker(els.model, chatModels(ctx.state.models, ctx.state.hostModels), els.model.value || conv?.modelId || '');
  updateControls();
}

function settingField(name, label, attrs) {
  const id = `chat-${name}`;
  return h('div', { class: 'field' }, h('label', { for: id }, label), h('input', { id, name, ...attrs }));
}

function build(root) {
  els.model = h('select', { id: 'chat-model', 'data-testid': 'chat-model' });
  els.conversation = h('select', { id: 'chat-conversation', 'aria-label': 'Conversation' });
  els.transcript = h('div', { class: 'transcript', role: 'log', 'aria-live': 'polite', 'aria-label': 'Conversation', 'data-testid': 'transcript', tabindex: '0' });
  els.input = h('textarea', { id: 'chat-input', placeholder: 'Ask something…', 'aria-describedby': 'chat-input-help', 'data-testid': 'chat-input' });
  els.send = h('button', { type: 'submit', class: 'primary', 'data-testid': 'chat-send' }, 'Send');
  els.stop = h('button', { type: 'button', disabled: true, onclick: stop, 'data-testid': 'chat-stop' }, 'Stop');
  els.stats = h('p', { class: 'small muted', role: 'status', 'data-testid': 'chat-stats' });
  els.error = h('div');
  els.editNote = h('div', { class: 'edit-note small', hidden: true, 'data-testid': 'edit-note' },
    h('span', {}, 'Editing a message: sending replaces it and everything after it.'),
    h('button', { type: 'button', class: 'ghost', onclick: cancelEdit }, 'Cancel edit'));
  els.importInput = h('input', { type: 'file', id: 'chat-import', accept: '.json,.md,.markdown,application/json,text/markdown',
    class: 'visually-hidden', 'data-testid': 'import-file', onchange: importFile });
  els.settings = h('form', { class: 'form-grid', onchange: saveSettings, onsubmit: (e) => e.preventDefault() },
    settingField('temperature', 'Temperature', { type: 'number', min: '0', max: '2', step: '0.05' }),
    settingField('topK', 'Top-k', { type: 'number', min: '0', max: '1000', step: '1' }),
    settingField('topP', 'Top-p', { type: 'number', min: '0', max: '1', step: '0.01' }),
    settingField('maxNewTokens', 'Max new tokens', { type: 'number', min: '1', max: '8192', step: '1' }),
    settingField('repetitionPenalty', 'Repetition penalty', { type: 'number', min: '1', max: '2', step: '0.05' }),
    settingField('seed', 'Seed (empty = random)', { type: 'number', step: '1' }),
    h('div', { class: 'field wide' }, h('label', { for: 'chat-systemPrompt' }, 'System prompt'),
      h('textarea', { id: 'chat-systemPrompt', name: 'systemPrompt', rows: 2 })));

  els.input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) { e.preventDefault(); send(); }
    if (e.key === 'Escape' && generating) { e.preventDefault(); stop(); }
  });
  els.conversation.addEventListener('change', () => openConversation(els.conversation.value));
  els.model.addEventListener('change', async () => {
    if (conv) { conv.modelId = els.model.value; conv = await store.save(conv); }
    updateControls();
  });

  render(root,
    h('div', { class: 'card chat-layout' },
      h('div', { class: 'row' },
        h('div', { class: 'field grow' }, h('label', { for: 'chat-model' }, 'Model'), els.model),
        h('div', { class: 'field grow' }, h('label', { for: 'chat-conversation' }, 'Conversation'), els.conversation)),
      h('div', { class: 'row chat-actions' },
        h('button', { type: 'button', onclick: () => newConversation(els.model.value), 'data-testid': 'chat-new' }, 'New'),
        h('button', { type: 'button', class: 'ghost', onclick: deleteConversation, 'data-testid': 'chat-delete' }, 'Delete'),
        h('details', { class: 'menu' }, h('summary', { 'data-testid': 'chat-more' }, 'Export / import'),
          h('div', { class: 'menu-body' },
            h('button', { type: 'button', onclick: () => exportConversations('json', false), 'data-testid': 'export-json' }, 'This conversation as JSON'),
            h('button', { type: 'button', onclick: () => exportConversations('md', false), 'data-testid': 'export-md' }, 'This conversation as Markdown'),
            h('button', { type: 'button', onclick: () => exportConversations('json', true), 'data-testid': 'export-all' }, 'All conversations as JSON'),
            h('label', { class: 'button', for: 'chat-import' }, 'Import JSON or Markdown…'),
            els.importInput))),
      h('details', { class: 'chat-settings' }, h('summary', {}, 'Sampling settings'), els.settings),
      els.transcript,
      els.error,
      h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); send(); }, 'data-testid': 'composer' },
        els.editNote,
        h('label', { for: 'chat-input', class: 'visually-hidden' }, 'Message'),
        els.input,
        h('span', { id: 'chat-input-help', class: 'visually-hidden' }, 'Enter sends, Shift+Enter adds a line, Escape stops.'),
        h('div', { class: 'row' }, els.send, els.stop, h('span', { class: 'grow small muted', 'aria-hidden': 'true' }, 'Enter sends · Shift+Enter new line'), els.stats))));
}

async function loadConversations() {
  conversations = await store.list();
  if (conversations.length) await openConversation(conversations[0].id);
  else await newConversation(els.model.value);
}

function drawConversationPicker() {
  render(els.conversation, conversations.map((c) => h('option', { value: c.id, selected: c.id === conv?.id }, c.title)));
}

async function openConversation(id) {
  conv = conversations.find((c) => c.id === id) ?? conv;
  if (!conv) return;
  const s = { ...DEFAULT_SETTINGS, ...(conv.settings ?? {}) };
  for (const [k, v] of Object.entries(s)) {
    const el = els.settings.elements.namedItem(k);
    if (el) el.value = v;
  }
  if (conv.modelId) els.model.value = conv.modelId;
  drawConversationPicker();
  drawTranscript();
  updateControls();
}

async function newConversation(modelId) {
  const settings = conv?.settings ?? DEFAULT_SETTINGS;
  conv = await store.create(modelId || null, settings);
  conversations = await store.list();
  await openConversation(conv.id);
  els.input.focus();
}

async function deleteConversation() {
  if (!conv || generating) return;
  const removed = await store.remove(conv.id);
  conversations = await store.list();
  conv = null;
  if (conversations.length) await openConversation(conversations[0].id);
  else await newConversation(els.model.value);
  if (removed?.conversation.messages.length) {
    ctx.toast(`Deleted “${removed.conversation.title}”.`, {
      action: {
        label: 'Undo',
        run: async () => {
          await store.restore(removed);
          // The empty conversation opened in its place is not worth keeping.
          if (conv && !conv.messages.length) await store.remove(conv.id);
          conversations = await store.list();
          await openConversation(removed.conversation.id);
        },
      },
    });
  }
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

async function exportConversations(kind, all) {
  const list = all ? await store.list() : conv ? [conv] : [];
  if (!list.length) return;
  const base = all ? 'llmcp-conversations' : `llmcp-${(conv.title || 'conversation').replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'conversation'}`;
  if (kind === 'md') download(`${base}.md`, exportMarkdown(list), 'text/markdown');
  else download(`${base}.json`, exportJson(list), 'application/json');
  els.transcript.closest('.chat-layout').querySelector('details.menu')?.removeAttribute('open');
}

async function importFile() {
  const file = els.importInput.files?.[0];
  els.importInput.value = '';
  if (!file) return;
  render(els.error);
  try {
    const added = await store.importAll(parseImport(await file.text(), file.name));
    conversations = await store.list();
    await openConversation(added[0].id);
    ctx.toast(`Imported ${added.length} conversation${added.length === 1 ? '' : 's'}.`);
  } catch (err) {
    render(els.error, errorBox({ message: `Could not import ${file.name}: ${err.message}` }, { testid: 'chat-error' }));
  }
  els.transcript.closest('.chat-layout').querySelector('details.menu')?.removeAttribute('open');
}

async function saveSettings() {
  if (!conv) return;
  const form = els.settings.elements;
  const settings = {};
  for (const k of Object.keys(DEFAULT_SETTINGS)) settings[k] = form.namedItem(k)?.value ?? DEFAULT_SETTINGS[k];
  conv.settings = settings;
  conv = await store.save(conv);
}

function statsText(s) {
  if (!s) return '';
  const parts = [];
  if (s.tokensPerSecond !== undefined) parts.push(`${Number(s.tokensPerSecond).toFixed(1)} tokens/s`);
  if (s.generatedTokens !== undefined) parts.push(`${s.generatedTokens} tokens`);
  if (s.loadMs >= 1) parts.push(`model loaded in ${Math.round(s.loadMs)} ms`);
  if (s.timeToFirstTokenMs !== undefined) parts.push(`first token ${Math.round(s.timeToFirstTokenMs)} ms`);
  if (s.provider) parts.push(s.provider);
  if (s.finishReason) parts.push(s.finishReason === 'cancelled' ? 'stopped' : `finished: ${s.finishReason}`);
  return parts.join(' · ');
}

function droppedNote(n) {
  return h('div', { class: 'msg system dropped', role: 'note', 'data-testid': 'dropped-note' },
    `Older turns were dropped: ${n} earlier message${n === 1 ? ' was' : 's were'} left out to fit the model's context.`);
}

function content(m) {
  if (m.role !== 'assistant') return h('div', { class: 'text' }, m.content);
  const el = h('div', { class: 'text md' });
  renderMarkdown(el, m.content);
  return el;
}

function bubble(m, i, all) {
  const isLastAssistant = m.role === 'assistant' && i === all.length - 1;
  const actions = h('div', { class: 'msg-actions' },
    h('button', { type: 'button', class: 'ghost', 'aria-label': `Copy ${m.role === 'user' ? 'your message' : 'reply'}`, 'data-testid': 'msg-copy',
      onclick: (e) => copyText(m.content, e.currentTarget) }, 'Copy'),
    m.role === 'user' ? h('button', { type: 'button', class: 'ghost', 'data-testid': 'msg-edit', onclick: () => startEdit(i) }, 'Edit') : null,
    isLastAssistant ? h('button', { type: 'button', class: 'ghost', 'data-testid': 'msg-regenerate', onclick: regenerate }, 'Regenerate') : null);
  return [
    m.droppedMessages ? droppedNote(m.droppedMessages) : null,
    h('div', { class: `msg ${m.role}`, 'data-role': m.role, 'data-index': String(i) },
      content(m),
      m.stats ? h('span', { class: 'meta' }, statsText(m.stats)) : null,
      actions),
  ];
}

function drawTranscript() {
  render(els.transcript, conv?.messages.length
    ? conv.messages.map(bubble)
    : h('div', { class: 'msg system' }, 'Pick a downloaded model and say hello.'));
  els.transcript.scrollTop = els.transcript.scrollHeight;
}

function startEdit(i) {
  if (generating || !conv?.messages[i]) return;
  editing = i;
  els.input.value = conv.messages[i].content;
  els.editNote.hidden = false;
  els.send.textContent = 'Resend';
  els.input.focus();
}

function cancelEdit() {
  editing = null;
  els.editNote.hidden = true;
  els.send.textContent = 'Send';
  els.input.value = '';
}

async function regenerate() {
  if (generating || !conv) return;
  const last = conv.messages[conv.messages.length - 1];
  if (last?.role !== 'assistant') return;
  conv.messages.pop();
  await generateReply();
}

function updateControls() {
  const ready = ctx.state.connected && !!els.model.value;
  els.send.disabled = !ready || !!generating;
  els.stop.disabled = !generating;
  els.model.disabled = !!generating;
  els.conversation.disabled = !!generating;
  for (const b of els.transcript.querySelectorAll('[data-testid="msg-edit"],[data-testid="msg-regenerate"]')) b.disabled = !!generating;
}

async function send() {
  const text = els.input.value.trim();
  if (!text || generating || !conv) return;
  if (!els.model.value) { ctx.toast('Download a model first (Models tab), or add a remote server (Settings).'); return; }
  if (editing !== null) {
    conv.messages.splice(editing);
    editing = null;
    els.editNote.hidden = true;
    els.send.textContent = 'Send';
  }
  conv.messages.push({ role: 'user', content: text });
  els.input.value = '';
  await generateReply();
}

async function generateReply() {
  const modelId = els.model.value;
  if (!modelId) { ctx.toast('Download a model first (Models tab), or add a remote server (Settings).'); return; }
  render(els.error);
  conv.modelId = modelId;
  const reply = { role: 'assistant', content: '' };
  drawTranscript();
  const messages = chatMessages(conv);
  conv.messages.push(reply);
  const replyEl = h('div', { class: 'msg assistant streaming', 'data-role': 'assistant', 'data-testid': 'streaming-reply' });
  els.transcript.querySelector('.msg.system')?.remove();
  els.transcript.append(replyEl);
  els.stats.textContent = 'Generating…';

  const settings = conv.settings ?? DEFAULT_SETTINGS;
  const paint = coalesced(() => {
    renderMarkdown(replyEl, reply.content);
    els.transcript.scrollTop = els.transcript.scrollHeight;
  });
  const handle = ctx.bridge.start('generate', { modelId, messages, params: generationParams(settings) }, {
    // Loading a large model can take a while before the first token; tokens then restart the idle timer.
    timeoutMs: 10 * 60_000,
    onNotification: (method, params) => {
      // The host loads the model before the first token; say so rather than show a silent wait.
      if (method === 'generate.loading') { els.stats.textContent = 'Loading model…'; return; }
      if (method !== 'generate.token') return;
      if (els.stats.textContent !== 'Generating…') els.stats.textContent = 'Generating…';
      reply.content += params.text ?? '';
      paint.schedule();
    },
  });
  generating = handle;
  updateControls();
  try {
    const res = await handle.result;
    if (res?.text !== undefined && res.text.length >= reply.content.length) reply.content = res.text;
    reply.stats = {
      tokensPerSecond: res?.tokensPerSecond, generatedTokens: res?.generatedTokens, timeToFirstTokenMs: res?.timeToFirstTokenMs,
      loadMs: res?.loadMs, provider: res?.provider, finishReason: res?.finishReason,
    };
    const dropped = droppedCount(res);
    if (dropped) reply.droppedMessages = dropped;
  } catch (err) {
    if (err.code === ErrorCodes.CANCELLED) {
      // The host sends what the stopped generation had done as the error's data.
      const partial = err.data ?? {};
      if (typeof partial.text === 'string' && partial.text.length >= reply.content.length) reply.content = partial.text;
      reply.stats = {
        tokensPerSecond: partial.tokensPerSecond, generatedTokens: partial.generatedTokens,
        timeToFirstTokenMs: partial.timeToFirstTokenMs, provider: partial.provider, finishReason: 'cancelled',
      };
    } else {
      render(els.error, errorBox(err, { testid: 'chat-error' }));
      if (!reply.content) conv.messages.pop();
    }
  } finally {
    paint.cancel();
    generating = null;
    els.stats.textContent = statsText(reply.stats);
    try {
      conv = await store.save(conv);
    } catch (err) {
      render(els.error, errorBox(err, { testid: 'chat-error' }));
    }
    conversations = await store.list();
    drawConversationPicker();
    drawTranscript();
    updateControls();
    els.input.focus();
  }
}

/**
 * Runs `fn` at most once per PAINT_INTERVAL_MS however often it is scheduled: a small model streams
 * thousands of tokens a second, and re-rendering the reply for each one would starve the page (and the
 * Stop button) of time.
 */
const PAINT_INTERVAL_MS = 30;
function coalesced(fn) {
  let timer = null;
  return {
    schedule() {
      timer ??= setTimeout(() => { timer = null; fn(); }, PAINT_INTERVAL_MS);
    },
    cancel() {
      clearTimeout(timer);
      timer = null;
    },
  };
}

function stop() {
  generating?.cancel();
  els.stop.disabled = true;
  els.stats.textContent = 'Stopping…';
}
