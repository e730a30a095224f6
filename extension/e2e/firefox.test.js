/**
 * The same extension tree in Firefox (ESR from Debian), headless: installed unsigned from an extension
 * proxy file (ESR honours xpinstall.signatures.required=false), the panel opened at its pinned
 * moz-extension:// address on the Storage tab. The host is registered the Firefox way
 * (~/.mozilla/native-messaging-hosts, allowed_extensions) in a temporary HOME; it is the protocol double,
 * which keeps a trace of the requests, because Firefox cannot be driven from here the way Chromium is.
 * What it proves: Firefox accepts the manifest (background.scripts as a module), launches io.llmcp.host
 * with the gecko id, and the panel's calls travel page → background → native port → host.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync, chmodSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EXTENSION_DIR, HOST_NAME } from './helpers/paths.js';
import { tempDir } from './helpers/browser.js';

const FIREFOX = process.env.FIREFOX_PATH ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));
const GECKO_ID = 'llmcp@llmcp.io';
const UUID = '4f1c2b0e-1111-4222-8333-944455556666';
const FAKE_HOST = fileURLToPath(new URL('./helpers/fake-host.mjs', import.meta.url));

test('Firefox loads the extension and its panel reaches the native host', {
  skip: FIREFOX ? false : 'no Firefox (apt-get install firefox-esr)',
  timeout: 120_000,
}, async () => {
  const root = tempDir('llmcp-e2e-firefox-');
  const home = join(root, 'home');
  const llmcpHome = join(root, 'llmcp');
  const profile = join(root, 'profile');
  const launchLog = join(root, 'launch.log');
  mkdirSync(join(home, '.mozilla', 'native-messaging-hosts'), { recursive: true });
  mkdirSync(join(profile, 'extensions'), { recursive: true });
  mkdirSync(llmcpHome, { recursive: true });
  const launcher = join(root, 'llmcp-host.sh');
  writeFileSync(launcher, `#!/bin/sh\nprintf '%s\\n' "$@" > '${launchLog}'\nexport LLMCP_HOME='${llmcpHome}'\nexec '${process.execPath}' '${FAKE_HOST}' "$@"\n`);
  chmodSync(launcher, 0o755);
  const manifestPath = join(home, '.mozilla', 'native-messaging-hosts', `${HOST_NAME}.json`);
  writeFileSync(manifestPath, JSON.stringify({
    name: HOST_NAME, description: 'LLM Control Panel native host (test)', path: launcher, type: 'stdio', allowed_extensions: [GECKO_ID],
  }));
  // An extension proxy file: the unpacked source directory, installed as-is.
  writeFileSync(join(profile, 'extensions', GECKO_ID), EXTENSION_DIR);
  writeFileSync(join(profile, 'user.js'), [
    ['xpinstall.signatures.required', false], ['extensions.autoDisableScopes', 0], ['extensions.enabledScopes', 15],
    ['extensions.webextensions.uuids', JSON.stringify({ [GECKO_ID]: UUID })],
    ['browser.shell.checkDefaultBrowser', false], ['datareporting.policy.dataSubmissionEnabled', false],
    ['toolkit.telemetry.reportingpolicy.firstRun', false], ['browser.startup.homepage_override.mstone', 'ignore'],
    ['app.update.disabledForTesting', true], ['network.proxy.type', 0],
  ].map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`).join('\n'));

  const firefox = spawn(FIREFOX, ['-headless', '-no-remote', '-profile', profile, `moz-extension://${UUID}/ui/panel.html#storage`], {
    env: { ...process.env, HOME: home, MOZ_HEADLESS: '1' },
    stdio: 'ignore',
    detached: true, // its own process group, so the test can end Firefox and its content processes
  });
  const trace = join(llmcpHome, 'requests.log');
  const requests = () => (existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : []);
  try {
    const end = Date.now() + 90_000;
    while (Date.now() < end && !requests().includes('store.stats')) await new Promise((r) => setTimeout(r, 250));
    const seen = requests();
    assert.equal(seen[0], 'host.info', `the background's handshake comes first (saw: ${seen.join(', ')})`);
    assert.ok(seen.includes('store.stats'), `the panel's Storage tab reached the host (saw: ${seen.join(', ')})`);
    const args = readFileSync(launchLog, 'utf8').trim().split('\n');
    assert.deepEqual(args, [manifestPath, GECKO_ID], 'Firefox starts the host with its manifest path and the gecko id');
  } finally {
    try { process.kill(-firefox.pid, 'SIGTERM'); } catch { /* already gone */ }
    await new Promise((r) => setTimeout(r, 1000));
    try { process.kill(-firefox.pid, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(root, { recursive: true, force: true });
  }
});
