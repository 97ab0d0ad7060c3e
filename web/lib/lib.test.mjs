// Unit tests of the page's pure helpers (node --test web/lib/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { fmt, fmtCI, metricInfo, methodName, ciMethodName } from './metrics.js';
import { cards, segmentSeries, monthSeries, comparisons, npsDistribution, periodSeries } from './doc.js';
import { toMapping, toPlan, cleanPlan } from './plan.js';
import { readSettings, writeSettings } from './url.js';
import { reportHTML, esc } from './report-html.js';
import { CSP } from './csp.js';
import { defaultWorkers, MAX_WORKERS } from './engine.js';

const survey = JSON.parse(fs.readFileSync(new URL('../../testdata/oracle/survey_main.expected.json', import.meta.url)));
const surveyPlan = JSON.parse(fs.readFileSync(new URL('../../testdata/oracle/survey_main.spec.json', import.meta.url)));

test('fmt formats by kind', () => {
  assert.equal(fmt(16.4026, 'nps'), '+16.4');
  assert.equal(fmt(-3, 'nps'), '-3.0');
  assert.equal(fmt(65.31, 'pct'), '65.3 %');
  assert.equal(fmt(0.5, 'hours'), '30.0 min');
  assert.equal(fmt(12345, 'count'), '12,345');
  assert.equal(fmt(null, 'pct'), '—');
  assert.equal(fmtCI({ lo: 1.234, hi: 2.5 }, 'mean'), '1.23 to 2.50');
  assert.equal(methodName('adjusted_wald'), 'adjusted Wald');
  assert.equal(ciMethodName({ method: 'bootstrap_bca', n_resamples: 9999 }), 'BCa bootstrap');
  assert.equal(ciMethodName({ method: 'bootstrap_bca', algorithm: 'abc' }), 'BCa bootstrap (ABC approximation, no resampling)');
  assert.equal(ciMethodName(null), '');
  assert.equal(metricInfo('unknown_rate').kind, 'pct');
});

test('cards, series and comparisons read the oracle document', () => {
  const g = cards(survey);
  assert.equal(g[0].title, 'Overall');
  assert.equal(g[0].cards[0].id, 'nps');
  const segs = segmentSeries(survey);
  const npsByChannel = segs.find((s) => s.column === 'channel' && s.id === 'nps');
  assert.ok(npsByChannel.rows.length >= 4);
  for (let i = 1; i < npsByChannel.rows.length; i++) assert.ok(npsByChannel.rows[i - 1].value >= npsByChannel.rows[i].value, 'sorted by value');
  assert.deepEqual(monthSeries(survey).find((s) => s.id === 'nps').rows.map((r) => r.month), ['2024-01', '2024-02', '2024-03']);
  const comps = comparisons(survey);
  assert.ok(comps.length > 0);
  for (const c of comps) assert.equal(c.real, c.excludes0 && (c.p_holm === null || c.p_holm < 0.05));
  assert.equal(npsDistribution(survey).rows.length, 3);
  assert.deepEqual(periodSeries(survey), []);
});

test('mapping round-trips a plan and rejects a role given twice', () => {
  const plan = { ...surveyPlan, _detected: { csat: { role: 'csat', confidence: 0.97, why: 'header' } } };
  const header = ['respondent_id', 'submitted_at', 'nps_ltr', 'csat', 'csat_7pt', 'ces', 'cx_rating', 'channel', 'region', 'comment'];
  const m = toMapping(plan, header);
  assert.equal(m.rows.find((r) => r.column === 'csat').role, 'csat');
  assert.equal(m.rows.find((r) => r.column === 'csat').confidence, 0.97);
  assert.equal(m.rows.find((r) => r.column === 'comment').role, '');
  const back = toPlan(plan, m);
  assert.deepEqual(back.metrics, plan.metrics);
  assert.deepEqual(back.columns, plan.columns);
  assert.deepEqual(back.segments, plan.segments);
  assert.deepEqual(back.compare, plan.compare);
  assert.equal(back._detected, undefined);
  m.rows.find((r) => r.column === 'comment').role = 'csat';
  assert.throws(() => toPlan(plan, m), /two columns/);
  assert.equal(cleanPlan(plan)._detected, undefined);
});

test('URL settings keep only known settings', () => {
  assert.deepEqual(readSettings('?theme=dark&confidence=0.9&x=<b>&sample=nope'), { theme: 'dark', confidence: '0.9', sample: '', workers: '' });
  assert.equal(readSettings('?workers=2').workers, '2');
  for (const bad of ['0', '-1', '1.5', '17', 'two']) assert.equal(readSettings(`?workers=${bad}`).workers, '', bad);
  assert.equal(writeSettings({ theme: 'auto', confidence: '', sample: '' }), '');
  assert.equal(writeSettings({ theme: 'light', confidence: '0.99', sample: 'survey' }), '?theme=light&confidence=0.99&sample=survey');
  assert.equal(writeSettings({ theme: 'auto', confidence: '', sample: '', workers: '2' }), '?workers=2');
});

test('the HTML report escapes file text and holds no script', () => {
  const doc = JSON.parse(JSON.stringify(survey));
  doc.source = { name: '<script>x</script>.csv' };
  doc.by_segment = { '<b>seg</b>': doc.by_segment.channel };
  const html = reportHTML(doc);
  assert.ok(!html.includes('<script>x'));
  assert.ok(!html.includes('<b>seg</b>'));
  assert.ok(html.includes(esc('<b>seg</b>')));
  assert.ok(!/<script/i.test(html));
});

test('the CSP allows no other origin', () => {
  assert.match(CSP, /default-src 'self'/);
  assert.match(CSP, /connect-src 'self'/);
  assert.ok(!/https?:|\*/.test(CSP));
});

test('defaultWorkers: one per core but one, 1 to MAX_WORKERS', () => {
  for (const [cores, want] of [[undefined, 1], [0, 1], [1, 1], [2, 1], [3, 2], [4, 3], [5, 4], [16, MAX_WORKERS], ['8', 4], [2.5, 1]]) {
    assert.equal(defaultWorkers(cores), want, `${cores} cores`);
  }
});
