/** Light/dark theme: follows the system unless the person picks one (kept in storage.local). */
const KEY = 'theme';
const ORDER = ['system', 'light', 'dark'];
const LABELS = { system: 'Theme: system', light: 'Theme: light', dark: 'Theme: dark' };

export async function initTheme(storage, button) {
  let theme = (await storage.get(KEY))?.[KEY] ?? 'system';
  const apply = () => {
    if (theme === 'system') document.documentElement.removeAttribute('data-theme');
    else document.documentElement.setAttribute('data-theme', theme);
    if (button) {
      button.textContent = theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐';
      button.setAttribute('aria-label', `${LABELS[theme]} (click to change)`);
      button.title = LABELS[theme];
    }
  };
  apply();
  button?.addEventListener('click', async () => {
    theme = ORDER[(ORDER.indexOf(theme) + 1) % ORDER.length];
    apply();
    await storage.set({ [KEY]: theme });
  });
}
