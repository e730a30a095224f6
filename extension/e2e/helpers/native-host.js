/**
 * The real llmcp host for a test browser, registered by the project's own installer.
 *
 * `llmcp install --browser chromium --user-data-dir <profile>` writes the manifest into
 * `<profile>/NativeMessagingHosts/` (Chromium reads it there when started with a custom --user-data-dir)
 * and the launcher plus a copy of the jar into `<LLMCP_HOME>/bin`; `--browser firefox` with a temporary
 * HOME writes `~/.mozilla/native-messaging-hosts/`. The person's real registration is never touched.
 *
 * What the browser starts is the thin proxy (`llmcp native-host`), which starts one detached engine per
 * data dir and run dir. Every test gets its own LLMCP_HOME and XDG_RUNTIME_DIR, so the engine's socket is
 * private to the test, and `shutdown()` stops that engine (`llmcp engine stop`, then by pid) and checks
 * that no process of the test's host is left.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HOST_JAR, HOST_NAME } from './paths.js';
import { tempDir } from './browser.js';

const run = promisify(execFile);

export class RealHost {
  /** @param options.root a temp dir owned by this host (created when omitted; removed by shutdown) */
  constructor({ root = tempDir('llmcp-e2e-host-') } = {}) {
    if (!existsSync(HOST_JAR)) {
      throw new Error(`host jar not found at ${HOST_JAR}: build it with \`mvn -B -q -o -DskipTests package\` from the repo root`);
    }
    this.root = root;
    this.home = join(root, 'llmcp');
    // Short on purpose: the engine's socket path must fit AF_UNIX's 108 bytes.
    this.runtimeDir = join(root, 'run');
    mkdirSync(this.home, { recursive: true });
    mkdirSync(this.runtimeDir, { recursive: true, mode: 0o700 });
    // A safety net only: should a test run die before shutdown(), its engine exits after 2 idle minutes
    // instead of the default 10. Every test stops its engine explicitly.
    writeFileSync(join(this.home, 'config.json'), JSON.stringify({ engine: { idleExitSeconds: 120 } }, null, 2));
    /** The environment of everything that reaches this host: the browser (and so the proxy), the CLI. */
    this.env = { ...process.env, LLMCP_HOME: this.home, XDG_RUNTIME_DIR: this.runtimeDir };
    this.cli = join(this.home, 'bin', 'llmcp');
    this.launcher = join(this.home, 'bin', 'llmcp-host');
  }

  /**
   * Runs `llmcp install` (from host/target/llmcp-host.jar) for one browser.
   * @returns the installer's JSON result (`{launcher, browsers, steps:[{kind,target,status}]}`) plus `manifestPath`
   */
  async install({ browser = 'chromium', userDataDir, env = {} } = {}) {
    const args = ['-jar', HOST_JAR, 'install', '--browser', browser, '--json'];
    if (userDataDir) args.push('--user-data-dir', userDataDir);
    const { stdout } = await run('java', args, { env: { ...this.env, ...env }, timeout: 60_000 });
    const result = JSON.parse(stdout);
    const manifest = result.steps.find((s) => s.kind === 'manifest');
    if (!manifest) throw new Error(`the installer wrote no manifest: ${stdout}`);
    return { ...result, manifestPath: manifest.target };
  }

  /** Runs the installed `llmcp` command against this host's data dir and run dir; returns stdout. */
  async llmcp(args, { timeout = 90_000 } = {}) {
    const { stdout } = await run(this.cli, args, { env: this.env, timeout });
    return stdout;
  }

  /** `llmcp info --json`: the CLI calls the same host.info the extension shows (through the same engine). */
  async info() {
    return JSON.parse(await this.llmcp(['info', '--json']));
  }

  /** `llmcp engine status --json`, or null when no engine runs. */
  async engineStatus() {
    try {
      return JSON.parse(await this.llmcp(['engine', 'status', '--json'], { timeout: 30_000 }));
    } catch (err) {
      if (err.code === 1 && err.stdout) return null; // exit 1: {"running": false}
      throw err;
    }
  }

  /** Every live process started for this host (proxies and engines): their command lines name its data dir. */
  processes() {
    const found = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
      let cmdline;
      try {
        cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' ').trim();
      } catch {
        continue; // gone meanwhile
      }
      if (cmdline.includes(this.home) && !isZombie(entry)) found.push({ pid: Number(entry), cmdline });
    }
    return found;
  }

  enginePids() {
    return this.processes().filter((p) => / engine run\b/.test(p.cmdline)).map((p) => p.pid);
  }

  proxyPids() {
    return this.processes().filter((p) => !/ engine run\b/.test(p.cmdline) && /\bllmcp-host\.jar (chrome-extension:|\/)/.test(p.cmdline)).map((p) => p.pid);
  }

  /**
   * Stops the engine the way a person would (`llmcp engine stop`), then ends by pid whatever of this host
   * still runs. Returns the pids that had to be killed (empty when everything exited by itself).
   */
  async shutdown({ removeFiles = true } = {}) {
    const killed = [];
    if (existsSync(this.cli)) {
      try {
        await this.llmcp(['engine', 'stop'], { timeout: 45_000 });
      } catch (err) {
        console.log(`# llmcp engine stop failed: ${err.message.split('\n')[0]}`);
      }
    }
    const end = Date.now() + 10_000;
    while (Date.now() < end && this.processes().length) await sleep(100);
    for (const { pid } of this.processes()) {
      try {
        process.kill(pid, 'SIGKILL');
        killed.push(pid);
      } catch { /* already gone */ }
    }
    if (removeFiles) rmSync(this.root, { recursive: true, force: true });
    return killed;
  }
}

function isZombie(pid) {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Waits until `fn()` is truthy (polling); returns its value or throws with `what` after the timeout. */
export async function waitFor(fn, what, { timeoutMs = 30_000, intervalMs = 100 } = {}) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

export { HOST_NAME };
