/**
 * A second, independent llmcp engine serving its HTTP API (`llmcp serve --port 0`) from its own LLMCP_HOME and run
 * dir, for tests that add it to the browser's engine as a remote server. It is the real jar, as a person would run
 * it on another machine; `close()` stops it the way a person would (`llmcp engine stop`) and reports whether it had
 * to be killed.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync, createWriteStream, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { HOST_JAR } from './paths.js';
import { tempDir } from './browser.js';

const run = promisify(execFile);
const JVM = ['-XX:TieredStopAtLevel=1'];

export class ServedEngine {
  /** @param apiKey when given, every request to its API needs `Authorization: Bearer <apiKey>` (config `api.key`) */
  static async start({ apiKey } = {}) {
    const root = tempDir('llmcp-e2e-served-');
    const home = join(root, 'llmcp');
    const runtimeDir = join(root, 'run');
    mkdirSync(home, { recursive: true });
    mkdirSync(runtimeDir, { recursive: true, mode: 0o700 });
    writeFileSync(join(home, 'config.json'), JSON.stringify({ api: apiKey ? { key: apiKey } : {}, engine: { idleExitSeconds: 120 } }));
    const env = { ...process.env, LLMCP_HOME: home, XDG_RUNTIME_DIR: runtimeDir };
    const child = spawn('java', [...JVM, '-jar', HOST_JAR, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr.pipe(createWriteStream(join(root, 'serve-stderr.txt')));
    const lines = createInterface({ input: child.stdout });
    // Its first line says where it listens: "… at http://127.0.0.1:PORT/api …".
    const first = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('llmcp serve printed nothing in 60 s')), 60_000);
      lines.once('line', (line) => { clearTimeout(timer); resolve(line); });
      child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`llmcp serve exited ${code}`)); });
    });
    lines.on('line', () => {}); // keep its stdout flowing
    const m = /at (http:\/\/[^ ]+)\/api /.exec(first);
    if (!m) {
      child.kill('SIGKILL');
      throw new Error(`llmcp serve did not say where it listens: ${first}\n${readFileSync(join(root, 'serve-stderr.txt'), 'utf8')}`);
    }
    return new ServedEngine(root, env, child, m[1]);
  }

  constructor(root, env, child, url) {
    this.root = root;
    this.env = env;
    this.child = child;
    /** `http://127.0.0.1:PORT`; its OpenAI API is under `/v1`. */
    this.url = url;
  }

  /** Runs `llmcp ARGS` against this engine (its data dir and socket); returns stdout. */
  async llmcp(args, { timeout = 120_000 } = {}) {
    const { stdout } = await run('java', [...JVM, '-jar', HOST_JAR, ...args], { env: this.env, timeout });
    return stdout;
  }

  #exited(ms) {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.child.once('exit', () => { clearTimeout(timer); resolve(true); });
    });
  }

  /** Stops it; returns true when it had to be killed. Removes its files. */
  async close() {
    let killed = false;
    if (this.child.exitCode === null && this.child.signalCode === null) {
      try {
        await this.llmcp(['engine', 'stop'], { timeout: 45_000 });
      } catch (err) {
        console.log(`# llmcp engine stop (served engine) failed: ${err.message.split('\n')[0]}`);
      }
      if (!await this.#exited(20_000)) {
        this.child.kill('SIGKILL');
        killed = true;
      }
    }
    rmSync(this.root, { recursive: true, force: true });
    return killed;
  }
}
