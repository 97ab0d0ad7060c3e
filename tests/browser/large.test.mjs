// A 1 GB CSV, generated here (never committed), analysed in the tab: the
// file is streamed in 4 MiB File.slice chunks, so the tab's memory must not
// grow with the file. Memory is the resident size (RSS, from /proc) of the
// chromium processes of this test's profile, sampled every 250 ms; the
// renderer holds the page and its worker (the Go heap). Run by
// `make test-browser-1gb` (CXAUDIT_1GB=1); too slow for `make test`.
//
// Huge files (issue 6), from scripts/huge-csv.mjs (the same export plus a
// free-text comment column with quoted commas and line breaks), in a
// temporary directory, deleted at the end; CXAUDIT_HUGE_CSV=FILE reuses a
// file written by that script instead (kept), CXAUDIT_HUGE_BYTES sets the
// size (default 5G):
//   - `make test-browser-5gb` (CXAUDIT_5GB=1): 5 GB through the page on the
//     default workers, with memory, rows and speed; then the same file
//     again, Cancel after ~10 s (latency until the page is idle, until the
//     workers' last file read and until their threads stop using CPU), and a
//     small file after it, equal to the CLI's document.
//   - `make test-cli-huge` (CXAUDIT_CLI_HUGE=1): the CLI under
//     /usr/bin/time -v on 500 MB and 5 GB, -jobs 1 and -jobs 2, and the 500 MB
//     file on stdin: wall time, MB/s and maximum RSS, which must not grow
//     with the file.
// No timing is asserted (the machine is shared); every figure is logged
// and written to dist/test-output/huge-*.json.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, launch, openPage, analyse, exportJSON, ensureOut, cli, diffJSON, CLI, armProbe, reads } from './harness.mjs';
import { generate as generateHuge, reuse, parseSize } from '../../scripts/huge-csv.mjs';

const SIZE = Number(process.env.CXAUDIT_LARGE_BYTES || 1 << 30);
const HUGE = parseSize(process.env.CXAUDIT_HUGE_BYTES || '5G');
let server; let browser; let tmp;
before(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cxaudit-large-'));
  if (!process.env.CXAUDIT_1GB) return;
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
  // Flat in the file's size: ~64 MB plus what the segments need is the
  // target (issue 5); 1 GB measured +50 MB (+218 MB while read chunks were
  // left to V8's garbage collector, before the reader reused its buffers).
  assert.ok(peak.total - base.total < 128 * 1048576, `memory grew by ${mb(peak.total - base.total)} for a ${mb(bytes)} file`);
});

// ---- huge files (issue 6) ---------------------------------------------------

const MiB = 1048576;
const mib = (n) => `${(n / MiB).toFixed(0)} MB`;

