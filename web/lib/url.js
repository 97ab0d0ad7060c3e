// Settings kept in the URL (never data): theme, confidence level, the
// result tab, a sample to open, and the number of workers. Pure functions: tested with node --test.

export const DEFAULTS = { theme: 'auto', confidence: '', sample: '', workers: '' };
const THEMES = ['auto', 'light', 'dark'];
const SAMPLES = ['survey', 'tickets', 'customers', 'events'];

// readSettings parses a query string into settings, dropping what is not
// a known setting or value.
export function readSettings(search) {
  const q = new URLSearchParams(search);
  const s = { ...DEFAULTS };
  if (THEMES.includes(q.get('theme'))) s.theme = q.get('theme');
  const c = Number(q.get('confidence'));
  if (q.get('confidence') && c > 0 && c < 1) s.confidence = String(c);
  if (SAMPLES.includes(q.get('sample'))) s.sample = q.get('sample');
  // How many Web Workers read one file ('' = one per core but one, 1 to
  // 4: engine.js defaultWorkers).
  const w = Number(q.get('workers'));
  if (Number.isInteger(w) && w >= 1 && w <= 16) s.workers = String(w);
  return s;
}

// writeSettings renders settings as a query string ("" when all default).
export function writeSettings(s) {
  const q = new URLSearchParams();
  for (const k of Object.keys(DEFAULTS)) if (s[k] && s[k] !== DEFAULTS[k]) q.set(k, s[k]);
  const out = q.toString();
  return out ? `?${out}` : '';
}
