// hyparquet + hand-written JS, in a module Web Worker: the File is read by
// range (footer, then the four column chunks of one row group at a time)
// and each row group's columns go through the accumulator of cells.js.
/* global BenchCells */
import { parquetMetadataAsync, parquetRead } from '/node_modules/hyparquet/src/index.js';
import './cells.js';

const COLUMNS = ['channel', 'nps', 'csat', 'ces'];

async function run(f) {
  const file = { byteLength: f.size, slice: (start, end) => f.slice(start, end).arrayBuffer() };
  const metadata = await parquetMetadataAsync(file);
  const acc = new BenchCells.Acc();
  let start = 0;
  for (const rg of metadata.row_groups) {
    const n = Number(rg.num_rows);
    const parts = Object.fromEntries(COLUMNS.map((c) => [c, []]));
    await parquetRead({
      file, metadata, columns: COLUMNS, rowStart: start, rowEnd: start + n,
      onChunk: ({ columnName, columnData, rowStart }) => parts[columnName].push({ rowStart, columnData }),
    });
    const cols = COLUMNS.map((c) => {
      const p = parts[c];
      if (p.length === 1 && p[0].rowStart === start && p[0].columnData.length === n) return p[0].columnData;
      const out = new Array(n);
      let got = 0;
      for (const { rowStart, columnData } of p) {
        for (let i = 0; i < columnData.length; i++) out[rowStart - start + i] = columnData[i];
        got += columnData.length;
      }
      if (got !== n) throw new Error(`hyparquet: column ${c} gave ${got} of ${n} rows in the row group at ${start}`);
      return out;
    });
    const [ch, nps, csat, ces] = cols;
    for (let i = 0; i < n; i++) acc.add(ch[i], nps[i], csat[i], ces[i]);
    start += n;
  }
  return acc.result();
}

self.onmessage = async (event) => {
  try {
    self.postMessage({ type: 'result', values: await run(event.data.file) });
  } catch (err) {
    self.postMessage({ type: 'error', error: `hyparquet: ${err && err.message ? err.message : err}` });
  }
};

self.postMessage({ type: 'ready' });
