/**
 * The panel at Chrome's default side panel width (360 px) and at 800 px, against the real host: no horizontal
 * overflow in any section, the tab strip fits (with a badge), the chat's composer stays in view with a long
 * conversation and nothing but the transcript scrolls; and the chat's own behaviour that needs no model:
 * Markdown rendered and sanitized (hostile HTML and javascript: links neutralised), the code block's Copy
 * button, delete with Undo, export and import as JSON and Markdown.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { launchWithExtension, tempDir, openExtensionPage, screenshot } from './helpers/browser.js';
import { RealHost } from './helpers/native-host.js';

let session;
let host;

before(async () => {
  host = new RealHost();
  session = await launchWithExtension(tempDir('llmcp-e2e-layout-'), {
    env: host.env,
    beforeLaunch: async (dir) => { await host.install({ browser: 'chromium', userDataDir: dir }); },
  });
});

after(async () => {
  try {
    await session?.close();
  } finally {
    const killed = await host?.shutdown();
    assert.deepEqual(killed ?? [], [], 'every host process ended without being killed');
  }
});

const LONG = Array.from({ length: 30 }, (_, i) => [
  { role: 'user', content: `Question ${i}: how do I list files? ${'word '.repeat(20)}` },
  { role: 'assistant', content: `Answer ${i}:\n\n\`\`\`sh\nls -la /some/really/long/path/that/does/not/wrap/${'x'.repeat(80)}\n\`\`\`\n\n- one\n- **two**` },
]).flat();

/** Stores the conversations and reopens the panel on the Chat tab. */
async function seed(page, conversations) {
  await page.evaluate(async (list) => { await chrome.storage.local.set({ conversations: list }); }, conversations);
  await page.goto(`${page.url().replace(/#.*$/, '')}#chat`);
  await page.reload();
}

function conversation(id, title, messages) {
  return { id, title, modelId: null, messages, settings: {}, createdAt: Date.now(), updatedAt: Date.now() };
}

async function layoutFacts(page) {
  return page.evaluate(() => {
    const de = document.documentElement;
    const nav = document.querySelector('.tabs');
    const tabs = [...nav.querySelectorAll('[role="tab"]')].map((t) => {
      const r = t.getBoundingClientRect();
      return { id: t.id, left: r.left, right: r.right, clipped: t.scrollWidth > t.clientWidth + 1 };
    });
    return {
      scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, bodyScrollWidth: document.body.scrollWidth,
      navScroll: nav.scrollWidth, navClient: nav.clientWidth, tabs, innerWidth: window.innerWidth, innerHeight: window.innerHeight,
      mainScrollWidth: document.getElementById('main').scrollWidth, mainClientWidth: document.getElementById('main').clientWidth,
    };
  });
}

