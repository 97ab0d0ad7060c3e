// A 1 GB CSV, generated here (never committed), analysed in the tab: the
// file is streamed in 4 MiB File.slice chunks, so the tab's memory must not
// grow with the file. Memory is the resident size (RSS, from /proc) of the
// chromium processes of this test's profile, sampled every 250 ms; the
// renderer holds the page and its worker (the Go heap). Run by
// `make test-browser-1gb` (CXAUDIT_1GB=1); too slow for `make test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, openPage, analyse, exportJSON, ensureOut } from './harness.mjs';

const SIZE = Number(process.env.CXAUDIT_LARGE_BYTES || 1 << 30);
let server; let browser; let tmp;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cxaudit-1gb-'));
  server = await startServer();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

function generate(file, size) {
  const fd = fs.openSync(file, 'w');
  fs.writeSync(fd, 'respondent_id,submitted_at,nps,csat,ces,channel,region\n');
  const channels = ['email', 'web', 'in_app', 'sms'];
  const regions = ['NA', 'EMEA', 'APAC', 'LATAM'];
  let written = 0; let i = 0;
  while (written < size) {
    const lines = [];
    for (let k = 0; k < 50000; k++, i++) {
      const m = 1 + (i % 12);
      lines.push(`r${i},2024-${String(m).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:15:00Z,${(i * 7) % 11},${1 + ((i * 3) % 5)},${1 + ((i * 5) % 7)},${channels[i % 4]},${regions[(i >> 2) % 4]}`);
    }
    const buf = Buffer.from(`${lines.join('\n')}\n`);
    fs.writeSync(fd, buf);
    written += buf.length;
  }
  fs.closeSync(fd);
  return i;
}

// rss returns the summed and the largest RSS (bytes) of the processes
// whose command line mentions dir (this test's chromium profile).
function rss(dir) {
  let total = 0; let largest = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(dir)) continue;
      const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
      if (!m) continue;
      const b = Number(m[1]) * 1024;
      total += b;
      largest = Math.max(largest, b);
    } catch { /* gone */ }
  }
  return { total, largest };
}

test('a 1 GB CSV is analysed without the tab\'s memory growing with the file', { skip: process.env.CXAUDIT_1GB ? false : 'set CXAUDIT_1GB=1 (make test-browser-1gb)', timeout: 30 * 60 * 1000 }, async (t) => {
  const file = path.join(tmp, 'survey_1gb.csv');
  const rows = generate(file, SIZE);
  const bytes = fs.statSync(file).size;
  const page = await openPage(browser.ctx, server.url);
  const profile = browser.dir;
  await page.waitForTimeout(500);
  const base = rss(profile);
  let peak = { total: 0, largest: 0 };
  const timer = setInterval(() => {
    const r = rss(profile);
    peak = { total: Math.max(peak.total, r.total), largest: Math.max(peak.largest, r.largest) };
  }, 250);
  const t0 = Date.now();
  let state;
  try {
    state = await analyse(page, file, 25 * 60 * 1000);
  } finally {
    clearInterval(timer);
  }
  const secs = (Date.now() - t0) / 1000;
  assert.equal(state, 'done', await page.textContent('#error'));
  const doc = JSON.parse(await exportJSON(page));
  assert.equal(doc.rows, rows);
  const mb = (n) => `${(n / 1048576).toFixed(0)} MB`;
  const note = {
    file_bytes: bytes, rows, seconds: +secs.toFixed(1), mb_per_s: +(bytes / 1048576 / secs).toFixed(1),
    rss_before_total: base.total, rss_peak_total: peak.total, rss_before_largest: base.largest, rss_peak_largest: peak.largest,
    growth_total: peak.total - base.total,
  };
  fs.writeFileSync(path.join(ensureOut(), 'large-file-memory.json'), `${JSON.stringify(note, null, 2)}\n`);
  t.diagnostic(`${mb(bytes)} (${rows} rows) in ${secs.toFixed(1)} s (${note.mb_per_s} MB/s); chromium RSS ${mb(base.total)} before, peak ${mb(peak.total)} (largest process ${mb(base.largest)} → ${mb(peak.largest)})`);
  assert.ok(peak.total - base.total < Math.min(bytes / 2, 600 * 1048576), `memory grew by ${mb(peak.total - base.total)} for a ${mb(bytes)} file`);
});
