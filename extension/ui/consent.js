/** The extension's own consent prompt for the page API (opened by background/page-api.js). */
import { extensionApi } from '../lib/browser.js';

const api = extensionApi();
const q = new URLSearchParams(location.search);
document.getElementById('origin').textContent = q.get('origin') ?? '';
document.getElementById('model').textContent = q.get('model') || '(no model installed yet)';
for (const decision of ['once', 'always', 'deny']) {
  document.getElementById(decision).addEventListener('click', async () => {
    await api.runtime.sendMessage({ type: 'llmcp-consent', requestId: q.get('requestId'), decision });
    window.close();
  });
}
