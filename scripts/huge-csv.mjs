#!/usr/bin/env node
// huge-csv writes a large survey export for the "huge files" tests
// (issue 6): the columns of tests/browser/large.test.mjs's export plus a
// free-text comment column whose cells hold quoted commas, doubled quotes
// and line breaks (LF and CRLF) inside quotes, so a byte offset picked at
// random can fall inside a record. It streams: one chunk of about 1 MiB is
// built, written and dropped at a time, so memory does not grow with the
// size. The same size and seed always give the same bytes.
//
//   node scripts/huge-csv.mjs [--bytes SIZE] [--seed N] FILE
//
// SIZE is a byte count with an optional K, M or G suffix (powers of 1024;
// default 5G). The file is a little longer than SIZE: it ends after the
// record that reaches SIZE. It prints {"file", "bytes", "rows", "seed"}
// (rows: data records, the header not counted) and writes the same JSON
// to FILE.json, so a test can reuse the file and still know its rows.
// Write it to a temporary directory: generated data is never committed.
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

export const HEADER = 'respondent_id,submitted_at,nps,csat,ces,channel,region,comment';
export const DEFAULT_SEED = 20240606;

const CHANNELS = ['email', 'web', 'in_app', 'sms', 'phone'];
const REGIONS = ['NA', 'EMEA', 'APAC', 'LATAM'];
const WORDS = ['the', 'agent', 'was', 'slow', 'fast', 'helpful', 'refund', 'waited', 'two', 'days', 'delivery',
  'app', 'crashed', 'great', 'support', 'again', 'never', 'price', 'update', 'login', 'billing', 'thanks',
  'issue', 'resolved', 'chat', 'email', 'phone', 'order', 'late', 'kind', 'rude', 'clear', 'answer'];

// rng is a 32-bit xorshift generator (Marsaglia's 13/17/5 triple) seeded
// with seed; next(n) is an integer in [0, n).
export function rng(seed) {
  let x = (seed >>> 0) || 1;
  return (n) => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x % n;
  };
}

// Writer fills a byte buffer; a chunk is written out whenever it is full.
// Rows are put byte by byte (no string per row), so generating gigabytes
// makes no garbage and runs at disk speed rather than at the GC's.
class Writer {
  constructor(fd, chunk) {
    this.fd = fd;
    this.chunk = chunk;
    this.buf = Buffer.allocUnsafe(chunk + (64 << 10));
    this.p = 0;
    this.written = 0;
  }

  byte(c) { this.buf[this.p++] = c; }

  bytes(b) {
    const { buf } = this;
    let { p } = this;
    for (let i = 0; i < b.length; i++) buf[p++] = b[i];
    this.p = p;
  }

  // int puts a non-negative integer in decimal.
  int(n) {
    if (n >= 10) this.int(Math.floor(n / 10));
    this.buf[this.p++] = 48 + (n % 10);
  }

  pad2(n) {
    this.buf[this.p++] = 48 + Math.floor(n / 10);
    this.buf[this.p++] = 48 + (n % 10);
  }

  // flush writes the buffer out once it holds a chunk (or always, if
  // force).
  flush(force = false) {
    if (this.p < this.chunk && !(force && this.p > 0)) return;
    let off = 0;
    while (off < this.p) off += fs.writeSync(this.fd, this.buf, off, this.p - off);
    this.written += this.p;
    this.p = 0;
  }
}

const ascii = (s) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const CH = CHANNELS.map(ascii);
const RE = REGIONS.map(ascii);
const WO = WORDS.map(ascii);
const DATE = ascii(',2024-');
const Q = 34; const SP = 32; const COMMA = 44; const LF = 10; const CR = 13;

function words(w, next, n) {
  w.bytes(WO[next(WO.length)]);
  for (let k = 1; k < n; k++) {
    w.byte(SP);
    w.bytes(WO[next(WO.length)]);
  }
}

