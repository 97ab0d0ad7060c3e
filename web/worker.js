// The page's Web Worker: it owns the Go engine (cxaudit.wasm). The page
// never runs Go on its own thread; it talks to this worker with typed
// messages {id, type, ...} and gets {id, type: 'progress' | 'result' |
// 'error'} back (see web/lib/engine.js for the page side).
//
// The file is never read whole: Go asks for ranges (a few MiB each) and
// this worker answers with File.slice(a, b).arrayBuffer(). A 'cancel'
// message makes the next read fail, which ends the analysis cleanly; the
// Go instance stays loaded for the next file.
/* global Go, cxaudit */
'use strict';

// Start-up marks (ms since the epoch, so the page can place them on its
// own clock): reported with 'ready', shown by the page-ready test and
// scripts/bench/ready.mjs.
const marks = { created: performance.timeOrigin, script: performance.timeOrigin + performance.now() };

// This script has a second role: a worker named READER that only reads
// file ranges for the engine worker that started it (see ahead below).
const READER = 'cxaudit-reader';
const isReader = self.name === READER;
if (!isReader) importScripts('wasm_exec.js');
marks.wasmExec = performance.timeOrigin + performance.now();

let ready = null; // Promise of the running Go instance
let memory = null; // its WebAssembly.Memory, which reads write into
let current = null; // {id, cancelled}
let timing = null; // start-up times, reported with 'ready'

// The compiled engine comes from the page: web/boot.js compiles
// cxaudit.wasm while the page loads (in parallel with this worker's own
// start) and every worker of the pool gets the same WebAssembly.Module
// in a 'module' message, the first message the page sends to a worker
// it creates. module is null when the page could not compile it; this
// worker then fetches and compiles it itself.
let gotModule;
// sharedModule: this worker instantiated the page's compiled Module (its
// optimised code is shared with the page's other workers; see warmUp).
let sharedModule = false;
const moduleMessage = new Promise((resolve) => { gotModule = resolve; });

function start(module) {
  const go = new Go();
  go.exit = (code) => {
    // Go exited (it should never): make the next call reload it.
    ready = null;
    self.postMessage({ type: 'fatal', error: `the engine stopped (exit ${code})` });
  };
  const url = 'cxaudit.wasm';
  const now = () => performance.timeOrigin + performance.now();
  marks.module = now();
  let load;
  sharedModule = module instanceof WebAssembly.Module;
  if (sharedModule) {
    load = WebAssembly.instantiate(module, go.importObject).then((instance) => ({ instance }));
  } else {
    marks.fetch = now();
    const fetched = fetch(url).then((r) => { marks.response = now(); return r; });
    load = (typeof WebAssembly.instantiateStreaming === 'function')
      ? WebAssembly.instantiateStreaming(fetched, go.importObject).catch(async (err) => {
        // A host that does not send application/wasm: compile from bytes.
        const resp = await fetch(url);
        if (!resp.ok) throw err;
        return WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
      })
      : fetched.then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b, go.importObject));
  }
  return load.then(({ instance }) => {
    marks.compiled = now();
    memory = instance.exports.mem;
    go.run(instance); // runs main until it blocks; cxaudit is then registered
    if (typeof self.cxaudit !== 'object') throw new Error('the engine did not start');
    marks.go = now();
    // The wasm's download end, from the worker's resource timing.
    const rt = performance.getEntriesByName(new URL(url, self.location.href).href).pop();
    if (rt && rt.responseEnd) marks.downloaded = performance.timeOrigin + rt.responseEnd;
    timing = { ...marks };
    return self.cxaudit;
  });
}

function engine() {
  if (!ready) {
    ready = moduleMessage.then(start);
    ready.catch(() => { ready = null; });
  }
  return ready;
}

