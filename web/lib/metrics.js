// What each metric of the result document is called, how its value is
// shown, and how it is computed (texts from ../shared/docs/metrics.md).
// Pure data and functions: tested with node --test.

const WILSON = 'Wilson score interval: p̂ = k/n; centre = (p̂ + z²/2n)/(1 + z²/n); half-width = z·√(p̂(1−p̂)/n + z²/4n²)/(1 + z²/n); z = Φ⁻¹(1 − α/2). Source: Wilson 1927; Newcombe 1998; Brown, Cai & DasGupta 2001.';
const T_MEAN = 'Student t interval: x̄ ± t(1 − α/2; n − 1)·s/√n, s with n − 1, clipped to the scale. Source: Student 1908; Sauro & Lewis, Quantifying the User Experience.';
const BCA = 'BCa bootstrap (B = 9999 resamples, as scipy.stats.bootstrap): bias correction z₀ from the share of resampled means below the mean, acceleration a from the jackknife; n < 10 gives no interval. Approximate for skewed data with n < 100 — read it next to the median. For large samples (B·n above 2²⁵, i.e. n > 3 355 at B = 9999, or when a file\'s groups together would resample more than 2²⁸ values) the BCa interval is computed analytically by the ABC method, which agrees with BCa to second order, with no resampling; the card then says "ABC". Source: Efron 1987; Efron & Tibshirani 1993 §14.3, §14.4; DiCiccio & Efron 1992.';
const MEDIAN = 'Sample median (mean of the two middle values for even n). Interval from order statistics: j = max{j : P(B ≤ j) ≤ α/2}, B ~ Bin(n, ½); CI = [X₍ⱼ₊₁₎, X₍ₙ₋ⱼ₎]; undefined for n ≤ 5. Source: Conover 1999 §3.2; Hahn & Meeker 1991.';
const GARWOOD = 'Garwood exact Poisson interval: lo = ½χ²(α/2; 2k) (0 when k = 0), hi = ½χ²(1 − α/2; 2k + 2). Source: Garwood 1936.';

// METRICS maps a metric id to {label, unit, kind, how}. kind: 'pct'
// (0–100), 'nps' (−100…100), 'mean' (scale points), 'hours', 'count'.
export const METRICS = {
  nps: { label: 'NPS', unit: 'points', kind: 'nps', how: 'NPS = (P − D)/n × 100, P = promoters (9–10), D = detractors (0–6) among n valid 0–10 answers. Adjusted Wald interval (3 pseudo-observations): n′ = n + 3; p′ = (P + ¾)/n′; d′ = (D + ¾)/n′; c = p′ − d′; SE = √((p′ + d′ − c²)/n′); c ± z·SE, clipped to [−100, 100]. The interval is centred on the adjusted score, so for tiny n the observed NPS can fall outside it. Source: Rocks 2016 (The American Statistician 70:365); Lewis & Sauro, MeasuringU 2021.' },
  csat_top_box: { label: 'CSAT (top-2-box)', unit: '%', kind: 'pct', how: `Share of valid 1–5 answers that are 4 or 5: k/n × 100. ${WILSON}` },
  csat_mean: { label: 'CSAT (mean, 1–5)', unit: 'points', kind: 'mean', how: `Mean of the valid 1–5 answers. ${T_MEAN}` },
  csat_7pt_top_box: { label: 'CSAT 7-point (top-2-box)', unit: '%', kind: 'pct', how: `Share of valid 1–7 answers that are 6 or 7: k/n × 100. ${WILSON}` },
  csat_7pt_mean: { label: 'CSAT 7-point (mean)', unit: 'points', kind: 'mean', how: `Mean of the valid 1–7 answers. ${T_MEAN}` },
  ces_mean: { label: 'CES (mean, 1–7)', unit: 'points', kind: 'mean', how: `Mean of the valid 1–7 customer-effort answers. ${T_MEAN}` },
  ces_agree: { label: 'CES (% agree)', unit: '%', kind: 'pct', how: `Share of valid 1–7 answers of 5 or more (agree that it was easy): k/n × 100. ${WILSON}` },
  cx_rating_mean: { label: 'CX rating (mean)', unit: 'points', kind: 'mean', how: `Mean of the valid ratings on the plan's scale (1–10 by default). ${T_MEAN}` },
  tickets: { label: 'Tickets', unit: '', kind: 'count', how: 'Number of ticket rows in the file (or the segment).' },
  art_hours: { label: 'Resolution time (mean)', unit: 'h', kind: 'hours', how: `Mean of resolved − created, in hours, over tickets with both timestamps parseable; negative durations are excluded and counted. ${BCA} A Student t interval is reported alongside.` },
  art_median_hours: { label: 'Resolution time (median)', unit: 'h', kind: 'hours', how: MEDIAN },
  frt_hours: { label: 'First response time (mean)', unit: 'h', kind: 'hours', how: `Mean of first_response − created, in hours. ${BCA}` },
  frt_median_hours: { label: 'First response time (median)', unit: 'h', kind: 'hours', how: MEDIAN },
  fcr: { label: 'First contact resolution', unit: '%', kind: 'pct', how: `Tickets flagged resolved at first contact over tickets with a valid flag (yes/y/true/1, no/n/false/0). ${WILSON}` },
  replies_per_resolution: { label: 'Replies per resolution', unit: '', kind: 'mean', how: `Mean reply count over resolved tickets with a valid count. ${T_MEAN.replace('clipped to the scale', 'clipped at 0')}` },
  crr: { label: 'Customer retention rate', unit: '%', kind: 'pct', how: `CRR = (E − N)/S × 100: S customers at the start of the period, E at the end, N new in the period. ${WILSON} (k = E − N, n = S)` },
  retention_cohort: { label: 'Cohort retention', unit: '%', kind: 'pct', how: `(S − L)/S × 100 = 100 − churn: share of the customers at the start still subscribed at the end. ${WILSON}` },
  churn: { label: 'Churn rate', unit: '%', kind: 'pct', how: `L/S × 100: customers at the start of the period who cancelled before its end. ${WILSON}` },
  trial_conversion: { label: 'Trial → paid', unit: '%', kind: 'pct', how: `Trials started in the period that subscribed at or after the trial start, over those trials (late trials have had less time to convert). ${WILSON}` },
  referral_rate: { label: 'Referral rate (of new)', unit: '%', kind: 'pct', how: `New customers whose source is the referral value, over all new customers N. ${WILSON}` },
  referral_rate_of_active: { label: 'Referral rate (of active)', unit: '%', kind: 'pct', how: `Referred customers active at the end over E. ${WILSON}` },
  mau: { label: 'Monthly active users', unit: '', kind: 'count', how: `Distinct non-blank user ids with at least one parseable event in the UTC calendar month: a complete count, not a sample. ${GARWOOD} (an optional model interval for month-to-month noise)` },
  volume: { label: 'Ticket volume', unit: '', kind: 'count', how: `Tickets created in the UTC calendar month. ${GARWOOD}` },
  backlog: { label: 'Backlog at month end', unit: '', kind: 'count', how: 'Tickets created before the month end and unresolved (or resolved after it) at that instant: a snapshot, no interval.' },
};

