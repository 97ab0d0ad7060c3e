// The mapping panel's model: a plan (result-schema.md, "The plan") seen
// as one row per column of the file with its role, and back. Pure
// functions: tested with node --test.

export const KINDS = ['survey', 'tickets', 'customers', 'events'];

// COLUMN_ROLES are the plan.columns roles of each kind (core/plan Roles).
export const COLUMN_ROLES = {
  survey: ['id', 'timestamp'],
  tickets: ['id', 'created_at', 'first_response_at', 'resolved_at', 'replies', 'fcr'],
  customers: ['id', 'trial_started_at', 'subscribed_at', 'cancelled_at', 'source'],
  events: ['user_id', 'timestamp'],
};

// METRIC_ROLES are the survey metrics a column can feed, with the default
// scale the engine assumes.
export const METRIC_ROLES = { nps: [0, 10], csat: [1, 5], csat_7pt: [1, 7], ces: [1, 7], cx_rating: [1, 10] };

export const ROLE_LABELS = {
  '': '— not used —',
  id: 'id', timestamp: 'timestamp', created_at: 'created at', first_response_at: 'first response at',
  resolved_at: 'resolved at', replies: 'reply count', fcr: 'first-contact resolved (flag)',
  trial_started_at: 'trial started at', subscribed_at: 'subscribed at', cancelled_at: 'cancelled at',
  source: 'acquisition source', user_id: 'user id',
  nps: 'NPS (0–10)', csat: 'CSAT (1–5)', csat_7pt: 'CSAT (1–7)', ces: 'CES (1–7)', cx_rating: 'CX rating',
  segment: 'segment (break down by)',
};

// rolesFor lists the roles a column may take in a plan of kind.
export function rolesFor(kind) {
  const r = ['', ...(COLUMN_ROLES[kind] || [])];
  if (kind === 'survey') r.push(...Object.keys(METRIC_ROLES));
  r.push('segment');
  return r;
}

// toMapping turns a plan and the file's header into the panel's model.
// Columns the header lacks but the plan names are listed too (a loaded plan
// may name columns of another file; the engine will say so).
export function toMapping(plan, header = []) {
  plan = plan || {};
  const kind = KINDS.includes(plan.kind) ? plan.kind : 'survey';
  const names = [...header];
  const add = (c) => { if (c && !names.includes(c)) names.push(c); };
  for (const c of Object.values(plan.columns || {})) add(c);
  for (const m of Object.values(plan.metrics || {})) add(m && m.column);
  for (const c of plan.segments || []) add(c);
  const det = plan._detected || {};
  const rows = names.map((column) => {
    let role = '';
    let scale = null;
    for (const [r, c] of Object.entries(plan.columns || {})) if (c === column && COLUMN_ROLES[kind].includes(r)) role = r;
    for (const [m, spec] of Object.entries(plan.metrics || {})) {
      if (spec && spec.column === column) {
        role = m;
        scale = Array.isArray(spec.scale) ? [...spec.scale] : [...(METRIC_ROLES[m] || [])];
      }
    }
    if (!role && (plan.segments || []).includes(column)) role = 'segment';
    const d = det[column];
    return {
      column,
      role,
      scale,
      confidence: d && typeof d.confidence === 'number' ? d.confidence : null,
      why: d && d.why ? String(d.why) : '',
      detectedRole: d && d.role ? String(d.role) : '',
    };
  });
  return {
    kind,
    rows,
    byMonth: plan.by_month !== false,
    months: Array.isArray(plan.months) ? plan.months.join(', ') : '',
    periods: (plan.periods || []).map((p) => `${p.label}, ${p.start}, ${p.end}`).join('\n'),
    referral: plan.referral_value || '',
    compare: (plan.compare || []).map((c) => `${c.by}, ${c.a}, ${c.b}`).join('\n'),
  };
}

function lines(text) {
  return String(text || '').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}

