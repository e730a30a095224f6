import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createFakeChrome, ManualClock, flush, scriptedHost } from './fake-chrome.js';
import { createNativeTransport, HOST_NAME } from '../background/native-port.js';
import { RpcClient } from '../background/rpc-client.js';
import { ClientErrors, ErrorCodes } from '../lib/errors.js';

function setup(onNative, options = {}) {
  const chrome = createFakeChrome({ onNative });
  const clock = new ManualClock();
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: clock, ...options });
  return { chrome, clock, rpc };
}

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

test('requests are matched to answers by id, whatever the order of the answers', async () => {
  const held = [];
  const { chrome, rpc } = setup(scriptedHost({
    'echo': (params, req) => { held.push(req); },
  }));
  await rpc.connect();
  const a = rpc.call('echo', { n: 1 });
  const b = rpc.call('echo', { n: 2 });
  await flush();
  assert.equal(chrome.runtime.hosts[0].received[0].method, 'host.info');
  const [ra, rb] = held;
  assert.notEqual(ra.id, rb.id);
  chrome.runtime.hosts[0].reply(rb.id, { got: rb.params.n });
  chrome.runtime.hosts[0].reply(ra.id, { got: ra.params.n });
  assert.deepEqual(await a, { got: 1 });
  assert.deepEqual(await b, { got: 2 });
  assert.equal(chrome.runtime.hosts.length, 1, 'one native port for everything');
  assert.equal(chrome.runtime.hosts[0].port.name, HOST_NAME);
});

test('connect resolves with host.info and reports the state', async () => {
  const { rpc } = setup(scriptedHost());
  const states = [];
  rpc.on('state', (s) => states.push(s));
  const info = await rpc.connect();
  assert.equal(info.version, '9.9.9');
  assert.deepEqual(states, ['connecting', 'connected']);
  assert.equal(rpc.state, 'connected');
});

test('a request that gets no answer times out, and the host is told to cancel it', async () => {
  const { chrome, clock, rpc } = setup(scriptedHost({ slow: () => undefined, cancel: () => ({ cancelled: true }) }));
  await rpc.connect();
  const p = rpc.call('slow', {}, { timeoutMs: 1000 });
  await flush();
  await clock.advance(999);
  let settled = false;
  p.then(() => { settled = true; }, () => { settled = true; });
  await flush();
  assert.equal(settled, false, 'not before the timeout');
  await clock.advance(1);
  await assert.rejects(p, (err) => {
    assert.equal(err.code, ClientErrors.TIMEOUT);
    assert.match(err.message, /'slow' within 1 s/);
    return true;
  });
  await flush();
  const slowId = chrome.runtime.hosts[0].received.find((m) => m.method === 'slow').id;
  const cancel = chrome.runtime.hosts[0].received.find((m) => m.method === 'cancel');
  assert.deepEqual(cancel.params, { requestId: slowId });
  // A late answer is dropped, not delivered to anyone.
  chrome.runtime.hosts[0].reply(slowId, { late: true });
  await flush();
  assert.equal(rpc.pendingCount, 0);
});

test('notifications restart a request\'s idle timeout', async () => {
  let host;
  let reqId;
  const { clock, rpc } = setup(scriptedHost({ pull: (params, req, h) => { host = h; reqId = req.id; } }));
  await rpc.connect();
  const seen = [];
  const p = rpc.call('pull', {}, { timeoutMs: 1000, onNotification: (m, params) => seen.push(params.bytesDone) });
  await flush();
  for (let i = 1; i <= 5; i++) {
    await clock.advance(800);
    host.notify('models.progress', { requestId: reqId, bytesDone: i });
    await flush();
  }
  host.reply(reqId, { ok: true });
  assert.deepEqual(await p, { ok: true });
  assert.deepEqual(seen, [1, 2, 3, 4, 5]);
});

