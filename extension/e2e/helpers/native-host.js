/**
 * Registers the real llmcp host for a test browser profile.
 *
 * Chromium looks for native messaging manifests in `<user-data-dir>/NativeMessagingHosts/` when it runs
 * with a custom --user-data-dir (checked with Debian chromium 156: the system and ~/.config locations
 * are not needed), so the test profile gets its own registration and the person's real one is untouched.
 */
import { mkdirSync, writeFileSync, chmodSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_JAR, HOST_NAME, PINNED_CHROME_ID } from './paths.js';

/** The protocol double used to rehearse the model flow (see fake-host.mjs). */
const FAKE_HOST = fileURLToPath(new URL('./fake-host.mjs', import.meta.url));

/**
 * @param userDataDir the browser profile directory
 * @param llmcpHome the host's data dir (LLMCP_HOME) for this test
 * @param options.fake run the protocol double instead of the jar
 * @returns `{manifestPath, launcherPath}`
 */
export function registerHost(userDataDir, llmcpHome, { jar = HOST_JAR, extensionId = PINNED_CHROME_ID, fake = false } = {}) {
  if (!fake && !existsSync(jar)) {
    throw new Error(`host jar not found at ${jar}: build it with \`mvn -B -q -o -DskipTests package\` from the repo root`);
  }
  // TODO(lead): switch to the project's installer once merged:
  //   LLMCP_HOME=<llmcpHome> java -jar host/target/llmcp-host.jar install --browser chromium
  //   (with a way to target this profile's <user-data-dir>/NativeMessagingHosts instead of ~/.config/chromium).
  // Until then the manifest and launcher are rendered here, in the same shape the installer writes.
  mkdirSync(llmcpHome, { recursive: true });
  const launcherPath = join(llmcpHome, 'llmcp-host.sh');
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const command = fake
    ? `exec '${process.execPath}' '${FAKE_HOST}' "$@"`
    : `exec '${java}' -Xmx512m -jar '${jar}' "$@"`;
  writeFileSync(launcherPath, [
    '#!/bin/sh',
    '# Test launcher: the browser starts this with the caller origin as its argument.',
    `export LLMCP_HOME='${llmcpHome}'`,
    command,
    '',
  ].join('\n'));
  chmodSync(launcherPath, 0o755);
  const dir = join(userDataDir, 'NativeMessagingHosts');
  mkdirSync(dir, { recursive: true });
  const manifestPath = join(dir, `${HOST_NAME}.json`);
  writeFileSync(manifestPath, JSON.stringify({
    name: HOST_NAME,
    description: 'LLM Control Panel native host (test registration)',
    path: launcherPath,
    type: 'stdio',
    allowed_origins: [`chrome-extension://${extensionId}/`],
  }, null, 2));
  return { manifestPath, launcherPath };
}