// reader returns the read(offset, length, address) function Go calls for
// the file's bytes: a File.slice copied into Go's memory at address (see
// fetch in wasm/browser/file.go).
//
// Reading ahead: a File.slice(…).arrayBuffer() makes progress only while
// this worker's event loop runs, and Go keeps it busy between reads, so
// the reads and the engine's work took turns (a 4 MiB read waits 20–40
// ms: 35–40 % of a part of the 1M-row bench file). Once Go reads
// sequentially (a read that begins where the last ended), the next AHEAD
// ranges of the same length are read by a reader worker (this script
// again, named READER), whose event loop is free, and handed over as
// transferred ArrayBuffers. A read that was not read ahead, or where
// workers cannot be nested, is read here as before. At most AHEAD ranges
// (4 MiB each, wasm/browser/file.go) are in flight or waiting per worker.
// eager (a part: read from its start to its end) reads ahead from the
// first read on.
// early: ranges already read ahead (see preread).
const AHEAD = 2;
// keep (prepare): a read taken from early leaves it there, for the part
// this worker reads next, and nothing is read ahead (the preread is).
function reader(file, job, eager = false, early = new Map(), keep = false) {
  job.reads = 0;
  job.readMs = 0;
  // early: offset → {length, promise} read ahead
  let last = eager ? null : -1; // where the previous read ended
  return async (offset, length, address) => {
    if (job.cancelled) throw new Error('cancelled');
    const t = performance.now();
    const hit = early.get(offset);
    const direct = () => file.slice(offset, offset + length).arrayBuffer();
    // A read ahead that failed (the reader could not start, say) is read
    // here again: the error, if any, is then this worker's own.
    const exact = hit !== undefined && hit.length === length;
    let got;
    if (exact) {
      got = hit.promise.catch(direct);
      if (!keep) early.delete(offset);
    } else {
      // A read inside a range already read ahead (prepare's first MiB,
      // in the first chunk) is cut from it; one still being read is read
      // on its own, which is quicker than waiting for the whole chunk.
      const within = keep ? [...early].find(([at, r]) => r.done && at <= offset && offset + length <= at + r.length) : undefined;
      got = within
        ? within[1].promise.then((view) => view.slice(offset - within[0], offset - within[0] + length), direct)
        : direct();
    }
    // A read that goes on from the last, or that was read ahead, keeps
    // the reading ahead going and drops what it skipped. Any other read
    // (a Parquet part's trailer and footer, read before its first
    // column) leaves the reads ahead waiting for the reads they
    // foresaw.
    const onward = !keep && (offset === last || last === null || hit !== undefined);
    const ra = onward ? ahead() : null;
    if (onward) for (const k of early.keys()) if (k < offset) early.delete(k);
    last = offset + length;
    if (ra) {
      for (let i = 0, at = last; i < AHEAD && at < file.size; i++, at += length) {
        if (!early.has(at)) early.set(at, readAheadEntry(ra, file, at, length));
      }
    }
    const bytes = await got;
    await yieldTask();
    const buf = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
    if (job.cancelled) throw new Error('cancelled');
    // Never more than asked: the bytes after dst are Go's. The view is
    // made now: the memory may have grown (and its buffer been replaced)
    // while the read was pending.
    if (buf.byteLength > length) throw new Error(`read ${buf.byteLength} bytes for ${length}`);
    new Uint8Array(memory.buffer, address, buf.byteLength).set(buf);
    if (exact && !keep && bytes instanceof Uint8Array) recycle(buf);
    job.reads++;
    job.readMs += performance.now() - t;
    return buf.byteLength;
  };
}

// yieldTask lets the worker's queued tasks run — a 'cancel' message —
// before a read returns to Go. A read that was read ahead is already
// here: awaiting it is a microtask, so Go went on through chunk after
// chunk without the message being seen (Cancel took 200–300 ms and 3
// more chunks per worker in half of the runs of cancel.test.mjs).
const ticks = new MessageChannel();
const ticked = [];
ticks.port1.onmessage = () => { const resolve = ticked.shift(); if (resolve) resolve(); };
function yieldTask() {
  return new Promise((resolve) => { ticked.push(resolve); ticks.port2.postMessage(0); });
}

// CHUNK is wasm/browser/file.go's chunkSize: a part of a CSV file is read
// in chunks of CHUNK bytes that begin at multiples of CHUNK.
const CHUNK = 4 << 20;

// preread reads ahead the first chunks of the part this worker will be
// given, while the file is being prepared (by this worker's engine or
// another's): the page sends {key, file, near}, near being about where
// the part begins, before 'prepare', and the 'part' of the same key takes
// them. A guess that misses (a part that begins elsewhere) is read as
// before; prereads not taken are dropped by the next preread, 'part',
// 'analyze' or 'cancel'.
let preread = null; // {key, early}
function prereadPart(msg) {
  preread = null;
  const { file, key } = msg;
  const ra = ahead();
  if (!ra || !file || !(msg.near >= 0)) return;
  const early = new Map();
  const from = Math.max(0, msg.near - 1); // a part's first record is looked for from the byte before it
  for (let i = 0, at = from - (from % CHUNK); i < AHEAD && at < file.size; i++, at += CHUNK) {
    early.set(at, readAheadEntry(ra, file, at, CHUNK));
  }
  preread = { key, early };
}

