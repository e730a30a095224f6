#!/usr/bin/env node
/**
 * A protocol double of the llmcp host, for rehearsing the extension's model flow in a real browser
 * while the Java host's store, download and inference methods are still being built. It speaks the
 * same native-messaging frames and the PROTOCOL.md shapes for the methods the flow uses; downloads are
 * real HTTP (with Range resume) into files under $LLMCP_HOME/fake-store; "generation" streams words of
 * a fixed text. It is not the product: the real run uses host/target/llmcp-host.jar.
 */
import { mkdirSync, existsSync, statSync, readFileSync, writeFileSync, createWriteStream, rmSync, readdirSync, appendFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, dirname } from 'node:path';
import http from 'node:http';

const HOME = process.env.LLMCP_HOME;
const STORE = join(HOME, 'fake-store');
mkdirSync(STORE, { recursive: true });
const inflight = new Map(); // requestId → {cancelled}

function write(msg) {
  const body = Buffer.from(JSON.stringify(msg), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(body.length);
  process.stdout.write(Buffer.concat([len, body]));
}
const reply = (id, result) => write({ jsonrpc: '2.0', id, result });
const fail = (id, code, message, data) => write({ jsonrpc: '2.0', id, error: { code, message, data } });
const notify = (method, params) => write({ jsonrpc: '2.0', method, params });
const rpcError = (code, message, data) => Object.assign(new Error(message), { code, data });

let buffer = Buffer.alloc(0);
process.stdin.on('data', (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  while (buffer.length >= 4) {
    const n = buffer.readUInt32LE(0);
    if (buffer.length < 4 + n) break;
    const msg = JSON.parse(buffer.subarray(4, 4 + n).toString('utf8'));
    buffer = buffer.subarray(4 + n);
    dispatch(msg);
  }
});
process.stdin.on('end', () => process.exit(0));

async function dispatch(msg) {
  // A trace of what the browser asked, for tests that can only observe from the outside (Firefox).
  appendFileSync(join(HOME, 'requests.log'), `${msg.method}\n`);
  const fn = METHODS[msg.method];
  if (!fn) { fail(msg.id, -32601, `method not found: ${msg.method}`, { method: msg.method }); return; }
  const token = { cancelled: false };
  inflight.set(msg.id, token);
  try {
    reply(msg.id, await fn(msg.params ?? {}, msg.id, token));
  } catch (err) {
    fail(msg.id, err.code ?? -32603, err.message, err.data);
  } finally {
    inflight.delete(msg.id);
  }
}

const modelDir = (id) => join(STORE, id);
const metaOf = (id) => (existsSync(join(modelDir(id), 'meta.json')) ? JSON.parse(readFileSync(join(modelDir(id), 'meta.json'), 'utf8')) : null);

function filesOf(config) {
  const required = [config.modelFileName, config.configFileName];
  if (config.modelExDataFileName) required.push(config.modelExDataFileName);
  const optional = ['tokenizer.json', 'tokenizer_config.json'].filter((f) => !required.includes(f));
  return [...required.map((path) => ({ path, required: true })), ...optional.map((path) => ({ path, required: false }))];
}

function download(url, target, offset, onData, token) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: offset ? { Range: `bytes=${offset}-` } : {} }, (res) => {
      if (res.statusCode === 404) { res.resume(); resolve({ missing: true }); return; }
      if (res.statusCode !== 200 && res.statusCode !== 206) { res.resume(); reject(rpcError(-32020, `HTTP ${res.statusCode}`, { status: res.statusCode, url })); return; }
      const append = res.statusCode === 206;
      const total = append ? Number(/\/(\d+)$/.exec(res.headers['content-range'])[1]) : Number(res.headers['content-length']);
      const out = createWriteStream(target, { flags: append ? 'a' : 'w' });
      let done = append ? offset : 0;
      res.on('data', (c) => {
        if (token.cancelled) { req.destroy(); out.end(); reject(rpcError(-32800, 'cancelled')); return; }
        out.write(c);
        done += c.length;
        onData(done, total);
      });
      res.on('end', () => out.end(() => resolve({ total })));
      res.on('error', reject);
    });
    req.on('error', (e) => reject(rpcError(-32020, e.message, { url })));
  });
}

