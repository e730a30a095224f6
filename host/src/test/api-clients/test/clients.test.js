/**
 * `llmcp serve` of the real jar driven by the official `openai` and `ollama` npm clients, which nobody in this
 * project wrote: list models, pull with progress, stream a chat, embed, cancel by disconnecting, errors. The
 * model is the project's tiny random-weight chat model (`llmcp testmodel`), served from a loopback repository
 * in Hugging Face's URL form. Needs host/target/llmcp-host.jar (`mvn package` first).
 *
 * The contract checked here too: a greedy chat through either API returns exactly what
 * `llmcp run ID --chat --temperature 0 TEXT` prints, and embeddings equal `llmcp embed`'s within 1e-5.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import OpenAI from 'openai';
import { Ollama } from 'ollama';
import { startModelServer } from '../../../../../extension/e2e/helpers/model-server.js';

const here = dirname(fileURLToPath(import.meta.url));
const JAR = process.env.LLMCP_JAR ?? resolve(here, '../../../../target/llmcp-host.jar');
const TEXT = 'Why is the sky blue?';
const EMBEDDER = 'all-minilm-l6-v2';

let root;
let env;
let repo;
let serve;
let baseUrl;
let openai;
let ollama;

function llmcp(...args) {
  return execFileSync('java', ['-XX:TieredStopAtLevel=1', '-jar', JAR, ...args], { env, encoding: 'utf8', timeout: 120_000, stdio: ['ignore', 'pipe', 'pipe'] });
}

function stderr() {
  const f = join(root, 'serve-stderr.txt');
  return existsSync(f) ? readFileSync(f, 'utf8') : '';
}

async function waitFor(what, check, ms = 30_000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`timed out waiting for ${what}`);
}

before(async () => {
  assert.ok(existsSync(JAR), `build the jar first: ${JAR}`);
  root = mkdtempSync(join(tmpdir(), 'llmcp-api-clients-'));
  env = { ...process.env, LLMCP_HOME: join(root, 'home'), XDG_RUNTIME_DIR: join(root, 'run') };
  mkdirSync(env.XDG_RUNTIME_DIR, { recursive: true });
  const modelDir = join(root, 'model-repo');
  // A long context, so a generation lasts long enough to be interrupted.
  llmcp('testmodel', modelDir, '--max-positions', '8192');
  repo = await startModelServer(modelDir, { prefix: '/org/tiny/resolve/main/', bytesPerSecond: 2_000_000 });
  const { openSync } = await import('node:fs');
  serve = spawn('java', ['-Xmx768m', '-XX:TieredStopAtLevel=1', '-Dllmcp.consoleLevel=INFO', '-jar', JAR, 'serve', '--port', '0'],
    { env, stdio: ['ignore', 'pipe', openSync(join(root, 'serve-stderr.txt'), 'w')] });
  const first = await new Promise((resolveLine, reject) => {
    const lines = createInterface({ input: serve.stdout });
    lines.once('line', resolveLine);
    serve.once('exit', (code) => reject(new Error(`llmcp serve exited ${code}: ${stderr()}`)));
  });
  baseUrl = /at (http:\/\/\S+)\/api /.exec(first)?.[1];
  assert.ok(baseUrl, `serve announced its URL: ${first}`);
  openai = new OpenAI({ baseURL: `${baseUrl}/v1`, apiKey: 'unused', maxRetries: 0 });
  ollama = new Ollama({ host: baseUrl });
});

after(async () => {
  if (serve && serve.exitCode === null) {
    const exited = new Promise((r) => serve.once('exit', r));
    serve.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 20_000))]);
    if (serve.exitCode === null && serve.signalCode === null) serve.kill('SIGKILL');
  }
  await repo?.close();
  if (root) rmSync(root, { recursive: true, force: true });
});

test('ollama: pull a repository URL with streamed progress, then list it', async () => {
  const events = [];
  for await (const p of await ollama.pull({ model: repo.url, stream: true })) events.push(p);
  assert.equal(events.at(-1).status, 'success');
  const model = events.filter((e) => e.digest === 'onnx/model.onnx');
  assert.ok(model.length >= 2, 'progress for the model file');
  assert.ok(model.some((e) => e.completed > 0 && e.completed < e.total), 'progress moved through the middle');
  assert.equal(model.at(-1).completed, model.at(-1).total);
  const names = (await ollama.list()).models.map((m) => m.name);
  assert.ok(names.includes('tiny'), names.join());
  assert.ok(names.includes(EMBEDDER));
  const show = await ollama.show({ model: 'tiny' });
  assert.deepEqual(show.capabilities, ['completion']);
  assert.ok((await ollama.version()).version);
});

test('openai: list models', async () => {
  const ids = [];
  for await (const m of openai.models.list()) ids.push(m.id);
  assert.ok(ids.includes('tiny'), ids.join());
  assert.ok(ids.includes(EMBEDDER));
  assert.equal((await openai.models.retrieve('tiny')).id, 'tiny');
});

test('a greedy chat streamed through either API is exactly what llmcp run prints', async () => {
  const expected = llmcp('run', 'tiny', '--chat', '--temperature', '0', TEXT).replace(/\n$/, '');
  assert.ok(expected.length > 0);

  const chunks = [];
  let usage;
  let finish;
  const stream = await openai.chat.completions.create({
    model: 'tiny', messages: [{ role: 'user', content: TEXT }], temperature: 0, stream: true,
    stream_options: { include_usage: true },
  });
  for await (const c of stream) {
    if (c.usage) usage = c.usage;
    for (const ch of c.choices) {
      if (ch.delta?.content) chunks.push(ch.delta.content);
      if (ch.finish_reason) finish = ch.finish_reason;
    }
  }
  assert.ok(chunks.length > 1, 'tokens arrive one by one');
  assert.equal(chunks.join(''), expected);
  assert.ok(['stop', 'length'].includes(finish));
  assert.ok(usage.completion_tokens > 0 && usage.total_tokens === usage.prompt_tokens + usage.completion_tokens);

  const whole = await openai.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: TEXT }], temperature: 0 });
  assert.equal(whole.choices[0].message.content, expected);

  const parts = [];
  let last;
  for await (const c of await ollama.chat({ model: 'tiny', messages: [{ role: 'user', content: TEXT }], options: { temperature: 0 }, stream: true })) {
    parts.push(c.message.content);
    last = c;
  }
  assert.ok(parts.length > 2);
  assert.equal(parts.join(''), expected);
  assert.equal(last.done, true);
  assert.ok(last.eval_count > 0);
  const one = await ollama.chat({ model: 'tiny', messages: [{ role: 'user', content: TEXT }], options: { temperature: 0 } });
  assert.equal(one.message.content, expected);
});

test('embeddings through either API equal llmcp embed within 1e-5', async () => {
  const texts = ['first sentence', 'the second, a little longer sentence'];
  const cli = JSON.parse(llmcp('embed', EMBEDDER, ...texts, '--json')).vectors;
  const viaOpenai = (await openai.embeddings.create({ model: EMBEDDER, input: texts })).data.map((d) => d.embedding);
  const viaOllama = (await ollama.embed({ model: EMBEDDER, input: texts })).embeddings;
  for (const got of [viaOpenai, viaOllama]) {
    assert.equal(got.length, texts.length);
    for (let i = 0; i < texts.length; i++) {
      assert.equal(got[i].length, cli[i].length);
      for (let d = 0; d < cli[i].length; d++) assert.ok(Math.abs(got[i][d] - cli[i][d]) <= 1e-5, `vector ${i}[${d}]`);
    }
  }
});

test('a client that disconnects cancels its generation (openai abort, ollama abort)', async () => {
  const before = (stderr().match(/the HTTP client went away; cancelled/g) ?? []).length;
  const controller = new AbortController();
  const stream = await openai.completions.create({ model: 'tiny', prompt: 'hello', max_tokens: 7000, temperature: 0, stream: true },
    { signal: controller.signal });
  let n = 0;
  try {
    // The client ends the iteration (or throws an AbortError, depending on its version) once aborted.
    for await (const c of stream) {
      if (++n === 3) {
        controller.abort();
        break;
      }
    }
  } catch (e) {
    assert.equal(e.name, 'APIUserAbortError', String(e));
  }
  assert.equal(n, 3, 'nothing arrives after the abort');
  await waitFor('the engine to cancel the first generation',
    () => (stderr().match(/the HTTP client went away; cancelled/g) ?? []).length > before);

  const it = await ollama.generate({ model: 'tiny', prompt: 'hello', raw: true, stream: true, options: { num_predict: 7000 } });
  let m = 0;
  try {
    for await (const c of it) {
      if (++m === 3) {
        it.abort();
        break;
      }
    }
  } catch (e) {
    assert.equal(e.name, 'AbortError', String(e));
  }
  assert.equal(m, 3);
  await waitFor('the engine to cancel the second generation',
    () => (stderr().match(/the HTTP client went away; cancelled/g) ?? []).length > before + 1);
});

test('errors come in each API\'s own shape', async () => {
  await assert.rejects(openai.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status === 404 && e.code === 'model_not_found');
  await assert.rejects(ollama.chat({ model: 'nope', messages: [{ role: 'user', content: 'x' }] }),
    (e) => e.status_code === 404 && /nope/.test(e.error));
  await assert.rejects(openai.chat.completions.create({ model: 'tiny', messages: [{ role: 'user', content: 'x' }], response_format: { type: 'json_object' } }),
    (e) => e.status === 400 && /not supported yet/.test(e.message));
});
