// PapaParse + hand-written JS, in a Web Worker: Papa streams the File in
// chunks (its default 10 MB local chunk size, FileReader); every chunk's
// rows go through the accumulator of cells.js.
/* global Papa, BenchCells */
'use strict';

importScripts('/node_modules/papaparse/papaparse.min.js', 'cells.js');

self.onmessage = (event) => {
  const { file } = event.data;
  const acc = new BenchCells.Acc();
  let idx = null;
  let failed = false;
  Papa.parse(file, {
    skipEmptyLines: true,
    chunk: (res, parser) => {
      if (res.errors.length) {
        failed = true;
        parser.abort();
        self.postMessage({ type: 'error', error: `papaparse: ${res.errors[0].message} (row ${res.errors[0].row})` });
        return;
      }
      let i = 0;
      const data = res.data;
      if (!idx) {
        const h = data[0];
        idx = { channel: h.indexOf('channel'), nps: h.indexOf('nps'), csat: h.indexOf('csat'), ces: h.indexOf('ces') };
        i = 1;
      }
      const { channel, nps, csat, ces } = idx;
      for (; i < data.length; i++) {
        const r = data[i];
        acc.add(r[channel], r[nps], r[csat], r[ces]);
      }
    },
    complete: () => { if (!failed) self.postMessage({ type: 'result', values: acc.result() }); },
    error: (err) => self.postMessage({ type: 'error', error: `papaparse: ${err.message || err}` }),
  });
};

self.postMessage({ type: 'ready' });
