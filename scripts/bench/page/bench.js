// The contenders' page: ?engine=duckdb|papaparse|hyparquet&format=csv|parquet.
// The engine is loaded first (body[data-ready-ms]: milliseconds from
// navigation until it can take a file); then a File set on #file-input is
// timed from its change event ("file available") until the point values
// are back on this thread ("numbers ready"). The outcome is window.benchResult
// = {ms, values} or {ms, error}, and body[data-state] becomes done or error.
const params = new URLSearchParams(location.search);
const ENGINE = params.get('engine');
const FORMAT = params.get('format') || 'csv';
const DUCKDB = '/node_modules/@duckdb/duckdb-wasm/dist/';

const $ = (id) => document.getElementById(id);

function finish(result) {
  window.benchResult = result;
  window.benchRuns = (window.benchRuns || 0) + 1;
  $('out').textContent = JSON.stringify(result, null, 2);
  document.body.dataset.state = result.error ? 'error' : 'done';
}

// A contender in a Web Worker of ours: the worker posts {type: 'ready'}
// once loaded, then answers each {file} with {type: 'result', values} or
// {type: 'error', error}.
function workerEngine(url, options) {
  return new Promise((resolve, reject) => {
    const w = new Worker(url, options);
    let pending = null;
    w.onerror = (e) => {
      const err = new Error(`worker: ${e.message || 'failed to load'}`);
      if (pending) pending.reject(err); else reject(err);
    };
    w.onmessage = ({ data }) => {
      if (data.type === 'ready') {
        resolve((file) => new Promise((res, rej) => {
          pending = { resolve: res, reject: rej };
          w.postMessage({ file });
        }));
      } else if (pending) {
        const p = pending;
        pending = null;
        if (data.type === 'result') p.resolve(data.values);
        else p.reject(new Error(data.error));
      }
    };
  });
}

// The cell rule of metrics.md §1 in SQL (the same as cells.js): a score is
// an integer or a decimal with a zero fraction, within lo..hi; anything
// else (blank, "N/A", "ten", "7.5", "11") is NULL and not counted.
const MACROS = [
  `CREATE MACRO cx_cell(x, lo, hi) AS (
     CASE WHEN regexp_full_match(trim(CAST(x AS VARCHAR)), '[+-]?([0-9]+|[0-9]+[.][0-9]*|[.][0-9]+)')
           AND TRY_CAST(trim(CAST(x AS VARCHAR)) AS DOUBLE) = floor(TRY_CAST(trim(CAST(x AS VARCHAR)) AS DOUBLE))
           AND TRY_CAST(trim(CAST(x AS VARCHAR)) AS DOUBLE) BETWEEN lo AND hi
          THEN TRY_CAST(trim(CAST(x AS VARCHAR)) AS DOUBLE) END)`,
  // typed integer columns (Parquet INT32): the range check only
  'CREATE MACRO cx_int(x, lo, hi) AS (CASE WHEN x BETWEEN lo AND hi THEN CAST(x AS DOUBLE) END)',
];

function duckdbSQL(name, format) {
  const src = format === 'csv'
    ? `read_csv('${name}', delim = ',', quote = '"', escape = '"', header = true, all_varchar = true)`
    : `read_parquet('${name}')`;
  const typed = format === 'csv' ? 'cx_cell' : 'cx_int';
  return `WITH c AS (
      SELECT channel, cx_cell(nps, 0, 10) AS nps, ${typed}(csat, 1, 5) AS csat, ${typed}(ces, 1, 7) AS ces
      FROM ${src})
    SELECT grouping(channel) AS overall, channel, count(*) AS rows,
      count(nps) AS nps_n,
      CAST(count_if(nps >= 9) - count_if(nps <= 6) AS DOUBLE) * 100 / count(nps) AS nps,
      count(csat) AS csat_n,
      CAST(count_if(csat >= 4) AS DOUBLE) * 100 / count(csat) AS csat_top2,
      count(ces) AS ces_n,
      avg(ces) AS ces_mean
    FROM c GROUP BY GROUPING SETS ((), (channel))`;
}

async function duckdbEngine() {
  const duckdb = await import(`${DUCKDB}duckdb-browser.mjs`);
  const worker = new Worker(`${DUCKDB}duckdb-browser-eh.worker.js`);
  const db = new duckdb.AsyncDuckDB(new duckdb.VoidLogger(), worker);
  await db.instantiate(new URL(`${DUCKDB}duckdb-eh.wasm`, location.href).href);
  const conn = await db.connect();
  for (const m of MACROS) await conn.query(m);
  document.body.dataset.engineVersion = await db.getVersion();
  let n = 0;
  return async (file) => {
    const name = `input${n++}.${FORMAT}`;
    await db.registerFileHandle(name, file, duckdb.DuckDBDataProtocol.BROWSER_FILEREADER, true);
    const table = await conn.query(duckdbSQL(name, FORMAT));
    const num = (v) => (v === null || v === undefined ? null : Number(v));
    const out = { nps_by_channel: {} };
    for (const r of table.toArray()) {
      const row = r.toJSON();
      if (Number(row.overall) === 1) {
        Object.assign(out, {
          rows: num(row.rows), nps: num(row.nps), nps_n: num(row.nps_n), csat_top2: num(row.csat_top2),
          csat_n: num(row.csat_n), ces_mean: num(row.ces_mean), ces_n: num(row.ces_n),
        });
      } else if (num(row.nps_n) > 0) {
        out.nps_by_channel[row.channel] = { nps: num(row.nps), n: num(row.nps_n) };
      }
    }
    await db.dropFile(name);
    return out;
  };
}

async function load() {
  $('engine').textContent = `${ENGINE} (${FORMAT})`;
  if (ENGINE === 'duckdb') return duckdbEngine();
  if (ENGINE === 'papaparse') return workerEngine('papa-worker.js');
  if (ENGINE === 'hyparquet') return workerEngine('hyparquet-worker.js', { type: 'module' });
  throw new Error(`unknown engine ${JSON.stringify(ENGINE)}`);
}

load().then((run) => {
  document.body.dataset.readyMs = String(performance.now());
  document.body.dataset.state = 'ready';
  $('file-input').addEventListener('change', async (e) => {
    const t0 = performance.now();
    const file = e.target.files[0];
    document.body.dataset.state = 'running';
    try {
      const values = await run(file);
      finish({ ms: performance.now() - t0, values });
    } catch (err) {
      finish({ ms: performance.now() - t0, error: String(err && err.message ? err.message : err) });
    }
  });
}, (err) => {
  document.body.dataset.loadError = String(err && err.message ? err.message : err);
  document.body.dataset.state = 'load-error';
});