// readAheadEntry starts reading length bytes at at (fewer at the end of
// the file) on the reader worker ra: {length, promise, done}, done once
// the bytes are here. A read ahead nobody asks for may fail unseen.
function readAheadEntry(ra, file, at, length) {
  const n = Math.min(length, file.size - at);
  const entry = { length: n, promise: ra.read(file.slice(at, at + n)), done: false };
  entry.promise.then(() => { entry.done = true; }, () => {});
  return entry;
}

// ahead returns this worker's reader worker ({read(blob) →
// Promise<Uint8Array>}), started on first use; null where a worker
// cannot start one (then every read is read here). The File.slice is
// made here, the read there: every range still begins as a slice in this
// worker (tests/browser/harness.mjs counts them).
//
// The chunks' memory is reused: each read sends the reader a buffer from
// pool (buffers whose bytes Go has copied) to fill and transfer back.
// With a new ArrayBuffer per chunk, garbage chunks piled up faster than
// V8 collected them: the tab grew with the file (+83 MB for 256 MB,
// +200 MB for 1 GB).
const pool = [];
let readAhead;
function ahead() {
  if (readAhead !== undefined) return readAhead;
  readAhead = null;
  try {
    const w = new Worker(self.location.href, { name: READER });
    const waiting = new Map();
    let next = 1;
    w.onmessage = (e) => {
      const { id, buf, n, error } = e.data || {};
      const p = waiting.get(id);
      if (!p) return;
      waiting.delete(id);
      if (buf) p.resolve(new Uint8Array(buf, 0, n)); else p.reject(new Error(error || 'read failed'));
    };
    w.onerror = (e) => {
      e.preventDefault();
      for (const p of waiting.values()) p.reject(new Error('the reader failed'));
      waiting.clear();
      readAhead = null; // read here from now on
    };
    readAhead = {
      read(blob) {
        const id = next++;
        const i = pool.findIndex((b) => b.byteLength >= blob.size);
        const buf = i >= 0 ? pool.splice(i, 1)[0] : undefined;
        return new Promise((resolve, reject) => {
          waiting.set(id, { resolve, reject });
          w.postMessage({ id, blob, buf }, buf ? [buf] : []);
        });
      },
    };
  } catch { /* no nested workers: read here */ }
  return readAhead;
}

// recycle gives pool the buffer of a chunk read ahead once Go has its
// bytes (at most AHEAD + 1 are kept: as many as can be out at once).
function recycle(view) {
  if (view.byteOffset === 0 && view.buffer.byteLength >= CHUNK && pool.length <= AHEAD) pool.push(view.buffer);
}

// serveReads is the READER worker: it reads each slice it is sent into
// the buffer that comes with it (a BYOB read of the slice's stream; a new
// buffer where there is none, or the browser cannot) and transfers the
// bytes to the engine worker.
let byob = true;
async function serveReads(event) {
  const { id, blob, buf } = event.data || {};
  try {
    let out = null;
    if (buf && byob && buf.byteLength >= blob.size) out = await fill(blob, buf);
    if (!out) {
      const b = await blob.arrayBuffer();
      out = { buf: b, n: b.byteLength };
    }
    self.postMessage({ id, buf: out.buf, n: out.n }, [out.buf]);
  } catch (err) {
    self.postMessage({ id, error: (err && err.message) || String(err) });
  }
}

// fill reads blob into buf; null if the browser has no BYOB reads of a
// blob's stream (then serveReads reads it as before).
async function fill(blob, buf) {
  let r;
  try {
    r = blob.stream().getReader({ mode: 'byob' });
  } catch {
    byob = false;
    return null;
  }
  let n = 0;
  while (n < blob.size) {
    // A BYOB read takes the buffer over and hands it back in value.
    const { done, value } = await r.read(new Uint8Array(buf, n, blob.size - n));
    if (value) buf = value.buffer;
    if (done) break;
    n += value.byteLength;
  }
  if (n !== blob.size) throw new Error(`read ${n} of ${blob.size} bytes`);
  return { buf, n };
}

// work runs one engine call for message msg: call(api, job, t0) returns
// the reply's fields. Errors (and cancellation) become an 'error' reply.
//
// Every reply carries at: when the message arrived, the engine call began
// and ended (ms since the epoch, performance.timeOrigin + now, comparable
// across workers): web/lib/engine.js turns them into performance measures.
async function work(msg, call) {
  const job = { id: msg.id, cancelled: false };
  current = job;
  const got = performance.now();
  try {
    const api = await engine();
    const t0 = performance.now();
    const out = await call(api, job, t0);
    const t1 = performance.now();
    const at = { got: performance.timeOrigin + got, start: performance.timeOrigin + t0, end: performance.timeOrigin + t1, reads: job.reads || 0, readMs: job.readMs || 0 };
    self.postMessage({ id: msg.id, type: 'result', ...out, ms: t1 - t0, at });
  } catch (err) {
    const message = err && err.message ? err.message : String(err);
    self.postMessage({ id: msg.id, type: 'error', error: message, cancelled: job.cancelled });
  } finally {
    if (current === job) current = null;
  }
}