test('when the host goes away every pending request is rejected with the browser\'s reason and the fix', async () => {
  let host;
  const { rpc } = setup(scriptedHost({ work: (p, r, h) => { host = h; } }));
  await rpc.connect();
  const a = rpc.call('work');
  const b = rpc.call('work', {}, { timeoutMs: 0 });
  await flush();
  const events = [];
  rpc.on('disconnected', (f) => events.push(f));
  host.exit('Native host has exited.');
  for (const p of [a, b]) {
    await assert.rejects(p, (err) => {
      assert.equal(err.code, ClientErrors.HOST_UNAVAILABLE);
      assert.match(err.message, /native host exited/i);
      assert.equal(err.data.lastError, 'Native host has exited.');
      assert.match(err.hint, /llmcp doctor/);
      return true;
    });
  }
  assert.equal(rpc.pendingCount, 0);
  assert.equal(events.length, 1);
  assert.equal(rpc.state, 'disconnected');
});

test('a missing host is explained with the install command', async () => {
  const { rpc } = setup(undefined); // the fake's default: host not installed
  await assert.rejects(rpc.connect(), (err) => {
    assert.equal(err.code, ClientErrors.HOST_UNAVAILABLE);
    assert.match(err.message, /not installed/);
    assert.match(err.data.lastError, /Specified native messaging host not found/);
    assert.match(err.hint, /install\/install\.sh/);
    return true;
  });
  assert.match(rpc.lastFailure.hint, /install\/install\.sh/);
});

test('reconnects with exponential backoff, capped, and resets after a successful connection', async () => {
  let installed = false;
  const chrome = createFakeChrome({
    onNative: (host) => { if (installed) scriptedHost()(host); else host.exit('Specified native messaging host not found.'); },
  });
  const clock = new ManualClock();
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), {
    timers: clock, backoff: { initialMs: 100, maxMs: 1000, factor: 2 },
  });
  const connected = [];
  rpc.on('connected', (info) => connected.push(info));
  rpc.connect().catch(() => {});
  await flush();
  const delays = [];
  for (let i = 0; i < 6; i++) {
    delays.push(rpc.nextRetryMs);
    await clock.advance(rpc.nextRetryMs);
  }
  assert.deepEqual(delays, [100, 200, 400, 800, 1000, 1000]);
  assert.equal(chrome.runtime.nativeConnects, 7);
  installed = true;
  await clock.advance(rpc.nextRetryMs);
  assert.equal(rpc.state, 'connected');
  assert.equal(connected.length, 1);
  // The host dies later: the first retry is quick again.
  chrome.runtime.hosts.at(-1).exit('Native host has exited.');
  await flush();
  assert.equal(rpc.nextRetryMs, 100);
  await clock.advance(100);
  assert.equal(rpc.state, 'connected');
  assert.equal(connected.length, 2);
});

test('close() stops reconnecting and rejects what is pending', async () => {
  const { chrome, clock, rpc } = setup(scriptedHost({ hang: () => undefined }));
  await rpc.connect();
  const p = rpc.call('hang', {}, { timeoutMs: 0 });
  await flush();
  rpc.close();
  await assert.rejects(p, { code: ClientErrors.HOST_UNAVAILABLE });
  await clock.advance(60_000);
  assert.equal(chrome.runtime.nativeConnects, 1);
  assert.equal(chrome.runtime.hosts[0].closedByExtension, true);
});

test('notifications go to the request they belong to (by requestId), and to listeners', async () => {
  const reqs = {};
  const { chrome, rpc } = setup(scriptedHost({ gen: (p, r) => { reqs[p.tag] = r.id; } }));
  await rpc.connect();
  const gotA = [];
  const gotB = [];
  const all = [];
  rpc.on('notification', (m, p) => all.push(p.text));
  const a = rpc.call('gen', { tag: 'a' }, { onNotification: (m, p) => gotA.push(`${m}:${p.text}`) });
  const b = rpc.call('gen', { tag: 'b' }, { onNotification: (m, p) => gotB.push(`${m}:${p.text}`) });
  await flush();
  const host = chrome.runtime.hosts[0];
  host.notify('generate.token', { requestId: reqs.a, text: 'Hel' });
  host.notify('generate.token', { requestId: reqs.b, text: 'Bon' });
  host.notify('generate.token', { requestId: reqs.a, text: 'lo' });
  host.notify('generate.token', { requestId: 12345, text: 'orphan' });
  host.reply(reqs.a, { text: 'Hello' });
  host.reply(reqs.b, { text: 'Bon' });
  await Promise.all([a, b]);
  assert.deepEqual(gotA, ['generate.token:Hel', 'generate.token:lo']);
  assert.deepEqual(gotB, ['generate.token:Bon']);
  assert.deepEqual(all, ['Hel', 'Bon', 'lo', 'orphan']);
});

