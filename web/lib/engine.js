// The page's side of the worker protocol (web/worker.js): typed messages
// {id, type, ...}; replies {id, type: 'progress' | 'result' | 'error'}.
// Each Worker owns a Go engine; if one ever dies (or a cancel is not
// honoured quickly) it is replaced by a fresh one.
//
// Engine keeps a pool of workers. A file large enough (SPLIT_MIN) is read
// by all of them: one prepares it (plan, layout), each reads parts of it,
// one merges the parts (core/engine/parts.go says how the result stays
// byte-identical to one pass). A smaller file is one part on the first
// worker. While the first worker prepares, every worker reads ahead the
// first chunks of the part it will most likely get ('preread'), and each
// reads its part through a reader worker of its own that stays a few
// chunks ahead of the engine (web/worker.js).

// SPLIT_MIN is the smallest file read by several workers: below it,
// starting the parts costs more than it saves.
export const SPLIT_MIN = 16 << 20;

// MAX_WORKERS caps the pool: each worker holds its own Go heap.
export const MAX_WORKERS = 4;

// prereads numbers the 'preread' messages (web/worker.js).
let prereads = 0;

// defaultWorkers is one worker per core but one, at least one and at
// most MAX_WORKERS. An engine worker keeps a core busy, and reading the
// file keeps about half of another: the browser's file reads, the reader
// workers, the page. On a 2-core machine two engine workers were no
// faster than one (1M-row survey: CSV 625 vs 615 ms, Parquet 356 vs
// 349 ms; `make bench-browser`) and held 42-47 MB instead of 15-17 MB; a
// run on one worker already used 1.2-1.5 s of CPU in 0.6 s.
export function defaultWorkers(cores) {
  const n = Math.floor(Number(cores) || 1);
  return Math.max(1, Math.min(MAX_WORKERS, n - 1));
}

// Channel is one Worker and its pending calls.
//
// module is a Promise of the compiled engine (a WebAssembly.Module, or
// null: each worker compiles it): a worker waits for a 'module' message
// before it loads the engine, and every worker this page creates gets
// one (web/worker.js). A worker handed over by web/boot.js has had it.
class Channel {
  constructor(url, module, worker = null, { warm = true } = {}) {
    this.url = url;
    this.module = module;
    this.warm = warm;
    this.nextId = 1;
    this.pending = new Map();
    this.start(worker);
  }

