import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeEvent, ManualClock, flush } from './fake-chrome.js';
import { ConsentPrompts, CONSENT_MESSAGE } from '../background/page-consent.js';

const EXT = 'elmmfbajkifjcdbkledoobbkbimigcib';

/** The runtime.onMessage and windows.* the consent prompts use; `opened` and `removed` record windows. */
function fakeApi() {
  const api = {
    opened: [],
    removed: [],
    runtime: { id: EXT, onMessage: new FakeEvent(), getURL: (p) => `chrome-extension://${EXT}/${p}` },
    windows: {
      onRemoved: new FakeEvent(),
      create: async ({ url }) => { api.opened.push(url); return { id: 100 + api.opened.length }; },
      remove: async (id) => { api.removed.push(id); },
    },
  };
  const answer = (requestId, decision, url = `chrome-extension://${EXT}/ui/consent.html?requestId=${requestId}`) =>
    api.runtime.onMessage.dispatch({ type: CONSENT_MESSAGE, requestId: String(requestId), decision }, { id: EXT, url });
  return { api, answer };
}

test('the answer from the consent window decides, and the window closes', async () => {
  const { api, answer } = fakeApi();
  const prompts = new ConsentPrompts(api, { timers: new ManualClock() });
  const decided = prompts.ask('https://a.example', 'tiny');
  await flush();
  assert.equal(api.opened.length, 1);
  const url = new URL(api.opened[0]);
  assert.equal(url.searchParams.get('origin'), 'https://a.example');
  assert.equal(url.searchParams.get('model'), 'tiny');
  answer(url.searchParams.get('requestId'), 'always');
  assert.equal(await decided, 'always');
  await flush();
  assert.deepEqual(api.removed, [101]);
  assert.deepEqual(prompts.pending, []);
});

test('only the consent page may answer, and an unknown decision is a deny', async () => {
  const { api, answer } = fakeApi();
  const prompts = new ConsentPrompts(api, { timers: new ManualClock() });
  const decided = prompts.ask('https://a.example', 'tiny');
  await flush();
  answer(1, 'always', `chrome-extension://${EXT}/ui/panel.html`);
  api.runtime.onMessage.dispatch({ type: CONSENT_MESSAGE, requestId: '1', decision: 'always' }, { id: 'another-extension', url: 'x/ui/consent.html' });
  assert.equal(prompts.pending.length, 1, 'still open');
  answer(1, 'sure');
  assert.equal(await decided, 'deny');
});

test('a second ask for the same site waits for the same window', async () => {
  const { api, answer } = fakeApi();
  const prompts = new ConsentPrompts(api, { timers: new ManualClock() });
  const first = prompts.ask('https://a.example', 'tiny');
  const second = prompts.ask('https://a.example', 'tiny');
  const other = prompts.ask('https://b.example', 'tiny');
  await flush();
  assert.equal(api.opened.length, 2);
  answer(1, 'once');
  assert.deepEqual(await Promise.all([first, second]), ['once', 'once']);
  answer(2, 'deny');
  assert.equal(await other, 'deny');
});

test('nobody answering is a deny after the timeout, and the window is closed', async () => {
  const { api } = fakeApi();
  const clock = new ManualClock();
  const prompts = new ConsentPrompts(api, { timeoutMs: 60_000, timers: clock });
  let result = null;
  prompts.ask('https://a.example', null).then((d) => { result = d; });
  await flush();
  await clock.advance(59_999);
  assert.equal(result, null);
  await clock.advance(1);
  assert.equal(result, 'deny');
  assert.deepEqual(api.removed, [101]);
  assert.deepEqual(clock.pending, [], 'no timer left behind');
});

test('closing the window is a deny; aborting every asker closes it', async () => {
  const { api } = fakeApi();
  const prompts = new ConsentPrompts(api, { timers: new ManualClock() });
  const closed = prompts.ask('https://a.example', 'tiny');
  await flush();
  api.windows.onRemoved.dispatch(101);
  assert.equal(await closed, 'deny');
  assert.deepEqual(api.removed, [], 'a window the user closed is not closed again');

  const a = new AbortController();
  const b = new AbortController();
  const first = prompts.ask('https://b.example', 'tiny', a.signal);
  const second = prompts.ask('https://b.example', 'tiny', b.signal);
  await flush();
  a.abort();
  await assert.rejects(first, { name: 'AbortError' });
  assert.equal(prompts.pending.length, 1, 'still asked for the other page');
  b.abort();
  await assert.rejects(second, { name: 'AbortError' });
  await flush();
  assert.deepEqual(prompts.pending, []);
  assert.deepEqual(api.removed, [102]);
  await assert.rejects(prompts.ask('https://c.example', 'tiny', AbortSignal.abort()), { name: 'AbortError' });
});

test('a window that cannot open is a deny', async () => {
  const { api } = fakeApi();
  api.windows.create = async () => { throw new Error('no windows here'); };
  const prompts = new ConsentPrompts(api, { timers: new ManualClock() });
  assert.equal(await prompts.ask('https://a.example', 'tiny'), 'deny');
});
