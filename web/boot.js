// Starts the engine while the page is still loading. This classic script
// runs from <head>, before the app bundle (and its charts) is downloaded
// and parsed:
// - it compiles cxaudit.wasm here, streaming (V8 compiles on background
//   threads, and keeps the compiled code in its cache for the next
//   visit), while the first Web Worker starts in parallel;
// - it starts that worker and posts it the compiled WebAssembly.Module
//   (the worker only instantiates it; web/worker.js). web/lib/engine.js
//   adopts the worker and hands the same Module to the pool's other
//   workers, so the engine is compiled once per page, not per worker.
// If compiling here fails (a host that does not send application/wasm,
// an old browser), the module is null and each worker fetches and
// compiles the wasm itself.
//
// scripts/build-web.mjs puts this script into dist/index.html as it is
// (one request fewer before the wasm download starts: it began 30-35 ms
// sooner), with the wasm's versioned URL in its data-wasm attribute, so
// that its text, which the Content-Security-Policy allows by its hash
// (web/lib/csp.js), is the same for every build.
'use strict';
try {
  performance.mark('cxaudit-boot');
  const wasmURL = (document.currentScript && document.currentScript.dataset.wasm) || 'cxaudit.wasm';
  self.cxauditBootModule = (typeof WebAssembly === 'object' && typeof WebAssembly.compileStreaming === 'function')
    ? WebAssembly.compileStreaming(fetch(wasmURL)).then((m) => {
      performance.mark('cxaudit-compiled');
      return m;
    }, () => null)
    : Promise.resolve(null);
  const worker = new Worker('worker.js');
  self.cxauditBootModule.then((module) => worker.postMessage({ type: 'module', module }));
  self.cxauditBootWorker = worker;
} catch (err) {
  // Left to engine.js, which starts its own worker and reports errors.
}
