/**
 * A loopback HTTP server holding a model directory in Hugging Face layout, the way the host expects a
 * repository: GET and HEAD with Content-Length, an ETag that is the file's SHA-256, Range requests (206)
 * for resume, 404 for what is not there. `bytesPerSecond` throttles bodies so progress is observable.
 */
import { createServer } from 'node:http';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, existsSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';

/**
 * @param prefix the URL path of the repository root, e.g. `/e2e/tiny-chat/resolve/main/` (Hugging Face's form)
 * @returns `{url, requests: [{method, url, range}], close()}`
 */
export async function startModelServer(rootDir, { prefix = '/tiny/', bytesPerSecond = 8_000_000 } = {}) {
  const requests = [];
  const serve = modelFiles(rootDir, { prefix, bytesPerSecond });
  const server = createServer((req, res) => {
    requests.push({ method: req.method, url: req.url, range: req.headers.range ?? null });
    serve(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

/** The request handler of a model directory served under `prefix` (what startModelServer serves; hub-server.js too). */
export function modelFiles(rootDir, { prefix, bytesPerSecond = 8_000_000 }) {
  const etags = new Map();
  return (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    if (!url.pathname.startsWith(prefix)) { res.writeHead(404).end('not found'); return; }
    const rel = decodeURIComponent(url.pathname.slice(prefix.length));
    const file = normalize(join(rootDir, rel));
    if (!file.startsWith(normalize(rootDir) + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Entry not found');
      return;
    }
    const body = readFileSync(file);
    if (!etags.has(file)) etags.set(file, createHash('sha256').update(body).digest('hex'));
    const headers = { 'accept-ranges': 'bytes', etag: `"${etags.get(file)}"`, 'content-type': 'application/octet-stream' };
    let start = 0;
    let end = body.length - 1;
    let status = 200;
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    if (range) {
      start = Number(range[1]);
      end = range[2] ? Math.min(Number(range[2]), end) : end;
      if (start > end) { res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end(); return; }
      status = 206;
      headers['content-range'] = `bytes ${start}-${end}/${body.length}`;
    }
    headers['content-length'] = String(end - start + 1);
    res.writeHead(status, headers);
    if (req.method === 'HEAD') { res.end(); return; }
    sendThrottled(res, body.subarray(start, end + 1), bytesPerSecond);
  };
}

function sendThrottled(res, bytes, bytesPerSecond) {
  // Ten slices a second, so even a slow rate gives a smoothly moving bar.
  const slice = Math.max(1024, Math.floor(bytesPerSecond / 10));
  let at = 0;
  const tick = () => {
    if (res.destroyed) return;
    if (at >= bytes.length) { res.end(); return; }
    const next = bytes.subarray(at, at + slice);
    at += next.length;
    res.write(next);
    setTimeout(tick, bytesPerSecond > 0 ? 100 : 0);
  };
  tick();
}