for (const width of [360, 800]) {
  test(`at ${width} px every section fits the width and the tab strip fits, badge included`, async () => {
    const page = await openExtensionPage(session, 'ui/panel.html');
    await page.setViewportSize({ width, height: 720 });
    await page.getByTestId('host-connected').waitFor({ timeout: 60_000 });
    await page.evaluate(() => { const b = document.getElementById('downloads-badge'); b.hidden = false; b.textContent = '12'; });
    for (const name of ['status', 'catalog', 'downloads', 'storage', 'chat', 'settings']) {
      await page.locator(`#tab-${name}`).click();
      await page.waitForTimeout(300);
      const f = await layoutFacts(page);
      assert.ok(f.scrollWidth <= f.clientWidth, `${name} at ${width}: page scrollWidth ${f.scrollWidth} > ${f.clientWidth}`);
      assert.ok(f.mainScrollWidth <= f.mainClientWidth, `${name} at ${width}: main scrollWidth ${f.mainScrollWidth} > ${f.mainClientWidth}`);
      assert.ok(f.navScroll <= f.navClient, `${name} at ${width}: the tab strip overflows (${f.navScroll} > ${f.navClient})`);
      for (const t of f.tabs) {
        assert.ok(t.left >= 0 && t.right <= f.innerWidth, `${t.id} is inside the viewport at ${width}`);
        assert.equal(t.clipped, false, `${t.id} shows its whole label at ${width}`);
      }
      await screenshot(page, `layout-${width}-${name}`);
    }
    await page.close();
  });

  test(`at ${width} px the chat's composer stays in view with a long conversation; only the transcript scrolls`, async () => {
    const page = await openExtensionPage(session, 'ui/panel.html');
    await page.setViewportSize({ width, height: 640 });
    await seed(page, [conversation('clong', 'A long one', LONG)]);
    await page.locator('.msg.assistant').nth(10).waitFor();
    const facts = await page.evaluate(() => {
      const r = document.querySelector('.composer').getBoundingClientRect();
      const send = document.querySelector('[data-testid="chat-send"]').getBoundingClientRect();
      const scrollers = [...document.querySelectorAll('*')].filter((el) => {
        const s = getComputedStyle(el);
        return /(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1;
      }).map((el) => el.className || el.tagName);
      return { bottom: r.bottom, top: r.top, sendBottom: send.bottom, h: window.innerHeight,
        docScroll: document.documentElement.scrollHeight - document.documentElement.clientHeight,
        scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth, scrollers };
    });
    assert.ok(facts.top >= 0 && facts.bottom <= facts.h && facts.sendBottom <= facts.h, `composer in view: ${JSON.stringify(facts)}`);
    assert.ok(facts.docScroll <= 0, 'the page itself does not scroll');
    assert.ok(facts.scrollWidth <= facts.clientWidth, 'no horizontal overflow with long code lines');
    assert.deepEqual(facts.scrollers, ['transcript'], 'one scrolling area: the transcript');
    const tabsVisible = await page.locator('#tab-chat').isVisible();
    assert.equal(tabsVisible, true);
    await screenshot(page, `layout-${width}-chat-long`);
    await page.close();
  });
}

test('model output is sanitized: no event handlers, no images, no javascript: links, no scripts', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html');
  const out = await page.evaluate(async () => {
    const { toSafeHtml } = await import('/ui/markdown.js');
    const hostile = [
      '<img src=x onerror="window.__pwned=1">',
      '[click](javascript:window.__pwned=2)',
      '<a href="javascript:window.__pwned=3">x</a>',
      '<a href=" JaVaScRiPt:alert(1)">y</a>',
      '<script>window.__pwned=4</script>',
      '<iframe src="https://example.com"></iframe>',
      '<div onclick="window.__pwned=5" style="position:fixed">z</div>',
      '<svg><a xlink:href="javascript:alert(1)">s</a></svg>',
      '[ok](https://example.com) and `code` and **bold**',
    ].join('\n\n');
    const html = toSafeHtml(hostile);
    const div = document.createElement('div');
    div.innerHTML = html;
    document.body.append(div);
    await new Promise((r) => setTimeout(r, 200));
    const links = [...div.querySelectorAll('a')].map((a) => ({ href: a.getAttribute('href'), target: a.target, rel: a.rel }));
    div.remove();
    return { html, pwned: window.__pwned ?? null, links };
  });
  assert.equal(out.pwned, null, 'nothing ran');
  assert.doesNotMatch(out.html, /onerror|onclick|<script|<iframe|<img|<svg|style=/i);
  assert.doesNotMatch(out.html, /javascript:/i);
  assert.ok(out.links.some((l) => l.href === 'https://example.com' && l.target === '_blank' && /noopener/.test(l.rel)), JSON.stringify(out.links));
  assert.ok(out.links.filter((l) => l.href !== null).every((l) => /^https:/.test(l.href)), JSON.stringify(out.links));
  assert.match(out.html, /<strong>bold<\/strong>/);
  await page.close();
});

