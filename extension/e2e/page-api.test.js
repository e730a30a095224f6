/**
 * The page API (LanguageModel on web pages, docs/PAGE-API.md) in a real Chromium against the real host: a
 * loopback page (http://127.0.0.1 is a secure context) allowed with `llmcp sites allow`, prompting, streaming,
 * abort, clone, the spec's option and input checks, context overflow, a JSON-Schema-constrained answer, the
 * Summarizer, and consent through the extension's own window (deny, always, revoke) on a second origin
 * (http://localhost) that was never allowed.
 *
 * Playwright's page.evaluate runs with a user gesture (the page gets transient activation), so "no click" cases
 * run through CDP with `userGesture: false` on a page nothing has touched yet. Every wait is bounded: a test
 * that goes wrong fails with what it was waiting for instead of hanging.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { launchWithExtension, tempDir } from './helpers/browser.js';
import { RealHost, waitFor } from './helpers/native-host.js';
import { startModelServer } from './helpers/model-server.js';
import { HOST_JAR } from './helpers/paths.js';

let host;
let session;
let modelServer;
let pageServer;
let port;
let page;

const PAGE = '<!doctype html><title>page api</title><button id="go">go</button>';

const log = (m) => process.stderr.write(`[page-api] ${m}\n`);
const TEST_MS = 120_000;

/** `promise`, or a failure naming `what` after `ms`. */
function within(ms, what, promise) {
  let timer;
  const timeout = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** page.evaluate, bounded. */
const evaluate = (p, fn, arg, { ms = 60_000, what = 'page.evaluate' } = {}) => within(ms, what, p.evaluate(fn, arg));

/** Runs `fn` in the page's main world without a user gesture (CDP), bounded; returns its value. */
async function evaluateWithoutGesture(p, fn, { ms = 60_000 } = {}) {
  const cdp = await session.context.newCDPSession(p);
  try {
    const r = await within(ms, 'Runtime.evaluate without a gesture', cdp.send('Runtime.evaluate', {
      expression: `(${fn})()`, awaitPromise: true, returnByValue: true, userGesture: false,
    }));
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? r.exceptionDetails.text);
    return r.result.value;
  } finally {
    await cdp.detach().catch(() => {});
  }
}

/** A new tab at `url` that no script of the test has run in yet (so it has no user activation). */
async function untouchedPage(url) {
  const p = await session.context.newPage();
  p.on('console', (m) => log(`console: ${m.text()}`));
  await within(30_000, `goto ${url}`, p.goto(url));
  return p;
}

