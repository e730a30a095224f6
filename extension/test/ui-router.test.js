import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeChrome, ManualClock, flush, scriptedHost } from './fake-chrome.js';
import { createNativeTransport } from '../background/native-port.js';
import { RpcClient } from '../background/rpc-client.js';
import { UiRouter, UI_PORT_NAME } from '../background/ui-router.js';
import { Bridge } from '../lib/bridge.js';
import { ErrorCodes, ClientErrors } from '../lib/errors.js';

async function setup(methods, handlers = {}) {
  const gens = [];
  const chrome = createFakeChrome({ onNative: scriptedHost(methods(gens)) });
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: new ManualClock() });
  const router = new UiRouter(chrome.runtime, rpc, handlers);
  await rpc.connect();
  return { chrome, rpc, router, gens };
}

test('each page gets the notifications of its own calls, then the result', async () => {
  const { chrome, gens } = await setup((gens) => ({
    generate: (params, req, host) => { gens.push({ params, req, host }); },
  }));
  const panel = new Bridge(chrome.runtime);
  const other = new Bridge(chrome.runtime);
  const tokensPanel = [];
  const tokensOther = [];
  let started = null;
  const a = panel.start('generate', { modelId: 'm', prompt: 'hi' }, {
    onStarted: (id) => { started = id; },
    onNotification: (m, p) => tokensPanel.push(p.text),
  });
  const b = other.start('generate', { modelId: 'm', prompt: 'yo' }, { onNotification: (m, p) => tokensOther.push(p.text) });
  await flush();
  assert.equal(gens.length, 2);
  const [ga, gb] = gens[0].params.prompt === 'hi' ? gens : [gens[1], gens[0]];
  assert.equal(started, ga.req.id, 'the page learns the host request id');
  ga.host.notify('generate.token', { requestId: ga.req.id, text: 'A1', tokenId: 1 });
  gb.host.notify('generate.token', { requestId: gb.req.id, text: 'B1', tokenId: 2 });
  ga.host.notify('generate.token', { requestId: ga.req.id, text: 'A2', tokenId: 3 });
  ga.host.reply(ga.req.id, { text: 'A1A2', tokensPerSecond: 12.5 });
  gb.host.reply(gb.req.id, { text: 'B1' });
  assert.deepEqual(await a.result, { text: 'A1A2', tokensPerSecond: 12.5 });
  assert.deepEqual(await b.result, { text: 'B1' });
  assert.deepEqual(tokensPanel, ['A1', 'A2']);
  assert.deepEqual(tokensOther, ['B1']);
});

test('cancel from the page cancels the host request; the page sees -32800', async () => {
  const { chrome, gens } = await setup((gens) => ({
    generate: (params, req, host) => { gens.push({ req, host }); },
    cancel: (params, req, host) => { host.fail(params.requestId, ErrorCodes.CANCELLED, 'cancelled'); return { cancelled: true }; },
  }));
  const page = new Bridge(chrome.runtime);
  const call = page.start('generate', { modelId: 'm', prompt: 'long' });
  await flush();
  call.cancel();
  await assert.rejects(call.result, { code: ErrorCodes.CANCELLED });
  const cancel = chrome.runtime.hosts[0].received.find((m) => m.method === 'cancel');
  assert.equal(cancel.params.requestId, gens[0].req.id);
});

test('closing a page cancels its calls in flight', async () => {
  const { chrome, router, gens } = await setup((gens) => ({
    generate: (params, req, host) => { gens.push({ req }); },
    cancel: () => ({ cancelled: true }),
  }));
  const port = chrome.runtime.connect({ name: UI_PORT_NAME });
  await flush();
  port.postMessage({ type: 'call', callId: 1, method: 'generate', params: { modelId: 'm' } });
  await flush();
  assert.equal(router.portCount, 1);
  port.disconnect();
  await flush();
  assert.equal(router.portCount, 0);
  const cancel = chrome.runtime.hosts[0].received.find((m) => m.method === 'cancel');
  assert.equal(cancel?.params.requestId, gens[0].req.id);
});

test('ext.* methods are answered by the background, with their own notifications', async () => {
  const { chrome } = await setup(() => ({}), {
    'ext.hello': async (params, { notify }) => { notify('ext.step', { n: 1 }); return { hello: params.name }; },
    'ext.fail': async () => { throw Object.assign(new Error('nope'), {}); },
  });
  const page = new Bridge(chrome.runtime);
  const steps = [];
  assert.deepEqual(await page.call('ext.hello', { name: 'x' }, { onNotification: (m, p) => steps.push([m, p.n]) }), { hello: 'x' });
  assert.deepEqual(steps, [['ext.step', 1]]);
  await assert.rejects(page.call('ext.fail'), { message: 'nope' });
  await assert.rejects(page.call('ext.missing'), { code: ErrorCodes.METHOD_NOT_FOUND });
  await assert.rejects(page.call('rpc.resultPart', {}), { code: ErrorCodes.METHOD_NOT_FOUND });
});

test('host errors reach the page with code, data and hint', async () => {
  const { chrome } = await setup(() => ({
    'models.pull': () => { throw Object.assign(new Error('disk full'), { code: ErrorCodes.DISK_FULL, data: { free: 0 } }); },
  }));
  const page = new Bridge(chrome.runtime);
  await assert.rejects(page.call('models.pull', { config: {} }), (err) => {
    assert.equal(err.code, ErrorCodes.DISK_FULL);
    assert.deepEqual(err.data, { free: 0 });
    assert.match(err.hint, /disk/i);
    return true;
  });
});

test('broadcasts reach every open page; other extensions cannot connect', async () => {
  const { chrome, router } = await setup(() => ({}));
  const a = new Bridge(chrome.runtime);
  const b = new Bridge(chrome.runtime);
  await flush();
  const seen = [];
  a.on('download', (d) => seen.push(['a', d.modelId]));
  b.on('download', (d) => seen.push(['b', d.modelId]));
  router.broadcast('download', { modelId: 'x' });
  await flush();
  assert.deepEqual(seen.sort(), [['a', 'x'], ['b', 'x']]);

  const foreign = chrome.runtime.connect({ name: UI_PORT_NAME }, { id: 'someotherextensionid' });
  let closed = false;
  foreign.onDisconnect.addListener(() => { closed = true; });
  await flush();
  assert.equal(closed, true);
  assert.equal(router.portCount, 2);
});

test('a page\'s calls fail clearly when the background restarts, and the page reconnects', async () => {
  const { chrome } = await setup(() => ({ hang: () => undefined }));
  const backgroundEnds = [];
  chrome.runtime.onConnect.addListener((port) => backgroundEnds.push(port));
  const page = new Bridge(chrome.runtime);
  let reconnected = 0;
  page.on('reconnected', () => { reconnected++; });
  await flush();
  const pending = page.call('hang');
  await flush();
  // The service worker stops: the background end of the port goes away.
  backgroundEnds[0].disconnect();
  await assert.rejects(pending, (err) => {
    assert.equal(err.code, ClientErrors.UI_DISCONNECTED);
    assert.match(err.message, /background restarted/);
    return true;
  });
  await new Promise((r) => setTimeout(r, 150));
  await flush();
  assert.equal(reconnected, 1);
  assert.equal(backgroundEnds.length, 2, 'the page opened a new port');
});
