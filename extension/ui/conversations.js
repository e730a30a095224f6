/**
 * Chat conversations kept in storage.local (key 'conversations'): `[{id, title, modelId, messages:
 * [{role, content, stats?, droppedMessages?}], settings, createdAt, updatedAt}]`, newest first.
 *
 * There is no cap on their number: nothing is ever dropped silently. When the browser refuses to store more
 * (its storage quota), `save` throws a StorageFullError whose message says what to do (export and delete old
 * conversations), and the chat shows it.
 */
export const CONVERSATIONS_KEY = 'conversations';
export const EXPORT_FORMAT = 'llmcp-conversations';

export const DEFAULT_SETTINGS = Object.freeze({
  temperature: 0.7, topK: 40, topP: 0.9, maxNewTokens: 256, seed: '', repetitionPenalty: 1.1, systemPrompt: '',
});

export class StorageFullError extends Error {
  constructor(cause) {
    super('The browser\'s storage for this extension is full, so the conversation was not saved. '
      + 'Export the conversations you want to keep (Conversation ▸ Export) and delete old ones.');
    this.name = 'StorageFullError';
    this.cause = cause;
  }
}

function newId() {
  return `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 7)}`;
}

export class Conversations {
  #storage;

  constructor(storage) {
    this.#storage = storage;
  }

  async list() {
    const got = await this.#storage.get(CONVERSATIONS_KEY);
    const list = got?.[CONVERSATIONS_KEY];
    return Array.isArray(list) ? list : [];
  }

  async #write(list) {
    try {
      await this.#storage.set({ [CONVERSATIONS_KEY]: list });
    } catch (err) {
      if (/quota|QUOTA_BYTES|exceeded|full/i.test(String(err?.message ?? err))) throw new StorageFullError(err);
      throw err;
    }
  }

  async create(modelId, settings = DEFAULT_SETTINGS) {
    const now = Date.now();
    const conv = {
      id: newId(), title: 'New conversation', modelId, messages: [], settings: { ...settings }, createdAt: now, updatedAt: now,
    };
    await this.save(conv);
    return conv;
  }

  async save(conv) {
    const list = (await this.list()).filter((c) => c.id !== conv.id);
    const firstUser = conv.messages.find((m) => m.role === 'user');
    const saved = {
      ...conv,
      title: conv.title === 'New conversation' && firstUser ? titleFrom(firstUser.content) : conv.title,
      updatedAt: Date.now(),
    };
    list.unshift(saved);
    await this.#write(list);
    return saved;
  }

  /** Removes a conversation; resolves to what `restore` needs to put it back where it was. */
  async remove(id) {
    const all = await this.list();
    const index = all.findIndex((c) => c.id === id);
    if (index < 0) return null;
    const [removed] = all.splice(index, 1);
    await this.#write(all);
    return { conversation: removed, index };
  }

  /** Undo of `remove`: the conversation goes back at its old position (unless it exists again). */
  async restore(removed) {
    if (!removed) return;
    const all = await this.list();
    if (all.some((c) => c.id === removed.conversation.id)) return;
    all.splice(Math.min(removed.index, all.length), 0, removed.conversation);
    await this.#write(all);
  }

  /** Adds imported conversations (new ids when an id is taken), newest first; resolves to the added ones. */
  async importAll(convs) {
    const all = await this.list();
    const taken = new Set(all.map((c) => c.id));
    const added = convs.map((c) => ({ ...c, id: taken.has(c.id) || !c.id ? newId() + Math.random().toString(36).slice(2, 4) : c.id }));
    await this.#write([...added, ...all]);
    return added;
  }
}

export function titleFrom(text) {
  const t = String(text).replace(/\s+/g, ' ').trim();
  return t.length > 48 ? `${t.slice(0, 47)}…` : t || 'New conversation';
}

/** The `generate` params from the settings form (only the fields the person set). */
export function generationParams(settings) {
  const out = {};
  const num = (v) => (v === '' || v === null || v === undefined ? undefined : Number(v));
  const pairs = [['maxNewTokens', num(settings.maxNewTokens)], ['temperature', num(settings.temperature)],
    ['topK', num(settings.topK)], ['topP', num(settings.topP)], ['repetitionPenalty', num(settings.repetitionPenalty)],
    ['seed', num(settings.seed)]];
  for (const [k, v] of pairs) if (v !== undefined && Number.isFinite(v)) out[k] = v;
  return out;
}

/** The chat messages sent to the host: system prompt (if any) + the conversation without stats. */
export function chatMessages(conv) {
  const messages = [];
  if (conv.settings?.systemPrompt?.trim()) messages.push({ role: 'system', content: conv.settings.systemPrompt.trim() });
  for (const m of conv.messages) {
    if ((m.role === 'user' || m.role === 'assistant') && m.content) messages.push({ role: m.role, content: m.content });
  }
  return messages;
}

