/**
 * Validation of what a person types into the "add a model" form, before anything reaches the host.
 * The host validates again (it must: other clients exist); this gives instant, field-level messages.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);
const MODEL_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const HF_SHORTHAND = /^([A-Za-z0-9][A-Za-z0-9._-]*)\/([A-Za-z0-9][A-Za-z0-9._-]*)$/;

export const DEFAULT_MODEL_FILE = 'onnx/model.onnx';
export const DEFAULT_CONFIG_FILE = 'config.json';

/** True for hosts where plain http is acceptable (tests, local mirrors). */
export function isLoopbackHost(hostname) {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}

/**
 * Checks a repository URL and returns the base URL the host fetches files under.
 * Accepts `org/repo` (a Hugging Face repo) and `https://huggingface.co/org/repo` page URLs, turning both
 * into `.../resolve/main/`.
 * @returns `{ok: true, url}` or `{ok: false, error}`
 */
export function validateRepoUrl(input) {
  const text = String(input ?? '').trim();
  if (!text) return { ok: false, error: 'Enter the repository URL.' };
  const shorthand = HF_SHORTHAND.exec(text);
  if (shorthand && !text.includes(':')) {
    return { ok: true, url: `https://huggingface.co/${shorthand[1]}/${shorthand[2]}/resolve/main/` };
  }
  // The URL parser silently folds "/a/../b" (and "%2e%2e"): refuse what the person typed instead.
  if (/\/(?:\.|%2e){1,2}(?:\/|$|\?|#)/i.test(text)) {
    return { ok: false, error: 'The URL path must not contain "." or ".." segments.' };
  }
  let url;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, error: 'This is not a URL. Use https://… or org/repo.' };
  }
  if (url.protocol === 'http:') {
    if (!isLoopbackHost(url.hostname)) {
      return { ok: false, error: 'Only https:// URLs are allowed (http:// only for localhost / 127.0.0.1).' };
    }
  } else if (url.protocol !== 'https:') {
    return { ok: false, error: `The ${url.protocol.replace(':', '')} scheme is not allowed: use https://.` };
  }
  if (url.username || url.password) {
    return { ok: false, error: 'Do not put credentials in the URL; tokens are configured on the host.' };
  }
  if (url.search || url.hash) {
    return { ok: false, error: 'Remove the ?query or #fragment from the URL.' };
  }
  let path = url.pathname;
  // A Hugging Face model page (/org/repo or /org/repo/tree/main) → its file URL base.
  if (url.hostname === 'huggingface.co') {
    const m = /^\/([^/]+)\/([^/]+)(?:\/(?:tree|blob|resolve)\/([^/]+))?\/?$/.exec(path);
    if (m) path = `/${m[1]}/${m[2]}/resolve/${m[3] ?? 'main'}/`;
  }
  if (path.split('/').some((seg) => seg === '..' || seg === '.')) {
    return { ok: false, error: 'The URL path must not contain "." or ".." segments.' };
  }
  return { ok: true, url: `${url.origin}${path}` };
}

/**
 * A file name inside the repository: relative, forward slashes, no `..`, no control characters.
 * @returns an error message, or null when the name is fine
 */
export function checkRelativePath(name, label = 'File name') {
  const text = String(name ?? '');
  if (!text.trim()) return `${label} is required.`;
  if (text !== text.trim()) return `${label} must not start or end with spaces.`;
  if (text.length > 512) return `${label} is too long.`;
  if (/[\u0000-\u001f\u007f]/.test(text)) return `${label} must not contain control characters.`;
  if (text.includes('\\')) return `${label} must use forward slashes (/), not backslashes.`;
  if (text.startsWith('/') || /^[A-Za-z]:/.test(text)) return `${label} must be relative to the repository.`;
  const segments = text.split('/');
  if (segments.some((s) => s === '..')) return `${label} must not contain "..".`;
  if (segments.some((s) => s === '' || s === '.')) return `${label} has an empty or "." path segment.`;
  return null;
}

export function checkModelId(id) {
  const text = String(id ?? '');
  if (!text) return 'Model id is required.';
  if (!MODEL_ID.test(text)) {
    return 'Model id: letters, digits, ".", "_" and "-" only, starting with a letter or digit (max 128).';
  }
  return null;
}

/** A model id derived from a URL's repository name: `.../org/Repo-Name/resolve/main/` → `repo-name`. */
export function suggestModelId(url) {
  try {
    const parts = new URL(url).pathname.split('/').filter(Boolean);
    const resolveAt = parts.indexOf('resolve');
    const name = resolveAt > 0 ? parts[resolveAt - 1] : parts[parts.length - 1];
    const id = String(name ?? '').toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z0-9]+/, '');
    return id.slice(0, 128) || 'model';
  } catch {
    return 'model';
  }
}

/**
 * Normalises form input (or an imported object) into a ModelConfig.
 * @returns `{config}` when valid, else `{errors: {field: message}}`
 */
export function normalizeModelConfig(input) {
  const errors = {};
  const repo = validateRepoUrl(input?.url);
  if (!repo.ok) errors.url = repo.error;
  const modelFileName = String(input?.modelFileName ?? '').trim() || DEFAULT_MODEL_FILE;
  const configFileName = String(input?.configFileName ?? '').trim() || DEFAULT_CONFIG_FILE;
  const exData = String(input?.modelExDataFileName ?? '').trim();
  const modelId = String(input?.modelId ?? '').trim() || (repo.ok ? suggestModelId(repo.url) : '');
  const name = String(input?.name ?? '').trim() || modelId;

  const idError = checkModelId(modelId);
  if (idError) errors.modelId = idError;
  const fileError = checkRelativePath(modelFileName, 'Model file');
  if (fileError) errors.modelFileName = fileError;
  const configError = checkRelativePath(configFileName, 'Config file');
  if (configError) errors.configFileName = configError;
  if (exData) {
    const exError = checkRelativePath(exData, 'External data file');
    if (exError) errors.modelExDataFileName = exError;
  }
  if (name.length > 200) errors.name = 'Name is too long (200 characters at most).';
  let size;
  if (input?.size !== undefined && input?.size !== null && input?.size !== '') {
    size = Number(input.size);
    if (!Number.isFinite(size) || size < 0) errors.size = 'Size must be a positive number of bytes.';
  }
  if (Object.keys(errors).length) return { errors };

  let url = repo.url;
  // The host accepts a URL that already ends with the model file; keep the base so file names stay relative.
  if (url.endsWith(`/${modelFileName}`)) url = url.slice(0, -modelFileName.length);
  if (!url.endsWith('/')) url += '/';
  const config = { modelId, name, url, modelFileName, configFileName };
  if (exData) config.modelExDataFileName = exData;
  if (size !== undefined) config.size = size;
  return { config };
}