  // start begins talking to worker, or to a new Worker (replacing the
  // current one, if any).
  start(worker = null) {
    if (this.worker) this.worker.terminate();
    if (!worker) {
      worker = new Worker(this.url);
      this.module.then((module) => worker.postMessage({ type: 'module', module }));
    }
    this.worker = worker;
    this.worker.onmessage = (e) => this.onMessage(e.data || {});
    this.worker.onerror = (e) => {
      const err = new Error(`the engine failed: ${e.message || 'worker error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.ready = this.call({ type: 'init', warm: this.warm });
    this.ready.catch(() => {});
  }

  onMessage(msg) {
    if (msg.type === 'fatal') {
      const err = new Error(msg.error);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
      this.start();
      return;
    }
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.type === 'progress') {
      if (p.onProgress) p.onProgress(msg);
      return;
    }
    this.pending.delete(msg.id);
    msg.received = performance.now();
    if (msg.type === 'error') {
      const err = new Error(msg.error);
      err.cancelled = !!msg.cancelled;
      p.reject(err);
    } else {
      p.resolve(msg);
    }
  }

  call(msg, onProgress) {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject, onProgress }));
    promise.id = id;
    promise.sent = performance.now();
    this.worker.postMessage({ ...msg, id });
    return promise;
  }

  async planSize(request) {
    const msg = await this.call({ type: 'plan-size', request });
    return JSON.parse(msg.json);
  }
}

export class Engine {
  constructor(url = 'worker.js', { workers = 1 } = {}) {
    this.url = url;
    this.size = Math.max(1, Math.min(16, Math.floor(workers) || 1));
    // The first worker may already be loading (web/boot.js).
    // So may the compiled engine, which all workers share.
    const booted = globalThis.cxauditBootWorker || null;
    globalThis.cxauditBootWorker = null;
    this.module = Promise.resolve(globalThis.cxauditBootModule || null).catch(() => null);
    this.channels = [new Channel(url, this.module, booted)];
    this.ready = this.channels[0].ready;
    // The other workers start once the first is up (the page is ready
    // when the first is), while the user is still choosing a file.
    if (this.size > 1) {
      this.ready.then(() => {
        // They share the first one's compiled engine, and its warm-up.
        while (this.channels.length < this.size) this.channels.push(new Channel(url, this.module, null, { warm: false }));
      }, () => {});
    }
  }

  // analyze runs the engine on a File with an optional plan (JSON text).
  // It returns {promise, cancel}; the promise gives {json, csv, md,
  // header, ms, workers}.
  //
  // Every file takes the same path — prepare, parts, finish — so that
  // the parts read only the columns the settled plan needs (detection
  // samples them all); a file under SPLIT_MIN is one part on one worker.
  analyze(file, { plan = '', confidence = null, onProgress } = {}) {
    const chans = file.size < SPLIT_MIN ? this.channels.slice(0, 1) : this.channels.slice();
    const job = { cancelled: false, calls: new Set() };
    const t0 = performance.now();
    const key = ++prereads;
    // timeline: every call of this analysis, in ms since t0: sent (page),
    // got, start, end (worker: the message arrived, the engine call began
    // and ended), received (page), the reads' count and wait (worker), and
    // finish's own split (go). Each is also a performance measure
    // "cxaudit <type> [<part>] w<worker>" (sent → received; detail: the row).
    const timeline = [];
    const call = (ch, msg, progress) => {
      if (job.cancelled) return Promise.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
      const p = ch.call(msg, progress);
      job.calls.add({ ch, id: p.id });
      return p.then((res) => {
        const rel = (abs) => (typeof abs === 'number' ? abs - performance.timeOrigin - t0 : null);
        const at = res.at || {};
        const row = {
          type: msg.type, worker: this.channels.indexOf(ch), part: msg.part ? JSON.parse(msg.part).index : null,
          sent: p.sent - t0, got: rel(at.got), start: rel(at.start), end: rel(at.end), received: res.received - t0,
          reads: at.reads, readMs: at.readMs,
          ...(res.timing ? { go: res.timing } : {}),
        };
        timeline.push(row);
        if (typeof performance.measure === 'function') {
          try {
            performance.measure(`cxaudit ${row.type}${row.part !== null ? ` ${row.part}` : ''} w${row.worker}`, { start: p.sent, end: res.received, detail: row });
          } catch { /* a browser without measure options */ }
        }
        return res;
      });
    };
    // Progress: rows add up over parts; bytes are each part's bytes read.
    const done = new Map();
    const report = () => {
      if (!onProgress) return;
      let bytes = 0; let rows = 0;
      for (const d of done.values()) { bytes += d.bytes; rows += d.rows; }
      onProgress({ bytes: Math.min(bytes, file.size), rows, size: file.size, ms: performance.now() - t0 });
    };
    const runPart = async (ch, prepared, part) => {
      const from = part.start || 0;
      const to = part.end || file.size;
      const res = await call(ch, { type: 'part', file, prepared, part: JSON.stringify(part), key }, (m) => {
        done.set(part.index, { bytes: Math.max(0, Math.min(m.bytes, to) - from), rows: m.rows });
        report();
      });
      return res.result;
    };
    const promise = (async () => {
      // The first worker prepares as soon as it is up; each other worker
      // takes parts once it is up too (one still loading, or that failed
      // to load, leaves its parts to the others).
      await chans[0].ready;
      // While the first worker prepares, each worker reads ahead the start
      // of the part it will most likely get (the i-th of n equal byte
      // ranges; web/worker.js). Parquet is split by runs of row groups,
      // which begin about there too when the row groups are of a size.
      chans.forEach((ch, i) => ch.worker.postMessage({ type: 'preread', key, file, near: Math.floor((file.size * i) / chans.length) }));
      const prep = await call(chans[0], { type: 'prepare', file, plan, confidence, workers: chans.length, key });
      const parts = JSON.parse(prep.parts);
      let results = new Array(parts.length);
      let next = 0;
      let redos = 0;
      await Promise.all(chans.map(async (ch, i) => {
        if (i > 0) {
          try { await ch.ready; } catch { return; }
        }
        while (next < parts.length) {
          const part = parts[next++];
          results[part.index] = await runPart(ch, prep.prepared, part);
        }
      }));
      for (;;) {
        const fin = await call(chans[0], { type: 'finish', prepared: prep.prepared, results });
        if (!fin.redo) {
          return { json: fin.json, csv: fin.csv, md: fin.md, header: fin.header, ms: performance.now() - t0, workers: chans.length, parts: parts.length, redos, timeline };
        }
        // A part to read again (see core/engine Finish): one that began
        // at the wrong record, or the whole file in one part.
        const redo = JSON.parse(fin.redo);
        redos++;
        if (redo.whole) { done.clear(); results = [undefined]; }
        results[redo.index] = await runPart(chans[redo.index % chans.length], prep.prepared, redo);
      }
    })();
    // A part that fails ends the analysis: the other workers stop reading.
    promise.catch(() => {
      if (job.cancelled) return;
      job.cancelled = true;
      for (const ch of chans) ch.worker.postMessage({ type: 'cancel' });
    });
    const cancel = () => {
      job.cancelled = true;
      for (const ch of chans) ch.worker.postMessage({ type: 'cancel' });
      // Reads in flight finish first; workers that do not answer within
      // 3 s are replaced (their Go instances go with them).
      const timer = setTimeout(() => {
        for (const { ch, id } of job.calls) {
          const p = ch.pending.get(id);
          if (!p) continue;
          ch.pending.delete(id);
          p.reject(Object.assign(new Error('cancelled'), { cancelled: true }));
          ch.start();
        }
      }, 3000);
      promise.then(() => clearTimeout(timer), () => clearTimeout(timer));
    };
    return { promise, cancel };
  }

  planSize(request) {
    return this.channels[0].planSize(request);
  }
}
