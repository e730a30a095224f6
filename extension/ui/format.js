/** Human-readable numbers for the UI (decimal units, as model repositories list sizes). */

export function formatBytes(bytes) {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '–';
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = Math.abs(bytes);
  let i = 0;
  while (value >= 1000 && i < units.length - 1) { value /= 1000; i++; }
  const digits = i === 0 ? 0 : value < 10 ? 2 : value < 100 ? 1 : 0;
  return `${bytes < 0 ? '-' : ''}${value.toFixed(digits)} ${units[i]}`;
}

export function formatSpeed(bytesPerSecond) {
  if (!bytesPerSecond) return '–';
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatEta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '–';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function percent(done, total) {
  if (!total) return 0;
  return Math.max(0, Math.min(100, Math.floor((done / total) * 100)));
}

export function formatDate(ms) {
  if (!ms) return 'never';
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? 'never' : d.toLocaleString();
}
