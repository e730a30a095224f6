/**
 * Chat conversations kept in storage.local (key 'conversations'): `[{id, title, modelId, messages:
 * [{role, content, stats?}], settings, createdAt, updatedAt}]`, newest first, at most MAX_CONVERSATIONS.
 */
export const CONVERSATIONS_KEY = 'conversations';
export const MAX_CONVERSATIONS = 50;

export const DEFAULT_SETTINGS = Object.freeze({
  temperature: 0.7, topK: 40, topP: 0.9, maxNewTokens: 256, seed: '', repetitionPenalty: 1.1, systemPrompt: '',
});

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

  async create(modelId, settings = DEFAULT_SETTINGS) {
    const now = Date.now();
    const conv = {
      id: `c${now.toString(36)}${Math.random().toString(36).slice(2, 7)}`,
      title: 'New conversation', modelId, messages: [], settings: { ...settings }, createdAt: now, updatedAt: now,
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
    await this.#storage.set({ [CONVERSATIONS_KEY]: list.slice(0, MAX_CONVERSATIONS) });
    return saved;
  }

  async remove(id) {
    const list = (await this.list()).filter((c) => c.id !== id);
    await this.#storage.set({ [CONVERSATIONS_KEY]: list });
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