function analyze(msg) {
  const { id, file } = msg;
  return work(msg, async (api, job, t0) => {
    const size = file.size;
    const res = await api.analyze({
      name: file.name || 'input',
      size,
      plan: msg.plan || '',
      confidence: typeof msg.confidence === 'number' ? msg.confidence : null,
      // Go passes the Uint8Array to fill (one per analysis) and gets the
      // byte count back: no per-chunk object crosses into Go.
      read: reader(file, job),
      progress: (bytes, rows) => {
        self.postMessage({ id, type: 'progress', bytes, rows, size, ms: performance.now() - t0 });
      },
    });
    return { json: res.json, csv: res.csv, md: res.md, header: Array.from(res.header || []) };
  });
}

// One file on several workers (web/lib/engine.js drives it): prepare on
// one worker, a part on each, finish on one. What comes back is the plan,
// byte offsets and accumulator states — counts, never rows.
function prepare(msg) {
  const { file } = msg;
  // The worker that prepares reads from its preread too (the file's
  // first chunks, which detection samples) and leaves them for its part.
  const early = preread && preread.key === msg.key ? preread.early : undefined;
  return work(msg, async (api, job) => {
    const res = await api.prepare({
      name: file.name || 'input',
      size: file.size,
      plan: msg.plan || '',
      confidence: typeof msg.confidence === 'number' ? msg.confidence : null,
      read: early ? reader(file, job, false, early, true) : reader(file, job),
      workers: msg.workers,
    });
    return { prepared: res.prepared, parts: res.parts };
  });
}

function part(msg) {
  const { id, file } = msg;
  const early = preread && preread.key === msg.key ? preread.early : undefined;
  preread = null;
  return work(msg, async (api, job, t0) => {
    const result = await api.runPart({
      name: file.name || 'input',
      size: file.size,
      prepared: msg.prepared,
      part: msg.part,
      read: reader(file, job, true, early),
      progress: (bytes, rows) => {
        self.postMessage({ id, type: 'progress', bytes, rows, ms: performance.now() - t0 });
      },
    });
    return { result };
  });
}

function finish(msg) {
  return work(msg, async (api) => {
    const res = await api.finish({ prepared: msg.prepared, results: msg.results });
    if (res.redo) return { redo: res.redo };
    return { json: res.json, csv: res.csv, md: res.md, header: Array.from(res.header || []), timing: res.timing ? { ...res.timing } : undefined };
  });
}

// Load the engine as soon as the module arrives: the page may have
// started this worker before it can say anything else to it (web/boot.js).
// The warm-up waits for the page's first 'init' to be answered, so that
// it never delays 'ready' (see the 'init' case below).
if (!isReader) engine().catch(() => {});
let warmed = false;

// warmUp analyses a small synthetic survey (a CSV made here, in memory,
// then a small Parquet file of the page's) once the engine has loaded,
// while the user is still choosing a file: 1.9–2.5 s of this worker's
// time here (it was 1.2–1.5 s through the one-call analyze on a plainer
// CSV). WebAssembly starts in baseline
// code and optimises functions once they are hot: the bench measured the
// first analysis in a fresh tab at 2.3× the time of the same file again.
// It takes the page's own path (prepare, two parts, finish: what
// web/lib/engine.js asks of the workers for every file), on a CSV shaped
// like real exports (quoted commas, line breaks and doubled quotes in a
// free-text column, dirty scores), so that what V8 optimises is what a
// real file runs: warmed through the one-call analyze, the first real
// file still had ~0.24 s of functions (the parts' and finish's state
// coding, the CSV walker's slow path) optimised while it ran.
// Any message to the worker cancels the warm-up at its next read; its
// result is dropped, and nothing leaves the worker.
let warming = null;
const WARM_CSV_PASSES = 4;
const WARM_PARQUET_PASSES = 6;