export const DIFF_HOW = {
  nps: 'Adjusted Wald difference: each group adjusted as for NPS, (c₁ − c₂) ± z·√(Var₁/n′₁ + Var₂/n′₂), clipped to [−200, 200]. Source: MeasuringU 2021, "How to Statistically Compare Two NPS".',
  pct: 'Newcombe hybrid score interval (method 10) from the two Wilson intervals: L = δ − √((p₁ − l₁)² + (u₂ − p₂)²), U = δ + √((u₁ − p₁)² + (p₂ − l₂)²). Source: Newcombe 1998b.',
  mean: 'Welch t interval with Welch–Satterthwaite degrees of freedom. Source: Welch 1947.',
};

export const METHODS = {
  wilson: 'Wilson score',
  adjusted_wald: 'adjusted Wald',
  adjusted_wald_diff: 'adjusted Wald difference',
  student_t: 'Student t',
  welch_t: 'Welch t',
  bootstrap_bca: 'BCa bootstrap',
  bootstrap_percentile: 'bootstrap percentile',
  order_statistic: 'order statistics',
  garwood_exact_poisson: 'Garwood exact Poisson',
  newcombe_hybrid_score: 'Newcombe hybrid score',
  tango_score: 'Tango score',
};

export const REASONS = {
  blank: 'blank',
  non_numeric: 'not a number',
  non_integer: 'not a whole number',
  out_of_range: 'outside the scale',
  bad_timestamp: 'unreadable date',
  unrecognized: 'unrecognised value',
  negative_duration: 'negative duration',
};

// metricInfo returns the description of metric id, with a readable
// fallback for ids this page does not know yet.
export function metricInfo(id) {
  if (METRICS[id]) return METRICS[id];
  const kind = /_pct$|rate|top_box|agree/.test(id) ? 'pct' : /hours/.test(id) ? 'hours' : /mean/.test(id) ? 'mean' : 'count';
  return { label: id.replace(/_/g, ' '), unit: kind === 'pct' ? '%' : kind === 'hours' ? 'h' : '', kind, how: '' };
}

// methodName turns a ci.method id into words.
export function methodName(m) {
  return METHODS[m] || (m ? String(m).replace(/_/g, ' ') : '');
}

// ciMethodName names the method of a ci object; a BCa interval the core
// computed analytically for a large sample ("algorithm": "abc") says so.
export function ciMethodName(ci) {
  const name = methodName(ci && ci.method);
  return ci && ci.algorithm === 'abc' ? `${name} (ABC approximation, no resampling)` : name;
}

// fmt formats a metric value for display: NPS and percentages with one
// decimal, means with two, hours with one (or minutes below an hour), counts
// as integers. null is an em dash.
export function fmt(v, kind) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (typeof v !== 'number') return String(v);
  switch (kind) {
    case 'nps': return (v > 0 ? '+' : '') + v.toFixed(1);
    case 'pct': return `${v.toFixed(1)} %`;
    case 'mean': return v.toFixed(2);
    case 'hours': return Math.abs(v) < 1 ? `${(v * 60).toFixed(1)} min` : `${v.toFixed(1)} h`;
    case 'count': return Number.isInteger(v) ? v.toLocaleString('en-US') : v.toFixed(1);
    default: return String(+v.toPrecision(6));
  }
}

// fmtCI formats an interval object {lo, hi} (or null).
export function fmtCI(ci, kind) {
  if (!ci || ci.lo === undefined || ci.lo === null) return '';
  const k = kind === 'nps' ? 'npsplain' : kind;
  const f = (x) => (k === 'npsplain' ? x.toFixed(1) : fmt(x, kind));
  return `${f(ci.lo)} to ${f(ci.hi)}`;
}

// fmtP formats a p-value.
export function fmtP(p) {
  if (p === null || p === undefined) return '—';
  if (p < 0.0001) return '< 0.0001';
  return p.toFixed(4);
}
