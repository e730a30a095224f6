import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStorageArea } from './fake-chrome.js';
import {
  Conversations, CONVERSATIONS_KEY, StorageFullError, generationParams, chatMessages, titleFrom, droppedCount,
  exportJson, exportMarkdown, parseImport,
} from '../ui/conversations.js';
import { formatBytes, formatEta, formatSpeed, percent } from '../ui/format.js';

test('conversations are kept newest first, titled from the first message, and never dropped silently', async () => {
  const storage = createStorageArea();
  const store = new Conversations(storage);
  const c = await store.create('m1');
  c.messages.push({ role: 'user', content: 'What is the capital of France?' }, { role: 'assistant', content: 'Paris.' });
  await store.save(c);
  const d = await store.create('m2');
  const list = await store.list();
  assert.deepEqual(list.map((x) => x.id), [d.id, c.id]);
  assert.equal(list[1].title, 'What is the capital of France?');
  for (let i = 0; i < 120; i++) await store.create('m');
  assert.equal(storage.dump()[CONVERSATIONS_KEY].length, 122, 'no cap: the oldest are still there');
  assert.equal((await store.list()).at(-1).id, c.id);
  await store.remove(d.id);
  assert.equal((await store.list()).some((x) => x.id === d.id), false);
});

test('delete can be undone: the conversation goes back where it was', async () => {
  const store = new Conversations(createStorageArea());
  const a = await store.create('m');
  const b = await store.create('m');
  const c = await store.create('m');
  const removed = await store.remove(b.id);
  assert.deepEqual((await store.list()).map((x) => x.id), [c.id, a.id]);
  await store.restore(removed);
  assert.deepEqual((await store.list()).map((x) => x.id), [c.id, b.id, a.id]);
  await store.restore(removed);
  assert.equal((await store.list()).length, 3, 'restoring twice does not duplicate');
  assert.equal(await store.remove('nope'), null);
});

test('a full storage area is reported with what to do, not swallowed', async () => {
  const storage = createStorageArea();
  const store = new Conversations({ get: (k) => storage.get(k), set: async () => { throw new Error('QUOTA_BYTES quota exceeded'); } });
  await assert.rejects(store.create('m'), (err) => err instanceof StorageFullError && /Export/.test(err.message));
});

test('dropped turns are read from the generate result when the host reports them', () => {
  assert.equal(droppedCount({ text: 'x' }), 0);
  assert.equal(droppedCount({ droppedMessages: 4 }), 4);
  assert.equal(droppedCount({ droppedMessages: 0 }), 0);
  assert.equal(droppedCount(null), 0);
});

test('export as JSON and Markdown, and import both back', async () => {
  const conv = {
    id: 'c1', title: 'Paris', modelId: 'tiny', createdAt: 1, updatedAt: 2, settings: { systemPrompt: 'Be brief.', temperature: 0.2 },
    messages: [{ role: 'user', content: 'Capital of France?' }, { role: 'assistant', content: '**Paris**\n\n```\ncode\n```', stats: { tokensPerSecond: 3 } }],
  };
  const json = exportJson([conv]);
  const back = parseImport(json, 'x.json');
  assert.equal(back.length, 1);
  assert.deepEqual(back[0].messages, conv.messages);
  assert.equal(back[0].settings.systemPrompt, 'Be brief.');
  assert.equal(back[0].settings.temperature, 0.2);
  const md = exportMarkdown([conv, { ...conv, title: 'Second', messages: [{ role: 'user', content: 'hi' }] }]);
  assert.match(md, /^# Paris\n\nModel: `tiny`\n\n## System\n\nBe brief\.\n\n## User\n\nCapital of France\?/);
  const fromMd = parseImport(md, 'x.md');
  assert.equal(fromMd.length, 2);
  assert.deepEqual(fromMd[0].messages, conv.messages.map(({ role, content }) => ({ role, content })));
  assert.equal(fromMd[0].settings.systemPrompt, 'Be brief.');
  assert.equal(fromMd[0].modelId, 'tiny');
  assert.equal(fromMd[1].title, 'Second');
  // A bare list of messages (as other tools export) is one conversation.
  const bare = parseImport(JSON.stringify([{ role: 'system', content: 'S' }, { role: 'user', content: 'u' }, { role: 'assistant', content: 'a' }]));
  assert.equal(bare[0].messages.length, 2);
  assert.equal(bare[0].settings.systemPrompt, 'S');
  assert.throws(() => parseImport('{nope', 'a.json'), /Not valid JSON/);
  assert.throws(() => parseImport('just text', 'a.md'), /No messages found/);
  assert.throws(() => parseImport('{"x":1}'), /No conversations/);
  const store = new Conversations(createStorageArea());
  const first = await store.importAll(back);
  const second = await store.importAll(back);
  assert.notEqual(first[0].id, second[0].id, 'an id already taken gets a new one');
  assert.equal((await store.list()).length, 2);
});

test('generation params carry only what is set, as numbers', () => {
  assert.deepEqual(generationParams({ temperature: '0.5', topK: '40', topP: '', maxNewTokens: '64', seed: '', repetitionPenalty: '1.1' }),
    { temperature: 0.5, topK: 40, maxNewTokens: 64, repetitionPenalty: 1.1 });
  assert.deepEqual(generationParams({ seed: '7', topP: 'x' }), { seed: 7 });
});

test('chat messages: system prompt first, stats and empty replies left out', () => {
  const msgs = chatMessages({ settings: { systemPrompt: ' Be brief. ' }, messages: [
    { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello', stats: { tokensPerSecond: 3 } }, { role: 'assistant', content: '' }] });
  assert.deepEqual(msgs, [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }, { role: 'assistant', content: 'hello' }]);
  assert.equal(titleFrom('x'.repeat(100)).length, 48);
});

test('formatting of bytes, speed, ETA and percent', () => {
  assert.equal(formatBytes(0), '0 B');
  assert.equal(formatBytes(205_000_000), '205 MB');
  assert.equal(formatBytes(1_680_000_000), '1.68 GB');
  assert.equal(formatSpeed(12_500_000), '12.5 MB/s');
  assert.equal(formatEta(42), '42 s');
  assert.equal(formatEta(125), '2 min 5 s');
  assert.equal(formatEta(3725), '1 h 2 min');
  assert.equal(formatEta(null), '–');
  assert.equal(percent(50, 200), 25);
  assert.equal(percent(5, 0), 0);
  assert.equal(percent(300, 200), 100);
});