const METHODS = {
  'host.info': async () => ({ name: 'llmcp-fake', version: '0.0.0-fake', protocolVersion: '1.0', java: { version: 'n/a', vendor: 'node' },
    onnxruntime: { version: 'n/a', providers: ['CPU'], loaded: true }, dataDir: HOME, pid: process.pid, methods: Object.keys(METHODS) }),
  cancel: async ({ requestId }) => {
    const t = inflight.get(requestId);
    if (t) t.cancelled = true;
    return { cancelled: !!t };
  },
  'models.pull': async ({ config }, requestId, token) => {
    if (!/^https:|^http:\/\/127\.0\.0\.1/.test(config.url)) throw rpcError(-32024, 'URL refused', { url: config.url });
    const dir = modelDir(config.modelId);
    mkdirSync(dir, { recursive: true });
    const files = [];
    for (const f of filesOf(config)) {
      const target = join(dir, 'files', f.path);
      mkdirSync(dirname(target), { recursive: true });
      const offset = existsSync(target) ? statSync(target).size : 0;
      let last = 0;
      const started = Date.now();
      const progress = (state, done, total) => notify('models.progress', {
        requestId, modelId: config.modelId, path: f.path, state, bytesDone: done, bytesTotal: total,
        bytesPerSecond: Math.round((done - offset) / Math.max(0.001, (Date.now() - started) / 1000)),
        etaSeconds: null,
      });
      progress('queued', offset, 0);
      const res = await download(new URL(f.path, config.url).href, target, offset, (done, total) => {
        if (Date.now() - last > 100) { last = Date.now(); progress('downloading', done, total); }
      }, token);
      if (res.missing) {
        if (f.required) throw rpcError(-32022, `remote not found: ${f.path}`, { url: new URL(f.path, config.url).href });
        continue;
      }
      const bytes = readFileSync(target);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      progress('done', bytes.length, bytes.length);
      files.push({ path: f.path, size: bytes.length, sha256, bytesDownloaded: bytes.length - offset, linked: false });
    }
    writeFileSync(join(dir, 'meta.json'), JSON.stringify({ config, files, complete: true }));
    return { modelId: config.modelId, files, bytesDownloaded: files.reduce((n, f) => n + f.bytesDownloaded, 0), bytesLinked: 0 };
  },
  'models.has': async ({ modelId }) => {
    const m = metaOf(modelId);
    return { modelId, known: !!m, complete: !!m?.complete, files: m?.files ?? [], missing: m ? [] : ['(all)'] };
  },
  'models.list': async () => ({ models: readdirSync(STORE).map(metaOf).filter(Boolean).map((m) => ({
    modelId: m.config.modelId, name: m.config.name, config: m.config, files: m.files,
    size: m.files.reduce((n, f) => n + f.size, 0), complete: m.complete, pinned: false, lastUsed: null, loadCount: 0 })) }),
  'models.delete': async ({ modelId }) => {
    const m = metaOf(modelId);
    rmSync(modelDir(modelId), { recursive: true, force: true });
    return { modelId, deleted: !!m, bytesFreed: m ? m.files.reduce((n, f) => n + f.size, 0) : 0 };
  },
  'store.stats': async () => {
    const models = readdirSync(STORE).map(metaOf).filter(Boolean).map((m) => ({ modelId: m.config.modelId, size: m.files.reduce((n, f) => n + f.size, 0), lastUsed: null, loadCount: 0 }));
    const total = models.reduce((n, m) => n + m.size, 0);
    return { logicalBytes: total, storedBytes: total, fileBytes: total, dedupSavedBytes: 0, chunkCount: 0, blobCount: 0, quotaBytes: 0, models };
  },
  'store.gc': async () => ({ orphanChunks: 0, bytesFreed: 0, millis: 0 }),
  generate: async ({ modelId, params = {} }, requestId, token) => {
    if (!metaOf(modelId)?.complete) throw rpcError(-32004, `unknown model ${modelId}`);
    const words = 'Once upon a time a small model lived in a browser panel and answered every question it was asked , one token at a time .'.split(' ');
    const max = params.maxNewTokens ?? 32;
    let text = '';
    const started = Date.now();
    for (let i = 0; i < max; i++) {
      if (token.cancelled) throw rpcError(-32800, 'cancelled');
      await new Promise((r) => setTimeout(r, 25));
      const piece = (i ? ' ' : '') + words[i % words.length];
      text += piece;
      notify('generate.token', { requestId, text: piece, tokenId: i });
    }
    const secs = (Date.now() - started) / 1000;
    return { text, tokenIds: [], promptTokens: 5, generatedTokens: max, finishReason: 'length', timeToFirstTokenMs: 25, tokensPerSecond: max / secs, provider: 'CPU' };
  },
};
