/**
 * A loopback Hugging Face Hub with one gated ONNX repo, for HF_ENDPOINT: the search (`/api/models?search=…`, the
 * repo when the text is part of its name), the tree listing with sizes (`/api/models/<repo>/tree/main`), and the
 * files (`/<repo>/resolve/main/<file>`), which, like a gated repo's, answer 401 without `Authorization: Bearer <token>`.
 */
import { createServer } from 'node:http';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { modelFiles } from './model-server.js';

export async function startHubServer(rootDir, { repo, token, license = 'apache-2.0' }) {
  const requests = [];
  const files = modelFiles(rootDir, { prefix: `/${repo}/resolve/main/`, bytesPerSecond: 50_000_000 });
  const json = (res, value) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(value));
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ method: req.method, path: url.pathname, search: url.search, authorization: req.headers.authorization ?? null });
    if (url.pathname === '/api/models') {
      const text = (url.searchParams.get('search') ?? '').toLowerCase();
      const hits = repo.toLowerCase().includes(text) ? [{
        _id: '1', id: repo, downloads: 1234, likes: 5, gated: 'manual', tags: ['onnx', 'transformers.js', `license:${license}`],
        pipeline_tag: 'text-generation', library_name: 'transformers.js',
      }] : [];
      json(res, hits);
      return;
    }
    if (url.pathname === `/api/models/${repo}/tree/main`) {
      json(res, listFiles(rootDir).map((path) => ({ type: 'file', path, size: statSync(join(rootDir, path)).size })));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('Access to this repo is restricted');
      return;
    }
    files(req, res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    hostPort: `127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => { server.closeAllConnections?.(); server.close(resolve); }),
  };
}

function listFiles(root) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}
