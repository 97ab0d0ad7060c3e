// The cell rule of metrics.md §1 for scale scores, and the accumulator of
// the benchmark's point values, shared by the hand-written contenders
// (papa-worker.js, hyparquet-worker.js). A classic script: loaded with
// importScripts or as a side-effect module import; it defines self.BenchCells.
//
// A score cell: trim → blank if empty → an integer, or a decimal whose
// fraction is zero ("9.0" is 9) → otherwise excluded ("N/A", "ten": non
// numeric; "7.5": non integer; "11": out of range). Typed Parquet integers
// are taken as they are; null is blank.
'use strict';

(() => {
  const NUM = /^[+-]?(\d+|\d+\.\d*|\.\d+)$/;

  // score returns the integer score of v on lo..hi, or -1 when excluded.
  function score(v, lo, hi) {
    if (v === null || v === undefined) return -1;
    if (typeof v === 'number') return Number.isInteger(v) && v >= lo && v <= hi ? v : -1;
    let s = v;
    if (s.length === 1) { // fast path: one digit
      const c = s.charCodeAt(0) - 48;
      return c >= 0 && c <= 9 && c >= lo && c <= hi ? c : -1;
    }
    s = s.trim();
    if (s === '' || !NUM.test(s)) return -1;
    const x = Number(s);
    return Number.isInteger(x) && x >= lo && x <= hi ? x : -1;
  }

  class Acc {
    constructor() {
      this.rows = 0;
      this.prom = 0; this.det = 0; this.npsN = 0;
      this.top2 = 0; this.csatN = 0;
      this.cesSum = 0; this.cesN = 0;
      this.channels = new Map(); // value → [promoters, detractors, n]
    }

    add(channel, nps, csat, ces) {
      this.rows++;
      const v = score(nps, 0, 10);
      if (v >= 0) {
        let g = this.channels.get(channel);
        if (!g) this.channels.set(channel, g = [0, 0, 0]);
        g[2]++; this.npsN++;
        if (v >= 9) { g[0]++; this.prom++; } else if (v <= 6) { g[1]++; this.det++; }
      }
      const c = score(csat, 1, 5);
      if (c >= 0) { this.csatN++; if (c >= 4) this.top2++; }
      const e = score(ces, 1, 7);
      if (e >= 0) { this.cesN++; this.cesSum += e; }
    }

    result() {
      const nps = (p, d, n) => (n ? (100 * (p - d)) / n : null);
      const byChannel = {};
      for (const [k, [p, d, n]] of this.channels) byChannel[k] = { nps: nps(p, d, n), n };
      return {
        rows: this.rows,
        nps: nps(this.prom, this.det, this.npsN), nps_n: this.npsN,
        csat_top2: this.csatN ? (100 * this.top2) / this.csatN : null, csat_n: this.csatN,
        ces_mean: this.cesN ? this.cesSum / this.cesN : null, ces_n: this.cesN,
        nps_by_channel: byChannel,
      };
    }
  }

  self.BenchCells = { score, Acc };
})();
