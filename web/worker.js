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

importScripts('wasm_exec.js');

let ready = null; // Promise of the running Go instance
let current = null; // {id, cancelled}
let timing = null; // start-up times, reported with 'ready'

function start() {
  const go = new Go();
  go.exit = (code) => {
    // Go exited (it should never): make the next call reload it.
    ready = null;
    self.postMessage({ type: 'fatal', error: `the engine stopped (exit ${code})` });
  };
  const url = 'cxaudit.wasm';
  const load = (typeof WebAssembly.instantiateStreaming === 'function')
    ? WebAssembly.instantiateStreaming(fetch(url), go.importObject).catch(async (err) => {
      // A host that does not send application/wasm: compile from bytes.
      const resp = await fetch(url);
      if (!resp.ok) throw err;
      return WebAssembly.instantiate(await resp.arrayBuffer(), go.importObject);
    })
    : fetch(url).then((r) => r.arrayBuffer()).then((b) => WebAssembly.instantiate(b, go.importObject));
  const t0 = performance.now();
  return load.then(({ instance }) => {
    const t1 = performance.now();
    go.run(instance); // runs main until it blocks; cxaudit is then registered
    if (typeof self.cxaudit !== 'object') throw new Error('the engine did not start');
    // Where start-up time goes (page-ready test): the worker's own
    // start, fetch + compile, and Go's start (runtime and package init).
    timing = { workerStart: Math.round(performance.timeOrigin + t0), fetchCompile: Math.round(t1 - t0), goStart: Math.round(performance.now() - t1) };
    return self.cxaudit;
  });
}

function engine() {
  if (!ready) {
    ready = start();
    ready.catch(() => { ready = null; });
  }
  return ready;
}

// reader returns the read(offset, length, target) function Go calls for
// the file's bytes: a File.slice copied into target (see wasm/browser).
function reader(file, job) {
  return async (offset, length, target) => {
    if (job.cancelled) throw new Error('cancelled');
    const buf = new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
    if (job.cancelled) throw new Error('cancelled');
    target.set(buf);
    return buf.byteLength;
  };
}

// work runs one engine call for message msg: call(api, job, t0) returns
// the reply's fields. Errors (and cancellation) become an 'error' reply.
async function work(msg, call) {
  const job = { id: msg.id, cancelled: false };
  current = job;
  try {
    const api = await engine();
    const t0 = performance.now();
    const out = await call(api, job, t0);
    self.postMessage({ id: msg.id, type: 'result', ...out, ms: performance.now() - t0 });
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
  return work(msg, async (api, job) => {
    const res = await api.prepare({
      name: file.name || 'input',
      size: file.size,
      plan: msg.plan || '',
      confidence: typeof msg.confidence === 'number' ? msg.confidence : null,
      read: reader(file, job),
      workers: msg.workers,
    });
    return { prepared: res.prepared, parts: res.parts };
  });
}

function part(msg) {
  const { id, file } = msg;
  return work(msg, async (api, job, t0) => {
    const result = await api.runPart({
      name: file.name || 'input',
      size: file.size,
      prepared: msg.prepared,
      part: msg.part,
      read: reader(file, job),
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
    return { json: res.json, csv: res.csv, md: res.md, header: Array.from(res.header || []) };
  });
}

// Load the engine at once: the page may have started this worker before
// it can say anything to it (web/boot.js).
engine().then(warmUp, () => {});

// warmUp analyses a small synthetic survey (made here, in memory) once the
// engine has loaded, while the user is still choosing a file. WebAssembly
// starts in baseline code and optimises functions once they are hot: the
// bench measured the first analysis in a fresh tab at 2.3× the time of the
// same file again. Any message to the worker cancels the warm-up at its
// next read; its result is dropped, and nothing leaves the worker.
let warming = null;
async function warmUp(api) {
  const rows = ['respondent_id,submitted_at,channel,nps,csat,ces,comment'];
  for (let i = 0; i < 20000; i++) {
    rows.push(`w${i},2024-${String(1 + (i % 12)).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00Z,${['email', 'web', 'sms'][i % 3]},${(i * 7) % 11},${1 + ((i * 3) % 5)},${1 + ((i * 5) % 7)},"ok, ${i}"`);
  }
  const file = new Blob([`${rows.join('\n')}\n`]);
  warming = { cancelled: false };
  try {
    await api.analyze({ name: 'warm-up.csv', size: file.size, plan: '', confidence: null, read: reader(file, warming), progress: () => {} });
  } catch { /* cancelled, or nothing to warm */ }
  warming = null;
}

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (warming) warming.cancelled = true;
  switch (msg.type) {
    case 'init':
      try {
        const api = await engine();
        self.postMessage({ id: msg.id, type: 'ready', version: api.version, timing });
      } catch (err) {
        self.postMessage({ id: msg.id, type: 'error', error: `could not load the engine: ${err.message || err}` });
      }
      break;
    case 'analyze':
      analyze(msg);
      break;
    case 'prepare':
      prepare(msg);
      break;
    case 'part':
      part(msg);
      break;
    case 'finish':
      finish(msg);
      break;
    case 'cancel':
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
