/** Chat: model picker, streaming tokens, stop, sampling settings, stored conversations, tokens/s. */
import { h, render, errorBox } from '../dom.js';
import { Conversations, DEFAULT_SETTINGS, generationParams, chatMessages } from '../conversations.js';
import { CATALOG } from '../../lib/catalog.js';
import { ErrorCodes } from '../../lib/errors.js';

let ctx;
let store;
let conv = null;
let conversations = [];
let hostModels = [];
let generating = null; // {cancel, bubble}
let els = {};

const EMBEDDING_IDS = new Set(CATALOG.filter((e) => e.kind === 'embedding').map((e) => e.modelId));

export function mount(root, context) {
  ctx = context;
  store = new Conversations(ctx.storage);
  ctx.chatWith = (modelId) => { pendingModel = modelId; };
  build(root);
  ctx.state.on('models', refreshModelPicker);
  ctx.state.on('host', () => { refreshModelPicker(); updateControls(); });
  loadConversations();
}

let pendingModel = null;

export async function onShow() {
  await loadHostModels();
  if (pendingModel) {
    els.model.value = pendingModel;
    if (conv && !conv.messages.length) { conv.modelId = pendingModel; }
    else await newConversation(pendingModel);
    pendingModel = null;
  }
  updateControls();
}

function chatModels() {
  const byId = new Map();
  for (const m of ctx.state.models) {
    if (m.isDownloaded && !EMBEDDING_IDS.has(m.modelId)) byId.set(m.modelId, m.name);
  }
  for (const m of hostModels) {
    if (m.complete && !EMBEDDING_IDS.has(m.modelId) && !byId.has(m.modelId)) byId.set(m.modelId, m.name ?? m.modelId);
  }
  return [...byId.entries()].map(([modelId, name]) => ({ modelId, name }));
}

async function loadHostModels() {
  if (!ctx.state.connected) return;
  try {
    hostModels = (await ctx.bridge.call('models.list'))?.models ?? [];
  } catch {
    hostModels = []; // an older host without models.list: the extension's own list still works
  }
  refreshModelPicker();
}

function refreshModelPicker() {
  const current = els.model.value || conv?.modelId || '';
  const models = chatModels();
  render(els.model,
    models.length ? null : h('option', { value: '' }, 'No downloaded model'),
    models.map((m) => h('option', { value: m.modelId, selected: m.modelId === current }, m.name)));
  if (models.some((m) => m.modelId === current)) els.model.value = current;
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
      h('div', { class: 'row' },
        h('button', { type: 'button', onclick: () => newConversation(els.model.value) }, 'New conversation'),
        h('button', { type: 'button', class: 'ghost', onclick: deleteConversation }, 'Delete conversation')),
      h('details', {}, h('summary', {}, 'Sampling settings'), els.settings),
      els.transcript,
      els.error,
      h('form', { class: 'composer', onsubmit: (e) => { e.preventDefault(); send(); } },
        h('label', { for: 'chat-input' }, 'Message'),
        els.input,
        h('span', { id: 'chat-input-help', class: 'small muted' }, 'Enter sends, Shift+Enter adds a line, Escape stops.'),
        h('div', { class: 'row' }, els.send, els.stop, h('span', { class: 'grow' }), els.stats))));
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
  await store.remove(conv.id);
  conversations = await store.list();
  conv = null;
  if (conversations.length) await openConversation(conversations[0].id);
  else await newConversation(els.model.value);
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

function bubble(m) {
  return h('div', { class: `msg ${m.role}`, 'data-role': m.role },
    m.content,
    m.stats ? h('span', { class: 'meta' }, statsText(m.stats)) : null);
}

function drawTranscript() {
  render(els.transcript, conv?.messages.length
    ? conv.messages.map(bubble)
    : h('div', { class: 'msg system' }, 'Pick a downloaded model and say hello.'));
  els.transcript.scrollTop = els.transcript.scrollHeight;
}

function updateControls() {
  const ready = ctx.state.connected && !!els.model.value;
  els.send.disabled = !ready || !!generating;
  els.stop.disabled = !generating;
  els.model.disabled = !!generating;
  els.conversation.disabled = !!generating;
}

async function send() {
  const text = els.input.value.trim();
  if (!text || generating || !conv) return;
  const modelId = els.model.value;
  if (!modelId) { ctx.toast('Download a model first (Models tab).'); return; }
  render(els.error);
  conv.modelId = modelId;
  conv.messages.push({ role: 'user', content: text });
  els.input.value = '';
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
    replyEl.textContent = reply.content;
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
    conv = await store.save(conv);
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