// comment puts the free-text cell: empty for about 40 % of rows, plain
// words, or a quoted cell with commas, doubled quotes and line breaks
// (LF, or CRLF and an empty line).
function comment(w, next) {
  const kind = next(20);
  if (kind < 8) return;
  if (kind < 12) { words(w, next, 1 + next(6)); return; }
  w.byte(Q);
  if (kind < 15) { // "a b, c d"
    words(w, next, 1 + next(4)); w.byte(COMMA); w.byte(SP); words(w, next, 1 + next(4));
  } else if (kind < 17) { // "a ""b"", c"
    words(w, next, 1 + next(3)); w.byte(SP); w.byte(Q); w.byte(Q); words(w, next, 1 + next(2));
    w.byte(Q); w.byte(Q); w.byte(COMMA); w.byte(SP); words(w, next, 1 + next(3));
  } else if (kind < 19) { // "a b\nc, d"
    words(w, next, 1 + next(5)); w.byte(LF); words(w, next, 1 + next(3)); w.byte(COMMA); w.byte(SP);
    words(w, next, 1 + next(3));
  } else { // "a b,\r\n\r\nc\n""d"""
    words(w, next, 2); w.byte(COMMA); w.byte(CR); w.byte(LF); w.byte(CR); w.byte(LF);
    words(w, next, 1 + next(4)); w.byte(LF); w.byte(Q); w.byte(Q); words(w, next, 1); w.byte(Q); w.byte(Q);
  }
  w.byte(Q);
}

// generate writes about bytes bytes of CSV to file and returns
// {file, bytes, rows, seed}.
export function generate(file, bytes, { seed = DEFAULT_SEED, chunk = 1 << 20 } = {}) {
  const next = rng(seed);
  const fd = fs.openSync(file, 'w');
  const w = new Writer(fd, chunk);
  let rows = 0;
  try {
    w.bytes(ascii(`${HEADER}\n`));
    while (w.written + w.p < bytes) {
      w.byte(114); // r
      w.int(rows);
      w.bytes(DATE);
      w.pad2(1 + next(12)); w.byte(45); w.pad2(1 + next(28)); w.byte(84); // MM-DDT
      w.pad2(next(24)); w.byte(58); w.pad2(next(60)); w.byte(58); w.pad2(next(60)); w.byte(90); w.byte(COMMA);
      // One in 50 NPS cells is blank (counted as excluded, not dropped).
      if (next(50) !== 0) w.int(next(11));
      w.byte(COMMA); w.int(1 + next(5));
      w.byte(COMMA); w.int(1 + next(7));
      w.byte(COMMA); w.bytes(CH[next(CH.length)]);
      w.byte(COMMA); w.bytes(RE[next(RE.length)]);
      w.byte(COMMA); comment(w, next);
      w.byte(LF);
      rows++;
      w.flush();
    }
    w.flush(true);
  } finally {
    fs.closeSync(fd);
  }
  const meta = { file, bytes: w.written, rows, seed };
  fs.writeFileSync(`${file}.json`, `${JSON.stringify(meta)}\n`);
  return meta;
}

// reuse returns the metadata generate wrote for file, if it still
// describes the file (same size); else null.
export function reuse(file) {
  try {
    const meta = JSON.parse(fs.readFileSync(`${file}.json`, 'utf8'));
    if (meta.bytes === fs.statSync(file).size && Number.isInteger(meta.rows)) return { ...meta, file };
  } catch { /* no metadata, or no file */ }
  return null;
}

// parseSize reads "5G", "500M", "64K" or a plain byte count.
export function parseSize(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMG]?)i?B?$/i.exec(String(text).trim());
  if (!m) throw new Error(`bad size ${JSON.stringify(text)}`);
  const unit = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 }[m[2].toUpperCase()];
  return Math.round(Number(m[1]) * unit);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  let bytes = parseSize('5G');
  let seed = DEFAULT_SEED;
  let file = null;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--bytes') bytes = parseSize(args[++i]);
    else if (args[i] === '--seed') seed = Number(args[++i]);
    else if (!args[i].startsWith('-') && !file) file = args[i];
    else {
      process.stderr.write(`usage: node scripts/huge-csv.mjs [--bytes SIZE] [--seed N] FILE\n`);
      process.exit(2);
    }
  }
  if (!file || !Number.isInteger(seed)) {
    process.stderr.write('usage: node scripts/huge-csv.mjs [--bytes SIZE] [--seed N] FILE\n');
    process.exit(2);
  }
  const t0 = Date.now();
  const meta = generate(file, bytes, { seed });
  process.stderr.write(`wrote ${meta.bytes} bytes, ${meta.rows} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  process.stdout.write(`${JSON.stringify(meta)}\n`);
}