test('a large result arriving as rpc.resultPart slices is reassembled (UTF-8 split inside a character)', async () => {
  const value = { text: 'größer — 大きい 🚀'.repeat(50), n: [1, 2, 3] };
  const bytes = Buffer.from(JSON.stringify(value), 'utf8');
  // Cut in three at offsets that fall inside multi-byte characters.
  const cuts = [bytes.indexOf(Buffer.from('ö')) + 1, bytes.indexOf(Buffer.from('🚀')) + 2];
  const slices = [bytes.subarray(0, cuts[0]), bytes.subarray(cuts[0], cuts[1]), bytes.subarray(cuts[1])];
  const { rpc } = setup(scriptedHost({
    big: (p, req, host) => {
      // Out of order on purpose: the index decides.
      for (const i of [2, 0, 1]) {
        host.notify('rpc.resultPart', { requestId: req.id, index: i, count: 3, data: slices[i].toString('base64') });
      }
      return { $parts: 3 };
    },
  }));
  await rpc.connect();
  const notes = [];
  rpc.on('notification', (m) => notes.push(m));
  assert.deepEqual(await rpc.call('big', {}, { onNotification: (m) => notes.push(m) }), value);
  assert.deepEqual(notes, [], 'parts are transport, not notifications');
});

test('a result whose parts are missing is rejected, not half-parsed', async () => {
  const { rpc } = setup(scriptedHost({
    big: (p, req, host) => {
      host.notify('rpc.resultPart', { requestId: req.id, index: 0, count: 2, data: b64('{"a":') });
      return { $parts: 2 };
    },
  }));
  await rpc.connect();
  await assert.rejects(rpc.call('big'), (err) => {
    assert.equal(err.code, ClientErrors.BAD_RESULT);
    assert.match(err.message, /parts 1 of 2 missing/);
    return true;
  });
});

test('host errors keep their code and data and carry the fix', async () => {
  const { rpc } = setup(scriptedHost({
    'models.pull': () => { throw Object.assign(new Error('unauthorized: 401'), { code: -32021, data: { status: 401 } }); },
  }));
  await rpc.connect();
  await assert.rejects(rpc.call('models.pull', {}), (err) => {
    assert.equal(err.code, ErrorCodes.HTTP_UNAUTHORIZED);
    assert.deepEqual(err.data, { status: 401 });
    assert.match(err.hint, /token/);
    return true;
  });
});

test('an error the host cannot tie to a request is reported as a protocol error', async () => {
  const { chrome, rpc } = setup(scriptedHost());
  await rpc.connect();
  const seen = [];
  rpc.on('protocol-error', (e) => seen.push(e));
  chrome.runtime.hosts[0].send({ jsonrpc: '2.0', id: null, error: { code: -32001, message: 'frame too large', data: { length: 1, limit: 0 } } });
  await flush();
  assert.equal(seen[0].code, -32001);
});

test('a request while disconnected reconnects at once instead of waiting for the backoff', async () => {
  let up = false;
  const chrome = createFakeChrome({
    onNative: (host) => { if (up) scriptedHost({ ping: () => 'pong' })(host); else host.exit('Native host has exited.'); },
  });
  const clock = new ManualClock();
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: clock, backoff: { initialMs: 60_000, maxMs: 60_000 } });
  await rpc.connect().catch(() => {});
  await flush();
  up = true;
  assert.equal(await rpc.call('ping'), 'pong');
  assert.equal(chrome.runtime.nativeConnects, 2);
});

