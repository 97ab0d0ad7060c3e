// Reading the result document (../shared/docs/result-schema.md) into what
// the page shows: metric cards, segment and month series, comparisons.
// Pure functions: tested with node --test.
import { metricInfo } from './metrics.js';

// isMetric says whether o is a metric object: it has a value and an n or
// a ci (counts such as volume have a value and a ci).
export function isMetric(o) {
  return o !== null && typeof o === 'object' && !Array.isArray(o) && 'value' in o && ('n' in o || 'ci' in o);
}

// ORDER lists metric ids in the order cards are shown.
const ORDER = ['nps', 'csat_top_box', 'csat_mean', 'csat_7pt_top_box', 'csat_7pt_mean', 'ces_agree', 'ces_mean', 'cx_rating_mean',
  'tickets', 'art_hours', 'art_median_hours', 'frt_hours', 'frt_median_hours', 'fcr', 'replies_per_resolution',
  'crr', 'retention_cohort', 'churn', 'trial_conversion', 'referral_rate', 'referral_rate_of_active'];

function rank(id) {
  const i = ORDER.indexOf(id);
  return i < 0 ? ORDER.length : i;
}

export function sortIds(ids) {
  return [...ids].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

// asMetric normalises a number (tickets: 428) into a metric-like object.
function asMetric(v) {
  if (typeof v === 'number') return { value: v, n: null, ci: null };
  return v;
}

// cards returns the groups of metric cards for a result: [{title, cards:
// [{id, metric}]}]. Survey and tickets have one "Overall" group; customers
// one group per period; events one group of MAU per month.
export function cards(doc) {
  const groups = [];
  if (doc.overall) {
    const ids = sortIds(Object.keys(doc.overall).filter((k) => isMetric(doc.overall[k]) || typeof doc.overall[k] === 'number'));
    groups.push({ title: 'Overall', cards: ids.map((id) => ({ id, metric: asMetric(doc.overall[id]) })) });
  }
  if (doc.periods) {
    for (const [label, p] of Object.entries(doc.periods)) {
      const ids = sortIds(Object.keys(p).filter((k) => isMetric(p[k])));
      const counts = ['S', 'E', 'N', 'L', 'N_cancelled_in_period'].filter((k) => k in p).map((k) => `${k} = ${p[k]}`).join(', ');
      groups.push({ title: `Period ${label} (${p.start} to ${p.end})`, note: counts, cards: ids.map((id) => ({ id, metric: p[id] })) });
    }
  }
  if (doc.mau) {
    groups.push({ title: 'Monthly active users', cards: Object.keys(doc.mau).sort().map((m) => ({ id: 'mau', label: `MAU ${m}`, metric: doc.mau[m] })) });
  }
  return groups;
}

// segmentSeries returns, for each segment column and metric id, the rows
// [{segment, value, lo, hi, n}] sorted by value (highest first), nulls last.
export function segmentSeries(doc) {
  const out = [];
  const bySeg = doc.by_segment || {};
  for (const col of Object.keys(bySeg).sort()) {
    const values = bySeg[col];
    const ids = new Set();
    for (const v of Object.values(values)) for (const k of Object.keys(v)) if (isMetric(v[k])) ids.add(k);
    for (const id of sortIds(ids)) {
      const rows = [];
      for (const [seg, ms] of Object.entries(values)) {
        const m = ms[id];
        if (!isMetric(m)) continue;
        rows.push({ segment: seg, value: m.value, lo: m.ci ? m.ci.lo : null, hi: m.ci ? m.ci.hi : null, n: m.n ?? null });
      }
      rows.sort((a, b) => (b.value ?? -Infinity) - (a.value ?? -Infinity) || (a.segment < b.segment ? -1 : 1));
      out.push({ column: col, id, info: metricInfo(id), rows });
    }
  }
  return out;
}

// monthSeries returns trend series [{id, info, rows: [{month, value, lo,
// hi, n}]}]: survey by_month metrics, ticket volume and backlog, MAU.
export function monthSeries(doc) {
  const out = [];
  const series = (id, entries) => ({ id, info: metricInfo(id), rows: entries.sort((a, b) => (a.month < b.month ? -1 : 1)) });
  if (doc.by_month) {
    const ids = new Set();
    for (const v of Object.values(doc.by_month)) for (const k of Object.keys(v)) if (isMetric(v[k])) ids.add(k);
    for (const id of sortIds(ids)) {
      const rows = [];
      for (const [month, ms] of Object.entries(doc.by_month)) {
        const m = ms[id];
        if (isMetric(m)) rows.push({ month, value: m.value, lo: m.ci ? m.ci.lo : null, hi: m.ci ? m.ci.hi : null, n: m.n ?? null });
      }
      out.push(series(id, rows));
    }
  }
  const simple = (id, obj) => out.push(series(id, Object.entries(obj).map(([month, m]) => ({
    month, value: m.value, lo: m.ci ? m.ci.lo : null, hi: m.ci ? m.ci.hi : null, n: null,
  }))));
  if (doc.volume_by_month) simple('volume', doc.volume_by_month);
  if (doc.backlog_at_month_end) simple('backlog', doc.backlog_at_month_end);
  if (doc.mau) simple('mau', doc.mau);
  return out;
}

// npsDistribution returns the bars of the NPS answer distribution: the 0–10
// counts when the document carries them (nps.distribution, an array of 11
// counts or an object keyed by score), else the three groups.
export function npsDistribution(doc) {
  const nps = doc.overall && doc.overall.nps;
  if (!isMetric(nps)) return null;
  const d = nps.distribution || nps.counts || nps.scores;
  if (d) {
    const rows = [];
    for (let s = 0; s <= 10; s++) {
      const c = Array.isArray(d) ? d[s] : d[String(s)];
      rows.push({ score: String(s), count: c || 0, group: s >= 9 ? 'promoter' : s >= 7 ? 'passive' : 'detractor' });
    }
    return { scores: true, rows };
  }
  if (typeof nps.promoters !== 'number') return null;
  return {
    scores: false,
    rows: [
      { score: 'detractors (0–6)', count: nps.detractors, group: 'detractor' },
      { score: 'passives (7–8)', count: nps.passives, group: 'passive' },
      { score: 'promoters (9–10)', count: nps.promoters, group: 'promoter' },
    ],
  };
}

// comparisons flattens doc.comparisons into table rows: one per compared
// metric, with whether the difference is real — the interval excludes 0
// and, when Holm-adjusted p-values are present, the adjusted p < α.
export function comparisons(doc) {
  const alpha = 1 - (doc.confidence || 0.95);
  const rows = [];
  for (const c of doc.comparisons || []) {
    for (const key of Object.keys(c).sort()) {
      if (!key.endsWith('_diff')) continue;
      const d = c[key];
      if (!d || typeof d !== 'object') continue;
      const id = key.slice(0, -'_diff'.length);
      const lo = d.ci ? d.ci.lo : null;
      const hi = d.ci ? d.ci.hi : null;
      const excludes0 = lo !== null && hi !== null && (lo > 0 || hi < 0);
      const p = d.p_value_holm ?? d.p_value ?? null;
      const real = excludes0 && (d.p_value_holm === undefined || d.p_value_holm === null || d.p_value_holm < alpha);
      rows.push({ by: c.by, a: c.a, b: c.b, id, info: metricInfo(id), value: d.value, lo, hi, method: d.ci ? d.ci.method : null,
        n_a: d.n_a, n_b: d.n_b, p_value: d.p_value ?? null, p_holm: d.p_value_holm ?? null, p, excludes0, real });
    }
  }
  return rows;
}

// excludedText renders {reason: count} as "3 blank, 1 not a number".
export function excludedList(ex) {
  if (!ex || typeof ex !== 'object') return [];
  return Object.entries(ex).filter(([, v]) => typeof v === 'number' && v > 0).map(([k, v]) => [k, v]);
}

// periodSeries returns, for customers, each metric across the plan's
// periods in plan order: [{column: 'period', id, info, rows}].
export function periodSeries(doc) {
  if (!doc.periods) return [];
  const ids = new Set();
  for (const p of Object.values(doc.periods)) for (const k of Object.keys(p)) if (isMetric(p[k])) ids.add(k);
  return sortIds(ids).map((id) => ({
    column: 'period',
    id,
    info: metricInfo(id),
    rows: Object.entries(doc.periods).filter(([, p]) => isMetric(p[id])).map(([label, p]) => ({
      segment: label, value: p[id].value, lo: p[id].ci ? p[id].ci.lo : null, hi: p[id].ci ? p[id].ci.hi : null, n: p[id].n ?? null,
    })),
  }));
}
