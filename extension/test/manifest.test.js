import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const manifest = JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8'));

/** Chrome's id for an unpacked extension with a `key`: SHA-256 of the DER key, first 16 bytes as a–p. */
function chromeIdFromKey(key) {
  const hex = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

test('the pinned key gives the Chrome id the installer registers', () => {
  assert.equal(chromeIdFromKey(manifest.key), 'elmmfbajkifjcdbkledoobbkbimigcib');
});

test('MV3 with what Chrome needs', () => {
  assert.equal(manifest.manifest_version, 3);
  assert.equal(manifest.background.service_worker, 'background/main.js');
  assert.equal(manifest.background.type, 'module');
  for (const p of ['nativeMessaging', 'storage', 'sidePanel']) assert.ok(manifest.permissions.includes(p), p);
  assert.equal(manifest.side_panel.default_path, 'ui/panel.html');
  assert.equal(manifest.action.default_popup, 'ui/popup.html');
  assert.ok(!manifest.permissions.includes('tabs'), 'no broader permission than needed');
  assert.equal(manifest.host_permissions, undefined, 'the extension fetches nothing itself');
  assert.ok(manifest.permissions.includes('unlimitedStorage'), 'conversations are not capped by storage.local\'s 10 MB');
});

test('a keyboard command opens the panel', () => {
  assert.equal(manifest.commands['open-panel'].suggested_key.default, 'Alt+Shift+L');
  assert.match(manifest.commands['open-panel'].description, /Open/);
});

test('Firefox: gecko id, background.scripts (same module), sidebar_action', () => {
  const gecko = manifest.browser_specific_settings.gecko;
  assert.equal(gecko.id, 'llmcp@llmcp.io');
  // Firefox 121 is the first to accept a manifest that also has background.service_worker.
  assert.ok(Number.parseFloat(gecko.strict_min_version) >= 121);
  assert.deepEqual(manifest.background.scripts, [manifest.background.service_worker]);
  assert.equal(manifest.sidebar_action.default_panel, 'ui/panel.html');
  assert.deepEqual(gecko.data_collection_permissions, { required: ['none'] }, 'declares that nothing is collected');
});

test('every file the manifest names exists', () => {
  const files = [
    manifest.background.service_worker, ...manifest.background.scripts, manifest.action.default_popup,
    manifest.side_panel.default_path, manifest.sidebar_action.default_panel,
    ...Object.values(manifest.icons), ...Object.values(manifest.action.default_icon), ...Object.values(manifest.sidebar_action.default_icon),
  ];
  for (const f of files) assert.ok(existsSync(join(root, f)), f);
});

test('icons are PNGs of the declared size', () => {
  for (const [size, file] of Object.entries(manifest.icons)) {
    const buf = readFileSync(join(root, file));
    assert.equal(buf.subarray(1, 4).toString('latin1'), 'PNG', file);
    assert.equal(buf.readUInt32BE(16), Number(size), `${file} width`);
    assert.equal(buf.readUInt32BE(20), Number(size), `${file} height`);
  }
});

test('extension pages load only their own scripts (CSP-friendly, no inline script)', () => {
  for (const page of ['ui/panel.html', 'ui/popup.html']) {
    const html = readFileSync(join(root, page), 'utf8');
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.ok(scripts.length >= 1, page);
    for (const [, attrs, body] of scripts) {
      assert.match(attrs, /type="module"/);
      assert.match(attrs, /src="[^"]+\.js"/);
      assert.equal(body.trim(), '', `${page} has no inline script`);
    }
  }
});
