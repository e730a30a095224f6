/**
 * Remote servers: OpenAI-compatible servers the engine offers models from, as `NAME/MODEL`. The rules a
 * person's input must meet before `remotes.add` (the host checks the same again and is the authority: other
 * clients exist), and how a model in `models.list` is known to be remote.
 */
import { isLoopbackHost } from './validate.js';

/** As the host's RemoteSettings.NAME: it prefixes model ids, so no '/', no spaces, at most 64 characters. */
export const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const MAX_URL = 2048;
const MAX_KEY = 4096;

/**
 * Checks the add form. The key is returned as typed (never trimmed into something else) and only when given.
 * @returns `{remote: {name, url, apiKey?}}` or `{errors: {field: message}}`
 */
export function validateRemote({ name, url, apiKey } = {}) {
  const errors = {};
  const n = String(name ?? '').trim();
  if (!n) errors.name = 'Enter a name, e.g. work or lab.';
  else if (!REMOTE_NAME.test(n)) {
    errors.name = 'Letters, digits, . _ - only (at most 64), starting with a letter or digit: it prefixes the model ids (NAME/MODEL).';
  }
  const u = String(url ?? '').trim();
  const urlError = checkRemoteUrl(u);
  if (urlError) errors.url = urlError;
  const key = String(apiKey ?? '');
  if (key) {
    if (key.length > MAX_KEY) errors.apiKey = `At most ${MAX_KEY} characters.`;
    else if (!/^[\x21-\x7e]+$/.test(key)) errors.apiKey = 'Visible ASCII characters only: no spaces or line breaks.';
  }
  if (Object.keys(errors).length) return { errors };
  const remote = { name: n, url: u };
  if (key) remote.apiKey = key;
  return { remote };
}

/** An API base the host will talk to: https, or http to this machine; no credentials, query or fragment. */
export function checkRemoteUrl(text) {
  if (!text) return 'Enter the API base URL, e.g. https://llm.example.com/v1.';
  if (text.length > MAX_URL) return `At most ${MAX_URL} characters.`;
  let url;
  try {
    url = new URL(text);
  } catch {
    return 'This is not a URL. Use https://host/v1 (or http://127.0.0.1:PORT/v1 on this computer).';
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) return 'Use https:// — plain http:// only to this computer (localhost, 127.0.0.1).';
  } else if (url.protocol !== 'https:') {
    return `The ${url.protocol.replace(':', '')} scheme is not allowed: use https://.`;
  }
  if (url.username || url.password) return 'Do not put credentials in the URL: use the API key field.';
  if (url.search || url.hash) return 'Remove the ?query or #fragment: give the API base, e.g. https://host/v1.';
  return null;
}

/** The remote a model of `models.list` comes from, or null for a model of this computer's store. */
export function remoteOf(model) {
  return typeof model?.remote === 'string' && model.remote ? model.remote : null;
}

export function isRemoteModel(model) {
  return remoteOf(model) !== null;
}

/** The model's id on its remote: `work/gpt-x` → `gpt-x`. */
export function remoteModelName(model) {
  const id = String(model?.modelId ?? '');
  const remote = remoteOf(model);
  return remote && id.startsWith(`${remote}/`) ? id.slice(remote.length + 1) : id;
}

/** Remote models grouped by remote, in the order they came: `[[name, [model…]]…]`. */
export function groupByRemote(models) {
  const groups = new Map();
  for (const m of models ?? []) {
    const r = remoteOf(m);
    if (!r) continue;
    if (!groups.has(r)) groups.set(r, []);
    groups.get(r).push(m);
  }
  return [...groups.entries()];
}