/** How many earlier messages the host left out to fit the context, from a generate result (0 when none). */
export function droppedCount(result) {
  const n = Number(result?.droppedMessages ?? result?.droppedTurns ?? 0);
  return Number.isFinite(n) && n > 0 ? n : 0;
}

// ---------------------------------------------------------------------------------------------- export / import

const clean = (c) => ({
  id: c.id, title: c.title, modelId: c.modelId ?? null, createdAt: c.createdAt, updatedAt: c.updatedAt,
  settings: { ...DEFAULT_SETTINGS, ...(c.settings ?? {}) },
  messages: (c.messages ?? []).map((m) => ({ role: m.role, content: m.content, ...(m.stats ? { stats: m.stats } : {}),
    ...(m.droppedMessages ? { droppedMessages: m.droppedMessages } : {}) })),
});

/** JSON export: `{format, version, exportedAt, conversations:[…]}`. */
export function exportJson(convs) {
  return `${JSON.stringify({ format: EXPORT_FORMAT, version: 1, exportedAt: new Date().toISOString(), conversations: convs.map(clean) }, null, 2)}\n`;
}

const ROLE_HEADING = { user: 'User', assistant: 'Assistant', system: 'System' };

/** Markdown export: one `# title` per conversation, a `## User` / `## Assistant` heading per message. */
export function exportMarkdown(convs) {
  return convs.map((c) => {
    const lines = [`# ${c.title}`, ''];
    if (c.modelId) lines.push(`Model: \`${c.modelId}\``, '');
    if (c.settings?.systemPrompt?.trim()) lines.push('## System', '', c.settings.systemPrompt.trim(), '');
    for (const m of c.messages ?? []) {
      if (!ROLE_HEADING[m.role] || !m.content) continue;
      lines.push(`## ${ROLE_HEADING[m.role]}`, '', m.content, '');
    }
    return lines.join('\n');
  }).join('\n---\n\n');
}

function validMessage(m) {
  return m && typeof m === 'object' && ['user', 'assistant', 'system'].includes(m.role) && typeof m.content === 'string';
}

/**
 * Reads an export (ours in JSON or Markdown; a bare array of conversations or of `{role, content}` messages is
 * accepted too). Throws an Error that says what is wrong.
 */
export function parseImport(text, fileName = '') {
  const trimmed = String(text).trim();
  if (!trimmed) throw new Error('The file is empty.');
  const now = Date.now();
  if (/\.json$/i.test(fileName) || trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let data;
    try { data = JSON.parse(trimmed); } catch (err) { throw new Error(`Not valid JSON: ${err.message}`); }
    let convs = Array.isArray(data) ? data : data?.conversations;
    if (Array.isArray(convs) && convs.length && convs.every(validMessage)) convs = [{ title: 'Imported conversation', messages: convs }];
    if (!Array.isArray(convs)) throw new Error('No conversations in this file (expected an LLM Control Panel export).');
    return convs.map((c, i) => {
      if (!c || !Array.isArray(c.messages)) throw new Error(`Conversation ${i + 1} has no messages list.`);
      const messages = c.messages.filter(validMessage).filter((m) => m.role !== 'system');
      const system = c.messages.find((m) => validMessage(m) && m.role === 'system')?.content;
      const settings = { ...DEFAULT_SETTINGS, ...(c.settings ?? {}) };
      if (system && !settings.systemPrompt) settings.systemPrompt = system;
      return clean({ ...c, title: typeof c.title === 'string' && c.title ? c.title : titleFrom(messages.find((m) => m.role === 'user')?.content ?? ''),
        messages, settings, createdAt: Number(c.createdAt) || now, updatedAt: Number(c.updatedAt) || now });
    });
  }
  // Markdown: split on --- lines between conversations, headings mark messages.
  const convs = [];
  for (const part of trimmed.split(/\n-{3,}\n/)) {
    const title = /^#\s+(.+)$/m.exec(part)?.[1]?.trim();
    const modelId = /^Model:\s+`([^`]+)`/m.exec(part)?.[1] ?? null;
    const messages = [];
    let system = '';
    const re = /^##\s+(User|Assistant|System)\s*$/gim;
    const marks = [...part.matchAll(re)];
    marks.forEach((m, i) => {
      const end = i + 1 < marks.length ? marks[i + 1].index : part.length;
      const content = part.slice(m.index + m[0].length, end).trim();
      const role = m[1].toLowerCase();
      if (role === 'system') system = content;
      else if (content) messages.push({ role, content });
    });
    if (!messages.length) continue;
    convs.push(clean({ id: null, title: title || titleFrom(messages[0].content), modelId, messages,
      settings: { ...DEFAULT_SETTINGS, systemPrompt: system }, createdAt: now, updatedAt: now }));
  }
  if (!convs.length) throw new Error('No messages found: expected "## User" and "## Assistant" headings.');
  return convs;
}