test('chat: Markdown with a code Copy button, delete with Undo, export and import (JSON and Markdown)', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html');
  await page.setViewportSize({ width: 360, height: 720 });
  const messages = [
    { role: 'user', content: 'Show me **code** <img src=x onerror="window.__pwned=1">' },
    { role: 'assistant', content: 'Here:\n\n```js\nconsole.log("hi");\n```\n\n<img src=x onerror="window.__pwned=1"> [bad](javascript:alert(1))', droppedMessages: 2 },
  ];
  await seed(page, [conversation('ca', 'First chat', messages), conversation('cb', 'Second chat', [{ role: 'user', content: 'other' }])]);
  const reply = page.locator('.msg.assistant').first();
  await reply.locator('pre code').waitFor();
  assert.equal((await reply.locator('pre code').innerText()).trim(), 'console.log("hi");');
  assert.equal(await page.locator('.msg.user').first().innerText().then((t) => t.includes('**code**')), true, 'user text is shown as typed');
  assert.equal(await page.locator('.transcript img').count(), 0);
  assert.match(await page.getByTestId('dropped-note').innerText(), /Older turns were dropped: 2 earlier messages/);
  assert.equal(await page.evaluate(() => window.__pwned ?? null), null);
  await page.getByTestId('copy-code').click();
  await page.getByTestId('copy-code').getByText(/Copied|Copy failed/).waitFor();
  assert.equal(await page.getByTestId('copy-code').innerText(), 'Copied');
  assert.equal(await page.getByTestId('msg-regenerate').count(), 1, 'the last reply can be regenerated');
  assert.equal(await page.getByTestId('msg-edit').count(), 1);
  await page.getByTestId('msg-edit').click();
  assert.match(await page.locator('#chat-input').inputValue(), /Show me \*\*code\*\*/);
  assert.equal(await page.getByTestId('edit-note').isVisible(), true);
  await page.getByRole('button', { name: 'Cancel edit' }).click();
  await screenshot(page, 'chat-markdown-360');

  // Export as JSON and Markdown.
  await page.getByTestId('chat-more').click();
  const [jsonDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-json').click()]);
  const json = JSON.parse(readFileSync(await jsonDl.path(), 'utf8'));
  assert.equal(json.format, 'llmcp-conversations');
  assert.equal(json.conversations[0].messages[1].content, messages[1].content);
  await page.getByTestId('chat-more').click();
  const [mdDl] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-md').click()]);
  const md = readFileSync(await mdDl.path(), 'utf8');
  assert.match(md, /^# First chat/);
  assert.match(md, /## Assistant\n\nHere:/);

  // Delete, then Undo brings it back.
  await page.getByTestId('chat-delete').click();
  await page.getByTestId('toast-action').waitFor();
  let ids = await page.evaluate(async () => (await chrome.storage.local.get('conversations')).conversations.map((c) => c.id));
  assert.equal(ids.includes('ca'), false);
  await screenshot(page, 'chat-undo-toast-360');
  await page.getByTestId('toast-action').click();
  await page.locator('.msg.assistant pre code').waitFor();
  ids = await page.evaluate(async () => (await chrome.storage.local.get('conversations')).conversations.map((c) => c.id));
  assert.deepEqual(ids, ['ca', 'cb'], 'restored at its place, and the empty stand-in is gone');
  assert.equal(await page.locator('#chat-conversation').inputValue(), 'ca');

  // Import the Markdown export and a JSON export back.
  await page.getByTestId('import-file').setInputFiles({ name: 'chat.md', mimeType: 'text/markdown', buffer: Buffer.from(md) });
  await page.getByTestId('toast').getByText('Imported 1 conversation').waitFor();
  let list = await page.evaluate(async () => (await chrome.storage.local.get('conversations')).conversations);
  assert.equal(list.length, 3);
  assert.equal(list[0].title, 'First chat');
  assert.deepEqual(list[0].messages.map((m) => m.content), messages.map((m) => m.content));
  await page.getByTestId('import-file').setInputFiles({ name: 'chat.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) });
  await page.getByTestId('toast').getByText('Imported 1 conversation').first().waitFor();
  list = await page.evaluate(async () => (await chrome.storage.local.get('conversations')).conversations);
  assert.equal(list.length, 4);
  assert.equal(new Set(list.map((c) => c.id)).size, 4, 'an imported id that is taken gets a new one');
  await page.getByTestId('import-file').setInputFiles({ name: 'bad.json', mimeType: 'application/json', buffer: Buffer.from('{nope') });
  await page.getByTestId('chat-error').getByText(/Could not import bad.json: Not valid JSON/).waitFor();
  await page.close();
});

test('the built-in embedding model compares your own sentences (pairwise similarity)', async () => {
  const page = await openExtensionPage(session, 'ui/panel.html#catalog');
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByTestId('host-pill').getByText('Connected').waitFor({ timeout: 60_000 });
  await page.getByTestId('embed-input').fill([
    'The cat sleeps on the sofa.', 'A kitten is napping on the couch.', 'Stock markets fell sharply today.', '', 'Share prices dropped on Wall Street.',
  ].join('\n'));
  await page.getByTestId('embed-run').click();
  await page.getByTestId('embed-pairs').waitFor({ timeout: 120_000 });
  const pairs = await page.locator('[data-testid="embed-pairs"] > li').evaluateAll((lis) => lis.map((li) => ({
    score: Number(li.dataset.score), text: li.innerText })));
  assert.equal(pairs.length, 6, 'every pair of 4 sentences');
  for (let i = 1; i < pairs.length; i++) assert.ok(pairs[i - 1].score >= pairs[i].score, 'most similar first');
  const top2 = pairs.slice(0, 2).map((p) => p.text).join('\n');
  assert.match(top2, /cat[\s\S]*kitten|kitten[\s\S]*cat/, 'the two sentences about the cat are among the closest');
  assert.match(top2, /Stock[\s\S]*Share|Share[\s\S]*Stock/, 'the two about the markets too');
  const f = await layoutFacts(page);
  assert.ok(f.scrollWidth <= f.clientWidth);
  await page.getByTestId('embed-result').scrollIntoViewIfNeeded();
  await page.screenshot({ path: new URL('../test-artifacts/embeddings-360.png', import.meta.url).pathname });
  await page.close();
});
