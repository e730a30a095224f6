/**
 * The same extension tree in Firefox (ESR from Debian), headless, against the real host: installed
 * unsigned from an extension proxy file (ESR honours xpinstall.signatures.required=false), the panel
 * opened at its pinned moz-extension:// address on the Storage tab. The host is registered by the
 * project's installer the Firefox way (`llmcp install --browser firefox` with a temporary HOME writes
 * ~/.mozilla/native-messaging-hosts/io.llmcp.host.json with allowed_extensions), so Firefox starts the
 * real proxy, which starts a private engine. Firefox cannot be driven from here the way Chromium is, so
 * the test observes from the outside: the proxy's command line (Firefox's launch form: the manifest path
 * and the gecko id), the engine's client list (a browser client with the gecko id as its origin) and the
 * store file that the Storage tab's `store.stats` opens (`host.info` alone does not).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXTENSION_DIR } from './helpers/paths.js';
import { RealHost, waitFor } from './helpers/native-host.js';

const FIREFOX = process.env.FIREFOX_PATH ?? ['/usr/bin/firefox-esr', '/usr/bin/firefox'].find((p) => existsSync(p));
const GECKO_ID = 'llmcp@llmcp.io';
const UUID = '4f1c2b0e-1111-4222-8333-944455556666';

test('Firefox loads the extension and its panel reaches the real host through the installed manifest', {
  skip: FIREFOX ? false : 'no Firefox (apt-get install firefox-esr)',
  timeout: 150_000,
}, async () => {
  const host = new RealHost();
  const home = join(host.root, 'home');
  const profile = join(host.root, 'profile');
  mkdirSync(join(home, '.mozilla'), { recursive: true });
  mkdirSync(join(profile, 'extensions'), { recursive: true });
  const installed = await host.install({ browser: 'firefox', env: { HOME: home } });
  const manifestPath = join(home, '.mozilla', 'native-messaging-hosts', 'io.llmcp.host.json');
  assert.equal(installed.manifestPath, manifestPath);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  assert.deepEqual(manifest.allowed_extensions, [GECKO_ID]);
  assert.equal(manifest.path, host.launcher);
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
    env: { ...host.env, HOME: home, MOZ_HEADLESS: '1' },
    stdio: 'ignore',
    detached: true, // its own process group, so the test can end Firefox and its content processes
  });
  const storeFile = join(host.home, 'store.mv');
  let killed = [];
  try {
    const status = await waitFor(async () => {
      if (!existsSync(storeFile)) return null;
      const s = await host.engineStatus();
      return s?.clients.some((c) => c.kind === 'browser' && c.origin === GECKO_ID) ? s : null;
    }, 'Firefox\'s panel to reach the engine (store opened, browser client with the gecko id)', { timeoutMs: 90_000, intervalMs: 500 });
    assert.ok(status.pid > 0);
    const proxies = host.processes().filter((p) => host.proxyPids().includes(p.pid));
    assert.equal(proxies.length, 1, `one proxy for Firefox: ${JSON.stringify(host.processes())}`);
    assert.ok(proxies[0].cmdline.endsWith(`llmcp-host.jar ${manifestPath} ${GECKO_ID}`),
      `Firefox starts the installed launcher with its manifest path and the gecko id: ${proxies[0].cmdline}`);
  } finally {
    try { process.kill(-firefox.pid, 'SIGTERM'); } catch { /* already gone */ }
    await waitFor(() => { try { process.kill(-firefox.pid, 0); return false; } catch { return true; } }, 'Firefox to exit', { timeoutMs: 10_000 })
      .catch(() => { try { process.kill(-firefox.pid, 'SIGKILL'); } catch { /* already gone */ } });
    killed = await host.shutdown();
  }
  assert.deepEqual(killed, [], 'every host process ended without being killed');
});
