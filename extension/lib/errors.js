/**
 * Errors as the user should read them: the host's JSON-RPC codes (docs/PROTOCOL.md) and the browser's
 * native-messaging failures, each with the exact step that fixes it.
 */
import { ErrorCodes } from './error-codes.js';

export { ErrorCodes };

/** An error answered by the host, or raised by the client on the host's behalf (timeout, host gone). */
export class RpcError extends Error {
  constructor(code, message, data = undefined, hint = undefined) {
    super(message);
    this.name = 'RpcError';
    this.code = code;
    if (data !== undefined) this.data = data;
    this.hint = hint ?? hintForCode(code, data);
  }

  toJSON() {
    return { code: this.code, message: this.message, data: this.data, hint: this.hint };
  }
}

/** Client-side codes. Strings, so they can never collide with a JSON-RPC integer code the host adds later. */
export const ClientErrors = Object.freeze({
  HOST_UNAVAILABLE: 'host-unavailable',
  TIMEOUT: 'timeout',
  BAD_RESULT: 'bad-result',
  UI_DISCONNECTED: 'ui-disconnected',
  INVALID_INPUT: 'invalid-input',
});

export const INSTALL_FIX = 'Run install/install.sh from the llmcp repository (install/install.ps1 on Windows), '
  + 'then reload the extension.';

/** The browser's own words when a native port fails, mapped to what the person should do. */
const NATIVE_FAILURES = [
  {
    match: /host not found/i,
    summary: 'The llmcp native host is not installed for this browser.',
    hint: INSTALL_FIX,
  },
  {
    match: /forbidden/i,
    summary: 'The native host does not allow this extension.',
    hint: 'The host manifest lists other extension ids. Re-run install/install.sh '
      + '(or `llmcp install --extension-id <this id>`), then reload the extension.',
  },
  {
    match: /host has exited|exited/i,
    summary: 'The native host exited.',
    hint: 'Run `llmcp doctor` to see why (Java 17+, launcher, store lock); the host log is under <LLMCP_HOME>/logs.',
  },
  {
    match: /handshake/i,
    summary: 'The native host started but did not answer.',
    hint: 'It may still be opening its store, or another version is installed: run `llmcp doctor`, then Reconnect.',
  },
  {
    match: /error when communicating|invalid|failed to start/i,
    summary: 'The native host could not be started or spoke something other than native messaging.',
    hint: 'Run `llmcp doctor`; check that Java 17 or newer is installed and that install/install.sh completed.',
  },
];

/** Explains a `runtime.lastError` / `port.error` text from a native port. */
export function explainNativeFailure(text) {
  const raw = text || 'the native port closed';
  for (const f of NATIVE_FAILURES) {
    if (f.match.test(raw)) return { summary: f.summary, hint: f.hint, raw };
  }
  return { summary: `The connection to the native host closed (${raw}).`, hint: INSTALL_FIX, raw };
}

/** What to do about a host error code; undefined when the message says it all. */
export function hintForCode(code, data) {
  // A remote server's failure (the host names it in data.remote) is about that server, not about a download.
  if (typeof data?.remote === 'string') return remoteHint(code, data);
  switch (code) {
    case ClientErrors.HOST_UNAVAILABLE: return INSTALL_FIX;
    case ClientErrors.TIMEOUT: return 'The host did not answer in time; it may be busy. Try again, or check `llmcp doctor`.';
    case ErrorCodes.METHOD_NOT_FOUND:
      return 'This host does not offer that yet: update it (git pull, then install/install.sh).';
    case ErrorCodes.ORIGIN_REFUSED: return 'Add this extension id to the host: `llmcp install --extension-id <id>`.';
    case ErrorCodes.STORE_UNAVAILABLE:
      return data?.pid ? `The model store is locked by process ${data.pid}; close that llmcp process and try again.`
        : 'The model store could not be opened; run `llmcp doctor`.';
    case ErrorCodes.STORE_CORRUPT: return 'Run Verify on the model, then download it again; `llmcp gc` cleans leftovers.';
    case ErrorCodes.QUOTA_EXCEEDED: return 'Raise the storage quota (Storage tab) or delete models you no longer need.';
    case ErrorCodes.DISK_FULL: return 'The disk holding the model store is full: free space, then resume the download.';
    case ErrorCodes.DOWNLOAD_FAILED: return 'The server or network failed after retries; resume the download later.';
    case ErrorCodes.HTTP_UNAUTHORIZED:
      return 'This repository is gated: accept its license on the model page, then give the host a token '
        + '(Status tab → Hugging Face token, or `llmcp config set fetch.token`). The host keeps it, never the browser.';
    case ErrorCodes.HTTP_NOT_FOUND:
      return `The server has no such file${data?.url ? ` (${data.url})` : ''}: check the repository URL and the file names.`;
    case ErrorCodes.VERIFY_FAILED: return 'The downloaded file did not match its checksum and was removed; download it again.';
    case ErrorCodes.URL_REFUSED: return 'Use an https:// URL (http only to localhost) and relative file names without "..".';
    case ErrorCodes.MODEL_INVALID:
      return data?.reason === 'no-tokenizer'
        ? 'This repository cannot chat: it has no tokenizer.json. Pick an onnx-community/… (transformers.js) repository.'
        : 'The model files are incomplete or not a supported ONNX text model.';
    case ErrorCodes.ENGINE_UNAVAILABLE: return 'The engine restarted; try again.';
    case ErrorCodes.BUSY: return 'The host is busy or shutting down; try again in a moment.';
    default: return undefined;
  }
}

/** What to do about a failure of the remote server `data.remote` (docs/PROTOCOL.md, "Remote providers"). */
function remoteHint(code, data) {
  const where = 'Settings → Remote servers';
  switch (code) {
    case ErrorCodes.HTTP_UNAUTHORIZED:
      return `The server "${data.remote}" wants an API key, or another one: add it again under the same name with its key (${where}). `
        + 'The key is kept by the host, never by the extension.';
    case ErrorCodes.DOWNLOAD_FAILED:
    case ErrorCodes.INFERENCE_FAILED:
      return `Check that the server "${data.remote}" is running and reachable from this computer, and that its URL's host and port are right (${where}, Test).`;
    case ErrorCodes.HTTP_NOT_FOUND:
      return 'Give the API base URL: it ends in /v1 for most servers (vLLM, Ollama, llama.cpp, LM Studio, llmcp serve).';
    case ErrorCodes.URL_REFUSED:
      return 'Give the address the server redirects to: redirects are not followed, so a key never leaves its server.';
    case ErrorCodes.NOT_FOUND:
      return `The server "${data.remote}" does not offer that model: Test it (${where}) to see what it offers.`;
    default: return undefined;
  }
}

/** A plain object that survives `postMessage` (Error instances do not). */
export function serializeError(err) {
  if (err instanceof RpcError) return err.toJSON();
  return { code: ErrorCodes.INTERNAL_ERROR, message: err?.message ?? String(err) };
}

export function deserializeError(obj) {
  return new RpcError(obj?.code ?? ErrorCodes.INTERNAL_ERROR, obj?.message ?? 'unknown error', obj?.data, obj?.hint);
}
