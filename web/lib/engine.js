// The page's side of the worker protocol (web/worker.js): typed messages
// {id, type, ...}; replies {id, type: 'progress' | 'result' | 'error'}.
// One Worker owns the Go engine; if it ever dies (or a cancel is not
// honoured quickly) it is replaced by a fresh one.

export class Engine {
  constructor(url = 'worker.js') {
    this.url = url;
    this.nextId = 1;
    this.pending = new Map();
    this.start();
  }

  start() {
    if (this.worker) this.worker.terminate();
    this.worker = new Worker(this.url);
    this.worker.onmessage = (e) => this.onMessage(e.data || {});
    this.worker.onerror = (e) => {
      const err = new Error(`the engine failed: ${e.message || 'worker error'}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.ready = this.call({ type: 'init' });
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
    this.worker.postMessage({ ...msg, id });
    return promise;
  }

  // analyze runs the engine on a File (or Blob with a name) with an
  // optional plan (JSON text). It returns {promise, cancel}.
  analyze(file, { plan = '', confidence = null, onProgress } = {}) {
    const promise = this.call({ type: 'analyze', file, plan, confidence }, onProgress);
    const id = promise.id;
    const cancel = () => {
      this.worker.postMessage({ type: 'cancel', target: id });
      // A read in flight finishes first; if the engine does not answer
      // within 3 s, replace the worker (the Go instance goes with it).
      const timer = setTimeout(() => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        const err = new Error('cancelled');
        err.cancelled = true;
        p.reject(err);
        this.start();
      }, 3000);
      promise.then(() => clearTimeout(timer), () => clearTimeout(timer));
    };
    return { promise, cancel };
  }

  async planSize(request) {
    const msg = await this.call({ type: 'plan-size', request });
    return JSON.parse(msg.json);
  }
}