before(async () => {
  host = new RealHost();
  const modelDir = join(host.root, 'model-repo');
  execFileSync('java', ['-jar', HOST_JAR, 'testmodel', modelDir], { stdio: 'ignore', timeout: 60_000 });
  modelServer = await startModelServer(modelDir, { prefix: '/e2e/tiny/resolve/main/' });
  pageServer = createServer((req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
  await new Promise((r) => pageServer.listen(0, '127.0.0.1', r));
  port = pageServer.address().port;
  session = await launchWithExtension(tempDir('llmcp-e2e-pageapi-'), {
    env: host.env,
    beforeLaunch: (dir) => host.install({ browser: 'chromium', userDataDir: dir }),
  });
  log('launched');
  session.worker.on('console', (m) => log(`sw: ${m.text()}`));
  await waitFor(() => session.worker.evaluate(() => globalThis.llmcp.status.current.state === 'connected'), 'host connected', { timeoutMs: 60_000 });
  await within(150_000, 'models.pull', session.worker.evaluate((url) => globalThis.llmcp.rpc.call('models.pull', {
    config: { modelId: 'tiny', name: 'Tiny', url, modelFileName: 'onnx/model.onnx', configFileName: 'config.json' },
  }, { timeoutMs: 120_000 }), modelServer.url));
  log('pulled');
  page = await untouchedPage(`http://127.0.0.1:${port}/`);
}, { timeout: 240_000 });

after(async () => {
  try {
    await session?.close();
  } finally {
    await host?.shutdown();
    await modelServer?.close();
    pageServer?.close();
  }
}, { timeout: 90_000 });

test('a site never allowed learns nothing and cannot create without a click', { timeout: TEST_MS }, async () => {
  const r = await evaluateWithoutGesture(page, async () => {
    const activated = navigator.userActivation.isActive;
    const availability = await LanguageModel.availability();
    let error = null;
    try { await LanguageModel.create(); } catch (e) { error = e.name; }
    return { activated, availability, error, ours: !String(LanguageModel).includes('[native code]') };
  });
  assert.equal(r.activated, false, 'the page must not have user activation for this case');
  assert.equal(r.ours, true);
  assert.equal(r.availability, 'downloadable');
  assert.equal(r.error, 'NotAllowedError');
  assert.deepEqual(await session.worker.evaluate(() => globalThis.llmcp.pageApi.pendingConsents), [], 'no consent window was opened');
});

test('after llmcp sites allow, prompt() answers exactly what llmcp run --chat --temperature 0 prints', { timeout: TEST_MS }, async () => {
  await host.llmcp(['sites', 'allow', `http://127.0.0.1:${port}`, '--model', 'tiny']);
  const list = JSON.parse(await host.llmcp(['sites', 'list', '--json']));
  assert.equal(list.sites[0].origin, `http://127.0.0.1:${port}`);
  const r = await evaluate(page, async () => {
    const availability = await LanguageModel.availability();
    const progress = [];
    const s = await LanguageModel.create({
      samplingMode: 'most-predictable',
      monitor: (m) => m.addEventListener('downloadprogress', (e) => progress.push(e.loaded)),
    });
    const text = await s.prompt('Say hello.');
    return { availability, progress, text, contextWindow: s.contextWindow, usage: s.contextUsage };
  });
  assert.equal(r.availability, 'available');
  assert.ok(r.progress.length >= 2 && r.progress[0] === 0 && r.progress.at(-1) === 1, `progress ${r.progress}`);
  assert.equal(r.contextWindow, 256);
  assert.ok(r.usage > 0);
  const cli = await host.llmcp(['run', 'tiny', '--chat', '--temperature', '0', 'Say hello.']);
  assert.equal(r.text, cli.replace(/\n$/, ''));
});

test('streaming, clone, abort and a JSON-Schema-constrained answer', { timeout: TEST_MS }, async () => {
  const r = await evaluate(page, async () => {
    const s = await LanguageModel.create({ samplingMode: 'most-predictable' });
    const c = await s.clone();
    const whole = await c.prompt('Tell me a story.');
    const chunks = [];
    for await (const chunk of s.promptStreaming('Tell me a story.')) chunks.push(chunk);
    const ac = new AbortController();
    let abortName = null;
    const p = s.prompt('Tell me a long story.', { signal: ac.signal }).catch((e) => { abortName = e.name; });
    ac.abort();
    await p;
    const schema = {
      type: 'object',
      properties: { name: { type: 'string', maxLength: 12 }, age: { type: 'integer' }, tags: { type: 'array', items: { enum: ['a', 'b'] } } },
      required: ['name', 'age', 'tags'],
    };
    const json = await (await LanguageModel.create()).prompt('Describe a person.', { responseConstraint: schema });
    let destroyed = null;
    s.destroy();
    try { await s.prompt('x'); } catch (e) { destroyed = e.name; }
    return { whole, streamed: chunks.join(''), chunks: chunks.length, abortName, json, destroyed };
  });
  assert.equal(r.streamed, r.whole);
  assert.ok(r.chunks > 1, `${r.chunks} chunks`);
  assert.equal(r.abortName, 'AbortError');
  const v = JSON.parse(r.json);
  assert.equal(typeof v.name, 'string');
  assert.ok(v.name.length <= 12);
  assert.ok(Number.isInteger(v.age));
  assert.ok(Array.isArray(v.tags) && v.tags.every((t) => t === 'a' || t === 'b'));
  assert.deepEqual(Object.keys(v).sort(), ['age', 'name', 'tags']);
  assert.equal(r.destroyed, 'InvalidStateError');
});

test('LanguageModel checks options and inputs as the spec does', { timeout: TEST_MS }, async () => {
  const r = await evaluate(page, async () => {
    const name = (p) => p.then(() => 'resolved', (e) => e.name);
    const out = {};
    out.coreHidden = !('__llmcpPageCore' in globalThis);
    out.onlyTopK = await name(LanguageModel.create({ topK: 3 }));
    out.zeroTopK = await name(LanguageModel.create({ topK: 0, temperature: 0.5 }));
    out.negativeTemperature = await name(LanguageModel.create({ topK: 3, temperature: -0.5 }));
    out.lateSystem = await name(LanguageModel.create({ initialPrompts: [{ role: 'user', content: 'a' }, { role: 'system', content: 'b' }] }));
    out.badLanguage = await name(LanguageModel.create({ expectedInputs: [{ type: 'text', languages: ['en-abc-invalid'] }] }));
    out.image = await LanguageModel.availability({ expectedInputs: [{ type: 'image' }] });
    out.imageCreate = await name(LanguageModel.create({ expectedInputs: [{ type: 'image' }] }));
    out.regex = await name((await LanguageModel.create()).prompt('x', { responseConstraint: /a+/ }));
    const circular = {};
    circular.self = circular;
    out.circular = await name((await LanguageModel.create()).prompt('x', { responseConstraint: circular }));
    out.unsupportedKeyword = await name((await LanguageModel.create()).prompt('x', { responseConstraint: { type: 'number', minimum: 0 } }));
    const s = await LanguageModel.create({ topK: 1.5, temperature: 0.5, initialPrompts: [{ role: 'user', content: 'hello' }] });
    out.topK = s.topK;
    out.systemLater = await name(s.prompt([{ role: 'system', content: 'late' }]));
    out.measured = await s.measureContextUsage([{ role: 'system', content: 'foo' }, { role: 'user', content: 'bar' }]);
    out.emptyArray = typeof await s.prompt([]);
    out.stream = Object.prototype.toString.call(s.promptStreaming('hi'));
    const p = s.prompt('Tell me a long story.');
    s.destroy();
    out.destroyedWhilePrompting = await name(p);
    out.destroyed = await name(s.append('x'));
    out.usageAfterDestroy = typeof s.contextUsage;
    return out;
  });
  assert.deepEqual(r, {
    coreHidden: true, onlyTopK: 'NotSupportedError', zeroTopK: 'RangeError', negativeTemperature: 'RangeError', lateSystem: 'TypeError',
    badLanguage: 'RangeError', image: 'unavailable', imageCreate: 'NotSupportedError', regex: 'NotSupportedError',
    circular: 'NotSupportedError', unsupportedKeyword: 'NotSupportedError', topK: 1,
    systemLater: 'TypeError', measured: r.measured, emptyArray: 'string', stream: '[object ReadableStream]',
    destroyedWhilePrompting: 'InvalidStateError', destroyed: 'InvalidStateError', usageAfterDestroy: 'number',
  });
  assert.ok(r.measured > 0);
});

test('Summarizer: options reflected, summarize and summarizeStreaming agree, abort, destroy', { timeout: TEST_MS }, async () => {
  const r = await evaluate(page, async () => {
    const name = (p) => p.then(() => 'resolved', (e) => e.name);
    const out = {};
    out.availability = await Summarizer.availability({ type: 'tldr', format: 'plain-text', length: 'medium' });
    out.badType = await name(Summarizer.create({ type: 'essay' }));
    const progress = [];
    const d = await Summarizer.create({ monitor: (m) => m.addEventListener('downloadprogress', (e) => progress.push(e.loaded)) });
    out.defaults = [d.type, d.format, d.length, d.sharedContext, d.expectedInputLanguages, d.outputLanguage];
    out.progress = progress;
    const s = await Summarizer.create({
      type: 'headline', format: 'plain-text', length: 'medium', sharedContext: 'A news site.', expectedInputLanguages: ['EN'],
    });
    out.options = [s.type, s.format, s.length, s.sharedContext, [...s.expectedInputLanguages]];
    out.quota = s.inputQuota;
    const text = 'The town library opens a new reading room on Monday.';
    out.measured = await s.measureInputUsage(text);
    out.empty = await s.summarize('   ');
    const whole = await s.summarize(text);
    const chunks = [];
    for await (const c of s.summarizeStreaming(text)) chunks.push(c);
    out.agree = chunks.join('') === whole;
    out.type = typeof whole;
    out.aborted = await name(s.summarize(text, { signal: AbortSignal.abort() }));
    const ac = new AbortController();
    const pending = s.summarize(text, { signal: ac.signal });
    ac.abort();
    out.abortedLater = await name(pending);
    s.destroy();
    out.destroyed = await name(s.summarize(text));
    return out;
  });
  assert.equal(r.availability, 'available');
  assert.equal(r.badType, 'TypeError');
  assert.deepEqual(r.defaults, ['key-points', 'markdown', 'short', '', null, null]);
  assert.ok(r.progress[0] === 0 && r.progress.at(-1) === 1, `progress ${r.progress}`);
  assert.deepEqual(r.options, ['headline', 'plain-text', 'medium', 'A news site.', ['en']]);
  assert.equal(r.quota, 256);
  assert.ok(r.measured > 0);
  assert.equal(r.empty, '');
  assert.equal(r.type, 'string');
  assert.equal(r.agree, true);
  assert.equal(r.aborted, 'AbortError');
  assert.equal(r.abortedLater, 'AbortError');
  assert.equal(r.destroyed, 'InvalidStateError');
});

test('context overflow evicts the oldest turns and fires contextoverflow', { timeout: TEST_MS }, async () => {
  const r = await evaluate(page, async () => {
    const s = await LanguageModel.create({ samplingMode: 'most-predictable', initialPrompts: [{ role: 'system', content: 'Be brief.' }] });
    let overflows = 0;
    s.addEventListener('contextoverflow', () => { overflows++; });
    for (let i = 0; i < 6; i++) await s.append(`turn ${i} ${'x'.repeat(100)}`);
    const text = await s.prompt('and now?');
    let quota = null;
    try { await s.prompt('y'.repeat(2000)); } catch (e) { quota = e.name; }
    return { overflows, usage: s.contextUsage, window: s.contextWindow, text: typeof text, quota };
  });
  assert.ok(r.overflows >= 1, `${r.overflows} overflows`);
  assert.ok(r.usage <= r.window);
  assert.equal(r.text, 'string');
  assert.equal(r.quota, 'QuotaExceededError');
});

/** Runs `trigger` and returns the consent window it opens (bounded). */
async function consentPage(trigger) {
  const popup = session.context.waitForEvent('page', { predicate: (p) => p.url().includes('/ui/consent.html'), timeout: 20_000 });
  await trigger();
  const p = await popup;
  await p.waitForLoadState('load', { timeout: 20_000 });
  return p;
}

/**
 * Clicks one of the consent window's buttons. The answer closes the window, which may happen while Playwright
 * still finishes the click; that is the expected outcome, so only that error is let through, and the window
 * must then be gone.
 */
async function answer(popup, testId) {
  const closed = popup.isClosed() ? Promise.resolve() : popup.waitForEvent('close', { timeout: 20_000 });
  await popup.getByTestId(testId).click({ timeout: 20_000 }).catch((e) => {
    if (!/closed/.test(e.message)) throw e;
  });
  await closed;
}

test('consent in the extension window: deny, then always, then revoke', { timeout: TEST_MS }, async () => {
  const origin = `http://localhost:${port}`;
  const other = await untouchedPage(`${origin}/`);
  // The click is the user gesture create() needs; the answer is read after the consent window is answered.
  const armCreate = () => within(60_000, 'create() after the consent answer', other.evaluate(() => new Promise((resolve) => {
    document.getElementById('go').onclick = () => LanguageModel.create({ samplingMode: 'most-predictable' })
      .then(async (s) => resolve({ ok: true, text: await s.prompt('hi') }), (e) => resolve({ ok: false, name: e.name }));
  })));
  let pending = armCreate();
  let popup = await consentPage(() => other.click('#go'));
  assert.equal(await popup.getByTestId('consent-origin').textContent(), origin);
  assert.equal(await popup.getByTestId('consent-model').textContent(), 'tiny');
  await answer(popup, 'consent-deny');
  assert.deepEqual(await pending, { ok: false, name: 'NotAllowedError' });

  pending = armCreate();
  popup = await consentPage(() => other.click('#go'));
  await answer(popup, 'consent-always');
  const allowed = await pending;
  assert.equal(allowed.ok, true, JSON.stringify(allowed));
  assert.equal(typeof allowed.text, 'string');
  const list = JSON.parse(await host.llmcp(['sites', 'list', '--json']));
  assert.ok(list.sites.some((s) => s.origin === origin && s.always), JSON.stringify(list));
  assert.equal(await evaluate(other, () => LanguageModel.availability()), 'available');
  await other.close();

  await host.llmcp(['sites', 'revoke', origin]);
  const fresh = await untouchedPage(`${origin}/`);
  const after = await evaluateWithoutGesture(fresh, async () => {
    const a = await LanguageModel.availability();
    let name = null;
    try { await LanguageModel.create(); } catch (e) { name = e.name; }
    return { a, name };
  });
  assert.deepEqual(after, { a: 'downloadable', name: 'NotAllowedError' });
  assert.deepEqual(await session.worker.evaluate(() => globalThis.llmcp.pageApi.pendingConsents), []);
  await fresh.close();
});