test('a host that never answers the handshake is dropped and retried, not left "connecting"', async () => {
  let answer = false;
  const chrome = createFakeChrome({
    onNative: (host) => host.onRequest((req) => { if (answer) host.reply(req.id, { version: '1' }); }),
  });
  const clock = new ManualClock();
  const rpc = new RpcClient(createNativeTransport(chrome.runtime), { timers: clock, defaultTimeoutMs: 1000, backoff: { initialMs: 100 } });
  const failures = [];
  rpc.on('disconnected', (f) => failures.push(f));
  rpc.connect().catch(() => {});
  await flush();
  await clock.advance(1000);
  assert.equal(rpc.state, 'disconnected');
  assert.match(failures[0].summary, /did not answer/);
  assert.equal(chrome.runtime.hosts[0].closedByExtension, true, 'the silent port is closed');
  answer = true;
  await clock.advance(100);
  assert.equal(rpc.state, 'connected');
});

test('ENGINE_UNAVAILABLE from the proxy: the client handshakes again over the same port and reports the new host', async () => {
  let engine = 1;
  const held = [];
  const { chrome, rpc } = setup(scriptedHost({
    'host.info': () => ({ name: 'llmcp', version: '9.9.9', pid: 1000 + engine }),
    'models.pull': (params, req) => { held.push(req); },
    'other': (params, req) => { held.push(req); },
  }));
  const connected = [];
  const states = [];
  rpc.on('connected', (info) => connected.push(info.pid));
  await rpc.connect();
  rpc.on('state', (s) => states.push(s));
  const pull = rpc.call('models.pull', {});
  const other = rpc.call('other', {});
  await flush();
  engine = 2; // the engine died; the proxy answers both requests and will start a new engine
  const host = chrome.runtime.hosts[0];
  host.fail(held[0].id, ErrorCodes.ENGINE_UNAVAILABLE, 'the engine stopped; retry — a new one will start');
  host.fail(held[1].id, ErrorCodes.ENGINE_UNAVAILABLE, 'the engine stopped; retry — a new one will start');
  await assert.rejects(pull, (e) => e.code === ErrorCodes.ENGINE_UNAVAILABLE);
  await assert.rejects(other, (e) => e.code === ErrorCodes.ENGINE_UNAVAILABLE);
  await flush();
  assert.deepEqual(connected, [1001, 1002], 'one re-handshake, with the new engine\'s info');
  assert.deepEqual(states, ['connecting', 'connected']);
  assert.equal(rpc.state, 'connected');
  assert.equal(chrome.runtime.hosts.length, 1, 'the same native port');
  assert.equal(host.received.filter((m) => m.method === 'host.info').length, 2);
});

test('ENGINE_UNAVAILABLE and no engine comes back: the port is dropped and reconnected with backoff', async () => {
  let fail = false;
  const held = [];
  const { chrome, clock, rpc } = setup(scriptedHost({
    'host.info': (params, req, host) => {
      if (fail) { host.fail(req.id, ErrorCodes.ENGINE_UNAVAILABLE, 'could not start the engine'); return undefined; }
      return { name: 'llmcp', version: '9.9.9' };
    },
    'work': (params, req) => { held.push(req); },
  }));
  await rpc.connect();
  const p = rpc.call('work', {});
  await flush();
  fail = true;
  chrome.runtime.hosts[0].fail(held[0].id, ErrorCodes.ENGINE_UNAVAILABLE, 'the engine stopped');
  await assert.rejects(p);
  await flush();
  assert.equal(rpc.state, 'disconnected');
  assert.equal(chrome.runtime.hosts[0].closedByExtension, true);
  fail = false;
  await clock.advance(500);
  assert.equal(chrome.runtime.hosts.length, 2, 'a new native port after the backoff');
  assert.equal(rpc.state, 'connected');
});