let huge = null;
// hugeFile is the generated huge export {file, bytes, rows}: the file
// CXAUDIT_HUGE_CSV names (written by scripts/huge-csv.mjs, with its .json),
// or one written once per run into the temporary directory.
function hugeFile(t) {
  if (huge) return huge;
  const given = process.env.CXAUDIT_HUGE_CSV;
  if (given) {
    huge = reuse(given);
    assert.ok(huge, `CXAUDIT_HUGE_CSV=${given}: no such file, or no ${given}.json beside it (write both with node scripts/huge-csv.mjs)`);
    t.diagnostic(`reusing ${given}: ${huge.bytes} bytes, ${huge.rows} rows`);
    return huge;
  }
  const t0 = Date.now();
  huge = generateHuge(path.join(tmp, 'survey_huge.csv'), HUGE);
  t.diagnostic(`generated ${huge.bytes} bytes, ${huge.rows} rows in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  return huge;
}

// workerCPU is the CPU time (clock ticks, 1/100 s) spent so far by the
// Web Worker threads ("DedicatedWorker") of the processes of profile dir.
function workerCPU(dir) {
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(dir)) continue;
      for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
        if (!fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('DedicatedWorker')) continue;
        const f = fs.readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ');
        ticks += Number(f[11]) + Number(f[12]); // utime, stime
      }
    } catch { /* gone */ }
  }
  return ticks;
}

test('a 5 GB CSV with free-text comments: flat memory in the tab, Cancel, the page usable after', { skip: process.env.CXAUDIT_5GB ? false : 'set CXAUDIT_5GB=1 (make test-browser-5gb)', timeout: 3 * 60 * 60 * 1000 }, async (t) => {
  const meta = hugeFile(t);
  const small = path.join(tmp, 'survey_small.csv');
  generateHuge(small, 256 << 10, { seed: 7 });
  const srv = await startServer();
  const br = await launch();
  const note = { file_bytes: meta.bytes, rows_generated: meta.rows };
  try {
    const page = await openPage(br.ctx, srv.url);
    // The default: one worker per core but one, 1 to 4 (web/lib/engine.js).
    const want = await page.evaluate(() => Math.max(1, Math.min(4, Math.floor(navigator.hardwareConcurrency || 1) - 1)));
    for (let i = 0; i < 300 && page.workers().length < want; i++) await page.waitForTimeout(100);
    const workers = page.workers();
    assert.equal(workers.length, want, 'the default number of engine workers');
    await armProbe(page, workers);
    await page.waitForTimeout(1000);

    // 1. The whole file, with the chromium processes' memory.
    const base = rss(br.dir);
    let peak = { total: base.total, largest: base.largest, at: 0 };
    const series = []; // [ms since the start, total RSS]
    const t0 = Date.now();
    const timer = setInterval(() => {
      const r = rss(br.dir);
      series.push([Date.now() - t0, r.total]);
      if (r.total > peak.total) peak = { ...peak, total: r.total, at: Date.now() - t0 };
      if (r.largest > peak.largest) peak.largest = r.largest;
    }, 250);
    let state;
    try {
      state = await analyse(page, meta.file, 3 * 60 * 60 * 1000);
    } finally {
      clearInterval(timer);
    }
    const secs = (Date.now() - t0) / 1000;
    assert.equal(state, 'done', await page.textContent('#error'));
    const run = JSON.parse(await page.evaluate(() => document.body.dataset.lastRun));
    const doc = JSON.parse(await exportJSON(page));
    const readsDone = await reads(workers);
    const end = rss(br.dir);
    // Flat, not creeping: the highest RSS in each quarter of the run.
    const quarters = [0, 1, 2, 3].map((q) => Math.max(0, ...series.filter(([ms]) => ms >= q * secs * 250 && ms < (q + 1) * secs * 250).map(([, b]) => b)));
    Object.assign(note, {
      seconds: +secs.toFixed(1), mb_per_s: +(meta.bytes / MiB / secs).toFixed(1), last_run: run, rows: doc.rows,
      file_reads: readsDone.map((r) => r && r.n),
      rss_before_total: base.total, rss_peak_total: peak.total, rss_peak_at_s: +(peak.at / 1000).toFixed(1), rss_end_total: end.total,
      rss_before_largest: base.largest, rss_peak_largest: peak.largest, growth_total: peak.total - base.total,
      rss_peak_by_quarter: quarters,
    });
    t.diagnostic(`${mib(meta.bytes)} (${doc.rows} rows) in ${secs.toFixed(1)} s (${note.mb_per_s} MB/s; page: ${run.ms} ms on ${run.workers} workers, ${run.parts} parts, ${run.redos} read again; reads per worker ${note.file_reads.join('+')})`);
    t.diagnostic(`chromium RSS ${mib(base.total)} before, peak ${mib(peak.total)} (+${mib(peak.total - base.total)}, at ${note.rss_peak_at_s} s), ${mib(end.total)} after; largest process ${mib(base.largest)} → ${mib(peak.largest)}; peak per quarter of the run ${quarters.map(mib).join(', ')}`);
    assert.equal(doc.rows, meta.rows, 'the result counts every generated row');
    assert.equal(run.rows, meta.rows);
    assert.equal(run.workers, want, 'read by the default number of workers');
    assert.ok(peak.total - base.total < 512 * MiB, `memory grew by ${mib(peak.total - base.total)} for a ${mib(meta.bytes)} file`);
    assert.deepEqual(page.problems, []);

    // 2. The same file again; Cancel after ~10 s, while every worker reads.
    const runs = await page.evaluate(() => Number(document.body.dataset.runs || 0));
    await page.setInputFiles('input#file-input', meta.file);
    await page.waitForFunction((n) => Number(document.body.dataset.runs || 0) > n && document.body.dataset.state === 'running', runs);
    const started = Date.now();
    const atStart = await reads(workers);
    let atClick;
    for (;;) {
      await page.waitForTimeout(250);
      atClick = await reads(workers);
      assert.equal(await page.evaluate(() => document.body.dataset.state), 'running', 'still running before Cancel');
      if (Date.now() - started >= 10000 && atClick.every((r, i) => r.n > atStart[i].n)) break;
    }
    const cpu = [];
    const sampler = setInterval(() => cpu.push({ t: Date.now(), ticks: workerCPU(br.dir) }), 50);
    cpu.push({ t: Date.now(), ticks: workerCPU(br.dir) });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.waitForFunction(() => document.body.dataset.state !== 'running', null, { timeout: 60000 });
    // The workers are left alone (no probe call) while their CPU is sampled.
    await page.waitForTimeout(3000);
    clearInterval(sampler);
    const probe = await page.evaluate(() => window.cxProbe);
    const quiet = await reads(workers);
    await page.waitForTimeout(1000);
    assert.deepEqual(await reads(workers), quiet, 'the workers read nothing more after Cancel');
    const lastRead = Math.max(...quiet.filter(Boolean).map((r) => r.last));
    // The workers' CPU: the last 50 ms sample in which it still grew.
    let busy = 0;
    for (let i = 1; i < cpu.length; i++) if (cpu[i].ticks > cpu[i - 1].ticks) busy = cpu[i].t;
    const afterwards = cpu.filter((c) => c.t >= probe.click + 1000);
    Object.assign(note, {
      cancel_after_s: +((probe.click - started) / 1000).toFixed(1),
      cancel_idle_ms: probe.idle - probe.click,
      cancel_last_read_ms: Math.max(0, lastRead - probe.click),
      cancel_worker_cpu_stop_ms: Math.max(0, busy - probe.click),
      worker_cpu_ms_from_1s_to_3s_after: afterwards.length > 1 ? (afterwards.at(-1).ticks - afterwards[0].ticks) * 10 : null,
      reads_after_click: quiet.map((r) => (r ? r.times.filter((x) => x >= probe.click).length : null)),
      state_after_cancel: await page.evaluate(() => document.body.dataset.state),
    });
    t.diagnostic(`Cancel ${note.cancel_after_s} s into the run: idle after ${note.cancel_idle_ms} ms, last file read ${note.cancel_last_read_ms} ms after the click (${note.reads_after_click.join('+')} reads after it), worker threads' CPU stopped ${note.cancel_worker_cpu_stop_ms} ms after it (${note.worker_cpu_ms_from_1s_to_3s_after} ms CPU from 1 s to 3 s after); the issue's bound is 1000 ms: ${Math.max(note.cancel_idle_ms, note.cancel_last_read_ms) <= 1000 ? 'met' : 'NOT met'}`);
    assert.equal(note.state_after_cancel, 'done', 'back to the previous result');
    assert.match(await page.textContent('#status'), /Cancelled/);
    assert.equal(await page.locator('#error').isHidden(), true, `no error: ${await page.textContent('#error')}`);

    // 3. The page is still usable.
    assert.equal(await analyse(page, small), 'done', await page.textContent('#error'));
    assert.equal(await exportJSON(page), cli(small), 'the analysis after Cancel = the CLI');
    assert.deepEqual(page.problems, []);
    note.rss_after_all_total = rss(br.dir).total;
    t.diagnostic(`then ${path.basename(small)} = the CLI; chromium RSS ${mib(note.rss_after_all_total)} at the end`);
  } finally {
    fs.writeFileSync(path.join(ensureOut(), 'huge-file-browser.json'), `${JSON.stringify(note, null, 2)}\n`);
    await br.close();
    await srv.close();
  }
});

// timeV runs argv (or a bash script with args) under /usr/bin/time -v and
// returns its stdout, wall seconds and maximum RSS (bytes).
function timeV(argv, { cwd, shell } = {}) {
  const r = shell
    ? spawnSync('bash', ['-o', 'pipefail', '-c', shell, 'bash', ...argv], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 })
    : spawnSync('/usr/bin/time', ['-v', ...argv], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  assert.equal(r.status, 0, `${argv.join(' ')}: exit ${r.status}: ${r.stderr}`);
  const field = (re) => {
    const m = r.stderr.match(re);
    assert.ok(m, `no ${re} in /usr/bin/time's output: ${r.stderr}`);
    return m[1];
  };
  const wall = field(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/).split(':').reduce((s, x) => s * 60 + Number(x), 0);
  return {
    stdout: r.stdout, wall,
    rss: Number(field(/Maximum resident set size \(kbytes\): (\d+)/)) * 1024,
    cpu: Number(field(/User time \(seconds\): ([\d.]+)/)) + Number(field(/System time \(seconds\): ([\d.]+)/)),
  };
}

