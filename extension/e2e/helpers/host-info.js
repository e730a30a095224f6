/** Runs `llmcp info --json` against a data dir: the CLI calls the same host.info the extension shows. */
import { execFileSync } from 'node:child_process';
import { HOST_JAR } from './paths.js';

export function hostInfoFromCli(llmcpHome) {
  const out = execFileSync('java', ['-jar', HOST_JAR, 'info', '--json'], {
    env: { ...process.env, LLMCP_HOME: llmcpHome },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    timeout: 60_000,
  });
  return JSON.parse(out);
}

/** Waits until a process is gone (the host must exit when the browser closes its port). */
export async function waitForExit(pid, timeoutMs = 15_000) {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return false;
}
