#!/usr/bin/env node
// Writes the benchmark's survey export, the same rows twice: a CSV and a
// Parquet file (hyparquet-writer, a writer that shares no code with
// cxaudit). Deterministic: a fixed seed, so every run gives the same bytes.
//
//   node generate.mjs [--rows N] [--out DIR] [--force]
//
// Columns (shaped like surveyCSV in core/engine/bench_test.go):
//   respondent_id  r0000000…
//   submitted_at   an ISO 8601 UTC timestamp in 2024 (Parquet: TIMESTAMP millis)
//   channel        email / web / in_app / sms
//   region         EMEA / NA / APAC / LATAM
//   nps            0–10, skewed towards 7–10 as real surveys are; ~1 % dirt: "N/A", "", "11", "7.5", "ten"
//                  (Parquet: STRING, blank → null)
//   csat           1–5 (Parquet: INT32)
//   ces            1–7 (Parquet: INT32)
//   comment        free text; quoted commas, doubled quotes, embedded
//                  newlines; about 15 % empty (Parquet: STRING, "" → null)
//
// Beside the data it writes survey-LABEL.expected.json: the point values
// computed here from the values as generated (not by parsing the files),
// the truth every contender of run.mjs must reproduce.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parquetWriteFile } from 'hyparquet-writer';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(HERE, '../..');
export const OUT = path.join(ROOT, 'dist/bench');
const VERSION = 2; // bump when the data changes, so old files are regenerated
const SEED = 20240501;

export const CHANNELS = ['email', 'web', 'in_app', 'sms'];
const REGIONS = ['EMEA', 'NA', 'APAC', 'LATAM'];
const DIRT = ['N/A', '', '11', '7.5', 'ten'];
const PHRASES = [
  'Great support', 'Quick answer', 'The agent was friendly', 'Took too long to get a reply',
  'Slow, but friendly', 'Billing is confusing', 'Love the new dashboard', 'App crashed twice',
  'Easy to set up', 'Could not find the export button', 'Refund processed, thanks',
  'He said "fine" and closed the ticket', 'Please add dark mode', 'Five stars', 'meh',
  'Had to explain my issue three times', 'Pricing, plans and limits are unclear',
  'The SMS link expired', 'Works as expected', 'Support solved it in one call',
  'Search is slow on mobile', 'Onboarding email was helpful', 'Not sure yet',
  'Keep it up!', 'Too many surveys', 'Checkout failed; card declined twice',
];

export function label(rows) {
  if (rows % 1000000 === 0) return `${rows / 1000000}m`;
  if (rows % 1000 === 0) return `${rows / 1000}k`;
  return String(rows);
}

export function paths(rows, out = OUT) {
  const base = path.join(out, `survey-${label(rows)}`);
  return { csv: `${base}.csv`, parquet: `${base}.parquet`, expected: `${base}.expected.json`, meta: `${base}.meta.json` };
}