test('the CLI reads 500 MB and 5 GB in the same memory (-jobs 1, -jobs 2, stdin)', { skip: process.env.CXAUDIT_CLI_HUGE ? false : 'set CXAUDIT_CLI_HUGE=1 (make test-cli-huge)', timeout: 3 * 60 * 60 * 1000 }, async (t) => {
  assert.ok(fs.existsSync('/usr/bin/time'), 'needs GNU time (/usr/bin/time; Debian package "time")');
  const mid = generateHuge(path.join(tmp, 'survey_500mb.csv'), 500 * MiB);
  const big = hugeFile(t);
  const runs = [];
  const docs = {};
  const label = (meta) => `${(meta.bytes / MiB).toFixed(0)} MB`;
  for (const meta of [mid, big]) {
    const size = meta === mid ? 'mid' : 'huge';
    const cwd = path.dirname(meta.file);
    const name = path.basename(meta.file);
    const modes = [['-jobs 1', [CLI, 'analyze', '--format', 'json', '-jobs', '1', name]], ['-jobs 2', [CLI, 'analyze', '--format', 'json', '-jobs', '2', name]]];
    if (meta === mid) modes.push(['stdin', [name, CLI], 'cat "$1" | /usr/bin/time -v "$2" analyze --format json -']);
    for (const [mode, argv, shell] of modes) {
      const r = timeV(argv, { cwd, shell });
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.rows, meta.rows, `${label(meta)} ${mode}: every generated row`);
      docs[`${size} ${mode}`] = r.stdout;
      const row = { file: label(meta), size, mode, bytes: meta.bytes, rows: doc.rows, seconds: +r.wall.toFixed(2), cpu_seconds: +r.cpu.toFixed(2), mb_per_s: +(meta.bytes / MiB / r.wall).toFixed(1), max_rss: r.rss };
      runs.push(row);
      t.diagnostic(`${label(meta)} ${mode}: ${row.rows} rows in ${row.seconds} s (${row.mb_per_s} MB/s, ${row.cpu_seconds} s CPU), max RSS ${(r.rss / MiB).toFixed(1)} MB`);
    }
    assert.equal(docs[`${size} -jobs 2`], docs[`${size} -jobs 1`], `${label(meta)}: -jobs 2 = -jobs 1, byte for byte`);
  }
  assert.deepEqual(diffJSON(JSON.parse(docs['mid stdin']), JSON.parse(docs['mid -jobs 1']), ['source.name']), [], 'stdin = the file');
  fs.writeFileSync(path.join(ensureOut(), 'huge-cli-memory.json'), `${JSON.stringify(runs, null, 2)}\n`);
  for (const mode of ['-jobs 1', '-jobs 2']) {
    const a = runs.find((r) => r.size === 'mid' && r.mode === mode).max_rss;
    const b = runs.find((r) => r.size === 'huge' && r.mode === mode).max_rss;
    assert.ok(b < 2 * a + 64 * MiB, `${mode}: max RSS ${(b / MiB).toFixed(1)} MB on ${label(big)} vs ${(a / MiB).toFixed(1)} MB on ${label(mid)}`);
  }
});
