import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createStorageArea } from './fake-chrome.js';
import { Conversations, CONVERSATIONS_KEY, MAX_CONVERSATIONS, generationParams, chatMessages, titleFrom } from '../ui/conversations.js';
import { formatBytes, formatEta, formatSpeed, percent } from '../ui/format.js';

test('conversations are kept newest first, titled from the first message, and capped', async () => {
  const storage = createStorageArea();
  const store = new Conversations(storage);
  const c = await store.create('m1');
  c.messages.push({ role: 'user', content: 'What is the capital of France?' }, { role: 'assistant', content: 'Paris.' });
  await store.save(c);
  const d = await store.create('m2');
  const list = await store.list();
  assert.deepEqual(list.map((x) => x.id), [d.id, c.id]);
  assert.equal(list[1].title, 'What is the capital of France?');
  for (let i = 0; i < MAX_CONVERSATIONS + 5; i++) await store.create('m');
  assert.equal(storage.dump()[CONVERSATIONS_KEY].length, MAX_CONVERSATIONS);
  await store.remove(d.id);
  assert.equal((await store.list()).some((x) => x.id === d.id), false);
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
