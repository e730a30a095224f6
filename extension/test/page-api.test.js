import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeChrome, flush } from './fake-chrome.js';
import { PageApi, PAGE_PORT_NAME } from '../background/page-api.js';

const ORIGIN = 'https://site.example';

/**
 * A host as page-api.js sees it through the RPC client: `sites` holds grants by origin, `models` is models.list,
 * and every call and cancel is recorded. generate answers at once unless `holdGenerate` is set.
 */
function fakeRpc({ sites = {}, models = [], holdGenerate = false } = {}) {
  const rpc = {
    calls: [],
    cancelled: [],
    nextId: 1,
    async call(method, params) {
      rpc.calls.push({ method, params });
      if (method === 'sites.get') return { origin: params.origin, allowed: !!sites[params.origin], ...sites[params.origin], preferLocal: false };
      if (method === 'sites.allow') { sites[params.origin] = { always: params.always }; return { origin: params.origin }; }
      if (method === 'models.list') return { models };
      if (method === 'cancel') return { cancelled: true };
      throw new Error(`unexpected ${method}`);
    },
    request(method, params, options) {
      const id = rpc.nextId++;
      rpc.calls.push({ method, params, options });
      const result = holdGenerate ? new Promise(() => {})
        : Promise.resolve({ text: 'ok', promptTokens: 3, generatedTokens: 1, finishReason: 'eos', contextWindow: 2048 });
      return { id, result };
    },
    async cancel(id) { rpc.cancelled.push(id); return { cancelled: true }; },
  };
  return rpc;
}

/** Opens a page port as the bridge would and returns a function that sends one call and awaits its answer. */
function pagePort(chrome, url = `${ORIGIN}/page`) {
  const port = chrome.runtime.connect({ name: PAGE_PORT_NAME }, { id: chrome.runtime.id, url, origin: new URL(url).origin });
  const answers = new Map();
  port.onMessage.addListener((msg) => answers.get(msg.id)?.(msg));
  let next = 1;
  const send = (op, args = {}, extra = {}) => {
    const id = next++;
    const answered = new Promise((resolve) => answers.set(id, (msg) => { if (msg.type === 'result' || msg.type === 'error') resolve(msg); }));
    port.postMessage({ type: 'call', id, op, args, userActivation: false, ...extra });
    return { id, answered };
  };
  return { port, send };
}

const consent = (decision) => ({ asked: [], async ask(origin) { this.asked.push(origin); return decision; }, pending: [] });

test('a site never allowed learns nothing and cannot create without a gesture; no question is asked', async () => {
  const chrome = createFakeChrome();
  const asker = consent('always');
  new PageApi(chrome, fakeRpc({ models: [{ modelId: 'tiny', complete: true }] }), { consent: asker });
  const { send } = pagePort(chrome);
  assert.deepEqual((await send('availability').answered).result, 'downloadable');
  const created = await send('create').answered;
  assert.equal(created.error.name, 'NotAllowedError');
  assert.deepEqual(asker.asked, []);
});

test('with a gesture the user is asked; "always" is kept by the host and the model is loaded', async () => {
  const chrome = createFakeChrome();
  const rpc = fakeRpc({ models: [{ modelId: 'tiny', complete: true }] });
  const asker = consent('always');
  new PageApi(chrome, rpc, { consent: asker });
  const { send } = pagePort(chrome);
  const created = await send('create', {}, { userActivation: true }).answered;
  assert.deepEqual(created.result, { model: 'tiny', contextWindow: 2048 });
  assert.deepEqual(asker.asked, [ORIGIN]);
  assert.deepEqual(rpc.calls.find((c) => c.method === 'sites.allow').params, { origin: ORIGIN, always: true });
  const warm = rpc.calls.find((c) => c.method === 'generate');
  assert.equal(warm.params.modelId, 'tiny');
  assert.ok(warm.options.timeoutMs >= 60_000, 'a model load is not cut off at the client default');
});

test('a denied question is NotAllowedError and nothing is granted', async () => {
  const chrome = createFakeChrome();
  const rpc = fakeRpc({ models: [{ modelId: 'tiny', complete: true }] });
  new PageApi(chrome, rpc, { consent: consent('deny') });
  const { send } = pagePort(chrome);
  assert.equal((await send('create', {}, { userActivation: true }).answered).error.name, 'NotAllowedError');
  assert.equal(rpc.calls.some((c) => c.method === 'sites.allow'), false);
});

test('remote providers\' models are never used for a page', async () => {
  const chrome = createFakeChrome();
  const remoteOnly = [{ modelId: 'cloud/big', complete: true, remote: 'cloud' }];
  new PageApi(chrome, fakeRpc({ sites: { [ORIGIN]: { always: true } }, models: remoteOnly }), { consent: consent('deny') });
  const { send } = pagePort(chrome);
  assert.equal((await send('availability').answered).result, 'unavailable');
  assert.equal((await send('create').answered).error.name, 'NotSupportedError');

  const chrome2 = createFakeChrome();
  const both = [...remoteOnly, { modelId: 'tiny', complete: true }];
  new PageApi(chrome2, fakeRpc({ sites: { [ORIGIN]: { always: true, model: 'cloud/big' } }, models: both }), { consent: consent('deny') });
  assert.equal((await pagePort(chrome2).send('availability').answered).result, 'unavailable', 'not even when named');
});

test('an abort from the page cancels the host request; a closed port cancels what is in flight', async () => {
  const chrome = createFakeChrome();
  const rpc = fakeRpc({ sites: { [ORIGIN]: { always: true } }, models: [{ modelId: 'tiny', complete: true }], holdGenerate: true });
  new PageApi(chrome, rpc, { consent: consent('deny') });
  const { port, send } = pagePort(chrome);
  const first = send('prompt', { model: 'tiny', messages: [{ role: 'user', content: 'hi' }], params: { maxNewTokens: 5, topK: 2 } });
  await flush();
  const generate = rpc.calls.filter((c) => c.method === 'generate');
  assert.equal(generate.length, 1);
  assert.deepEqual(generate[0].params.params, { topK: 2, maxNewTokens: 5 });
  port.postMessage({ type: 'abort', id: first.id });
  await flush();
  assert.deepEqual(rpc.cancelled, [1]);

  send('prompt', { model: 'tiny', messages: [{ role: 'user', content: 'again' }] });
  await flush();
  port.disconnect();
  await flush();
  assert.deepEqual(rpc.cancelled, [1, 2]);
});

test('only http(s) pages are served', async () => {
  const chrome = createFakeChrome();
  new PageApi(chrome, fakeRpc(), { consent: consent('deny') });
  const { port } = pagePort(chrome, 'file:///home/me/page.html');
  let disconnected = false;
  port.onDisconnect.addListener(() => { disconnected = true; });
  await flush();
  assert.equal(disconnected, true);
});