// toPlan builds the plan the mapping describes on top of base (the plan in
// use: CSV settings, bootstrap, timestamp formats and confidence are kept).
// It throws an Error with a readable message when a line does not parse
// or a role is given to two columns.
export function toPlan(base, m) {
  const plan = JSON.parse(JSON.stringify(base || {}));
  delete plan._detected;
  plan.kind = m.kind;
  plan.columns = {};
  plan.segments = [];
  delete plan.metrics;
  const metrics = {};
  for (const row of m.rows) {
    if (!row.role) continue;
    if (row.role === 'segment') {
      plan.segments.push(row.column);
    } else if (METRIC_ROLES[row.role]) {
      if (m.kind !== 'survey') continue;
      if (metrics[row.role]) throw new Error(`${ROLE_LABELS[row.role]} is given to two columns: "${metrics[row.role].column}" and "${row.column}"`);
      const prev = base && base.metrics && base.metrics[row.role];
      const spec = { column: row.column };
      const scale = row.scale && row.scale.length === 2 ? row.scale.map(Number) : null;
      if (scale) {
        if (!Number.isInteger(scale[0]) || !Number.isInteger(scale[1]) || scale[0] >= scale[1]) {
          throw new Error(`the scale of "${row.column}" must be two whole numbers, min below max`);
        }
        // NPS is always 0–10; a default scale is written only if the
        // plan already said it.
        const isDefault = JSON.stringify(scale) === JSON.stringify(METRIC_ROLES[row.role]);
        if (row.role !== 'nps' && (!isDefault || (prev && prev.scale))) spec.scale = scale;
      }
      const sameScale = prev && JSON.stringify(prev.scale || null) === JSON.stringify(spec.scale || null);
      if (prev && sameScale && prev.top_box) spec.top_box = prev.top_box;
      if (prev && sameScale && prev.agree_min) spec.agree_min = prev.agree_min;
      metrics[row.role] = spec;
    } else {
      if (plan.columns[row.role]) throw new Error(`the role "${ROLE_LABELS[row.role] || row.role}" is given to two columns: "${plan.columns[row.role]}" and "${row.column}"`);
      plan.columns[row.role] = row.column;
    }
  }
  if (m.kind === 'survey') {
    plan.metrics = metrics;
    plan.by_month = !!m.byMonth;
  } else {
    delete plan.by_month;
  }
  if (m.kind === 'tickets' || m.kind === 'events') {
    const months = String(m.months || '').split(/[\s,]+/).filter(Boolean);
    for (const mo of months) if (!/^\d{4}-\d{2}$/.test(mo)) throw new Error(`month "${mo}" is not YYYY-MM`);
    plan.months = months.length ? months : null;
  } else {
    plan.months = null;
  }
  if (m.kind === 'customers') {
    plan.periods = lines(m.periods).map((l) => {
      const [label, start, end, ...rest] = l.split(',').map((s) => s.trim());
      if (!label || !start || !end || rest.length) throw new Error(`period "${l}" should be: label, start, end`);
      return { label, start, end };
    });
    if (m.referral) plan.referral_value = m.referral;
  } else {
    delete plan.periods;
    delete plan.referral_value;
  }
  const compare = lines(m.compare).map((l) => {
    const [by, a, b, ...rest] = l.split(',').map((s) => s.trim());
    if (!by || a === undefined || b === undefined || rest.length) throw new Error(`comparison "${l}" should be: column (or month), a, b`);
    return { by, a, b };
  });
  if (compare.length) plan.compare = compare;
  else delete plan.compare;
  return plan;
}

// cleanPlan is the plan as exported: the plan in use without detection's
// bookkeeping (keys starting with "_" are ignored on input anyway).
export function cleanPlan(plan) {
  const p = JSON.parse(JSON.stringify(plan || {}));
  for (const k of Object.keys(p)) if (k.startsWith('_')) delete p[k];
  return p;
}
