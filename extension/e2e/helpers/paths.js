import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
export const EXTENSION_DIR = resolve(here, '..', '..');
export const REPO_ROOT = resolve(EXTENSION_DIR, '..');
export const ARTIFACTS_DIR = resolve(EXTENSION_DIR, 'test-artifacts');
export const HOST_JAR = process.env.LLMCP_JAR ?? resolve(REPO_ROOT, 'host', 'target', 'llmcp-host.jar');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The id pinned by the `key` in manifest.json. */
export const PINNED_CHROME_ID = 'elmmfbajkifjcdbkledoobbkbimigcib';
export const HOST_NAME = 'io.llmcp.host';