// mulberry32: a small 32-bit generator; uniform enough for test data.
function rng32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6D2B79F5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function csvField(s) {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

function pad(n, w = 2) {
  return String(n).padStart(w, '0');
}

// Score distributions of a typical product survey (weights, not uniform).
const NPS_W = [3, 2, 2, 3, 3, 6, 8, 14, 18, 20, 21]; // 0–10
const CSAT_W = [5, 7, 15, 38, 35]; // 1–5
const CES_W = [4, 6, 10, 15, 25, 22, 18]; // 1–7

function picker(rnd, weights) {
  const cum = [];
  let t = 0;
  for (const w of weights) cum.push(t += w);
  return () => {
    const x = rnd() * t;
    let i = 0;
    while (x >= cum[i]) i++;
    return i;
  };
}

const YEAR_START = Date.UTC(2024, 0, 1);
const YEAR_SECONDS = 366 * 86400; // 2024 is a leap year

export function generate(rows, out = OUT) {
  fs.mkdirSync(out, { recursive: true });
  const p = paths(rows, out);
  const rnd = rng32(SEED);
  const int = (n) => Math.floor(rnd() * n);
  const npsScore = picker(rnd, NPS_W);
  const csatScore = picker(rnd, CSAT_W);
  const cesScore = picker(rnd, CES_W);

  const cols = {
    respondent_id: new Array(rows), submitted_at: new Array(rows), channel: new Array(rows),
    region: new Array(rows), nps: new Array(rows), csat: new Int32Array(rows), ces: new Int32Array(rows),
    comment: new Array(rows),
  };
  const truth = {
    nps: { promoters: 0, detractors: 0, n: 0 }, csat: { top2: 0, n: 0 }, ces: { sum: 0, n: 0 },
    by_channel: Object.fromEntries(CHANNELS.map((c) => [c, { promoters: 0, detractors: 0, n: 0 }])),
    nps_dirt: Object.fromEntries(DIRT.map((d) => [d, 0])),
  };

  const fd = fs.openSync(p.csv, 'w');
  fs.writeSync(fd, 'respondent_id,submitted_at,channel,region,nps,csat,ces,comment\n');
  let lines = [];
  for (let i = 0; i < rows; i++) {
    const ms = YEAR_START + int(YEAR_SECONDS) * 1000;
    const d = new Date(ms);
    const ts = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
    const channel = CHANNELS[int(4)];
    const region = REGIONS[int(4)];
    let nps = String(npsScore());
    if (int(100) === 0) nps = DIRT[int(DIRT.length)];
    const csat = 1 + csatScore();
    const ces = 1 + cesScore();
    let comment = '';
    const k = int(20);
    if (k >= 3) { // ~85 % have a comment: 1–4 phrases, sometimes on several lines
      const parts = [PHRASES[int(PHRASES.length)]];
      if (k >= 6) parts.push(PHRASES[int(PHRASES.length)]);
      if (k >= 12) parts.push(PHRASES[int(PHRASES.length)]);
      if (k >= 17) parts.push(PHRASES[int(PHRASES.length)]);
      comment = parts.join(int(8) === 0 ? '\n' : '. ');
    }

    const id = `r${pad(i, 7)}`;
    lines.push(`${id},${ts},${channel},${region},${nps},${csat},${ces},${csvField(comment)}`);
    cols.respondent_id[i] = id;
    cols.submitted_at[i] = d;
    cols.channel[i] = channel;
    cols.region[i] = region;
    cols.nps[i] = nps === '' ? null : nps;
    cols.csat[i] = csat;
    cols.ces[i] = ces;
    cols.comment[i] = comment === '' ? null : comment;

    if (/^\d+$/.test(nps) && Number(nps) <= 10) {
      const v = Number(nps);
      const g = truth.by_channel[channel];
      truth.nps.n++; g.n++;
      if (v >= 9) { truth.nps.promoters++; g.promoters++; }
      if (v <= 6) { truth.nps.detractors++; g.detractors++; }
    } else {
      truth.nps_dirt[nps]++;
    }
    truth.csat.n++;
    if (csat >= 4) truth.csat.top2++;
    truth.ces.n++;
    truth.ces.sum += ces;

    if (lines.length === 20000) {
      fs.writeSync(fd, `${lines.join('\n')}\n`);
      lines = [];
    }
  }
  if (lines.length) fs.writeSync(fd, `${lines.join('\n')}\n`);
  fs.closeSync(fd);

  parquetWriteFile({
    filename: p.parquet,
    columnData: [
      { name: 'respondent_id', data: cols.respondent_id, type: 'STRING' },
      { name: 'submitted_at', data: cols.submitted_at, type: 'TIMESTAMP' },
      { name: 'channel', data: cols.channel, type: 'STRING' },
      { name: 'region', data: cols.region, type: 'STRING' },
      { name: 'nps', data: cols.nps, type: 'STRING' },
      { name: 'csat', data: cols.csat, type: 'INT32' },
      { name: 'ces', data: cols.ces, type: 'INT32' },
      { name: 'comment', data: cols.comment, type: 'STRING' },
    ],
    rowGroupSize: 100000,
    createdBy: 'hyparquet-writer 0.17.0 (cxaudit scripts/bench)',
  });

  const npsOf = (c) => (c.n ? (100 * (c.promoters - c.detractors)) / c.n : null);
  const expected = {
    rows,
    nps: npsOf(truth.nps),
    nps_n: truth.nps.n,
    csat_top2: truth.csat.n ? (100 * truth.csat.top2) / truth.csat.n : null,
    csat_n: truth.csat.n,
    ces_mean: truth.ces.n ? truth.ces.sum / truth.ces.n : null,
    ces_n: truth.ces.n,
    nps_by_channel: Object.fromEntries(CHANNELS.map((c) => [c, { nps: npsOf(truth.by_channel[c]), n: truth.by_channel[c].n }])),
    nps_dirt: truth.nps_dirt,
  };
  fs.writeFileSync(p.expected, `${JSON.stringify(expected, null, 2)}\n`);
  const meta = {
    version: VERSION, seed: SEED, rows,
    csv_bytes: fs.statSync(p.csv).size, parquet_bytes: fs.statSync(p.parquet).size,
  };
  fs.writeFileSync(p.meta, `${JSON.stringify(meta, null, 2)}\n`);
  return { ...p, meta, expected };
}

// ensure generates the files for rows unless they exist from this version.
export function ensure(rows, { out = OUT, force = false, log = console.error } = {}) {
  const p = paths(rows, out);
  if (!force) {
    try {
      const meta = JSON.parse(fs.readFileSync(p.meta, 'utf8'));
      if (meta.version === VERSION && meta.seed === SEED && meta.rows === rows
        && fs.statSync(p.csv).size === meta.csv_bytes && fs.statSync(p.parquet).size === meta.parquet_bytes) {
        return { ...p, meta, expected: JSON.parse(fs.readFileSync(p.expected, 'utf8')) };
      }
    } catch { /* missing or stale: generate */ }
  }
  const t0 = Date.now();
  log(`generating ${rows} rows → ${path.relative(ROOT, p.csv)}, ${path.basename(p.parquet)} …`);
  const r = generate(rows, out);
  log(`  ${(r.meta.csv_bytes / 1e6).toFixed(1)} MB CSV, ${(r.meta.parquet_bytes / 1e6).toFixed(1)} MB Parquet in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return r;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 ? args[i + 1] : def;
  };
  const rowsList = String(opt('--rows', process.env.ROWS || '100000,1000000')).split(',').map(Number);
  for (const rows of rowsList) {
    if (!Number.isInteger(rows) || rows < 1) throw new Error(`bad --rows ${rows}`);
    ensure(rows, { out: path.resolve(opt('--out', OUT)), force: args.includes('--force') });
  }
}