// warmUpCSV is the warm-up's survey export: 20 000 rows.
function warmUpCSV() {
  const channels = ['email', 'web', 'sms', 'in_app'];
  const regions = ['EMEA', 'NA', 'APAC', 'LATAM'];
  const comments = ['', 'Please add dark mode', '"Great support, thanks"', '"App crashed twice\nHe said ""fine""\nGreat support"', 'Works as expected.'];
  const rows = ['respondent_id,submitted_at,channel,region,nps,csat,ces,comment'];
  for (let i = 0; i < 20000; i++) {
    const nps = i % 97 === 0 ? 'N/A' : i % 89 === 0 ? '11' : String((i * 7) % 11);
    const day = `2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`;
    rows.push(`w${i},${day}T${String(i % 24).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:05Z,${channels[i % 4]},${regions[(i >> 2) % 4]},${nps},${1 + ((i * 3) % 5)},${1 + ((i * 5) % 7)},${comments[i % 5]}`);
  }
  return new Blob([`${rows.join('\n')}\n`]);
}

async function warmUp(api) {
  const file = warmUpCSV();
  warming = { cancelled: false };
  // passes analyses blob n times, until the warm-up is cancelled, the way
  // the page analyses a file on two workers (all of it here).
  const passes = async (blob, name, n) => {
    for (let i = 0; i < n && !warming.cancelled; i++) {
      const size = blob.size;
      const prep = await api.prepare({ name, size, plan: '', confidence: null, read: reader(blob, warming), workers: 2 });
      const results = [];
      for (const part of JSON.parse(prep.parts)) {
        if (warming.cancelled) return;
        results[part.index] = await api.runPart({ name, size, prepared: prep.prepared, part: JSON.stringify(part), read: reader(blob, warming, true), progress: () => {} });
      }
      await api.finish({ prepared: prep.prepared, results });
    }
  };
  try {
    // Four times over: with one pass, the first CSV file in a fresh tab
    // still ran some of the CSV reader's loops unoptimised (the 1M-row
    // bench CSV: 1 010 → 806 ms median over 6 fresh browsers each way,
    // alternating).
    await passes(file, 'warm-up.csv', WARM_CSV_PASSES);
    // Then Parquet: the page's own warm-up.parquet (8 192 rows, made by
    // scripts/parquet-fixtures), a few times over, so that the Parquet
    // reader's loops (Snappy, dictionary indices, timestamps) are hot too.
    // Without it the first Parquet file in a fresh tab took longer (the
    // 1M-row bench file: 691 → 539 ms median, 6 fresh browsers each way).
    const resp = await fetch('warm-up.parquet');
    if (resp.ok) await passes(await resp.blob(), 'warm-up.parquet', WARM_PARQUET_PASSES);
  } catch { /* cancelled, or nothing to warm */ }
  warming = null;
  // The reader worker too: started on the first file, it took 100–180 ms
  // to come up while the engine prepared that file, so the first chunks
  // the part needed arrived late (40–55 ms of waiting in a 1 s analysis).
  ahead();
}

self.onmessage = isReader ? serveReads : async (event) => {
  const msg = event.data || {};
  if (warming) warming.cancelled = true;
  switch (msg.type) {
    case 'module':
      gotModule(msg.module || null);
      break;
    case 'init':
      try {
        const api = await engine();
        self.postMessage({ id: msg.id, type: 'ready', version: api.version, timing });
        // One worker warms a shared Module up for all (msg.warm is false
        // for the others): V8 keeps a Module's optimised code with the
        // Module, so two warm-ups only took turns on the cores.
        if (!warmed && !current) {
          warmed = true;
          if (msg.warm !== false || !sharedModule) setTimeout(() => { if (!current) warmUp(api); }, 0);
          else setTimeout(ahead, 0); // as warmUp does at its end
        }
      } catch (err) {
        self.postMessage({ id: msg.id, type: 'error', error: `could not load the engine: ${err.message || err}` });
      }
      break;
    case 'analyze':
      preread = null;
      analyze(msg);
      break;
    case 'prepare':
      prepare(msg);
      break;
    case 'part':
      part(msg);
      break;
    case 'preread':
      prereadPart(msg);
      break;
    case 'finish':
      finish(msg);
      break;
    case 'cancel':
      preread = null;
      if (current && (msg.target == null || current.id === msg.target)) current.cancelled = true;
      break;
    case 'plan-size':
      try {
        const api = await engine();
        const out = api.planSize(msg.request);
        if (out instanceof Error) throw out;
        self.postMessage({ id: msg.id, type: 'result', json: out });
      } catch (err) {
        self.postMessage({ id: msg.id, type: 'error', error: err.message || String(err) });
      }
      break;
    default:
      self.postMessage({ id: msg.id, type: 'error', error: `unknown message type ${JSON.stringify(msg.type)}` });
  }
};
