package detect

import (
	"slices"

	"github.com/cxaudit/cxaudit/core/plan"
)

// Merge applies a user-given, possibly partial plan over a detected one.
// Every key the user gave wins; detection fills in the rest:
//
//   - kind, confidence, referral_value: when non-empty/non-zero;
//   - csv: per field (delimiter, encoding, skip_rows_after_header, decimal);
//   - columns, timestamp_formats: per role / per column. A role the user
//     maps to "" means "no column";
//   - metrics: per metric. A user metric without a column keeps the
//     detected column; scale, top_box and agree_min the user leaves out
//     are taken from detection only when both name the same column (a
//     detected scale says nothing about another column). A metric given
//     as all-zero (JSON null) removes the detected one;
//   - segments, months, periods, compare, by_month, bootstrap: as a whole
//     when the user gave them (segments: [] means none).
//
// When the user's kind differs from the detected one, detected parts that
// belong to the other kind (its roles, survey metrics, segments, months,
// periods) are dropped rather than carried into a plan they do not fit.
// A column the user puts in a role or metric loses any other role or
// metric detection gave it, so one column never feeds two metrics. The
// result's Detected keeps detection's account of what it still decides and
// marks the user's choices as such. Neither input is modified.
func Merge(detected, user *plan.Plan) *plan.Plan {
	if detected == nil {
		detected = &plan.Plan{}
	}
	out := clonePlan(detected)
	if user == nil {
		return out
	}
	if user.Kind != "" && user.Kind != out.Kind {
		dropForeign(out, user.Kind)
		out.Kind = user.Kind
	}
	if user.Confidence != 0 {
		out.Confidence = user.Confidence
	}
	if user.CSV != nil {
		if out.CSV == nil {
			out.CSV = &plan.CSV{}
		}
		if user.CSV.Delimiter != "" {
			out.CSV.Delimiter = user.CSV.Delimiter
		}
		if user.CSV.Encoding != "" {
			out.CSV.Encoding = user.CSV.Encoding
		}
		if user.CSV.SkipRowsAfterHeader != nil {
			v := *user.CSV.SkipRowsAfterHeader
			out.CSV.SkipRowsAfterHeader = &v
		}
		if user.CSV.Decimal != "" {
			out.CSV.Decimal = user.CSV.Decimal
		}
	}
	if out.Columns == nil {
		out.Columns = map[string]string{}
	}
	if out.Detected == nil {
		out.Detected = map[string]plan.Detection{}
	}
	// Columns the user placed: they leave any detected role or metric.
	claimed := map[string]bool{}
	for _, c := range user.Columns {
		if c != "" {
			claimed[c] = true
		}
	}
	for _, m := range user.Metrics {
		if m.Column != "" {
			claimed[m.Column] = true
		}
	}
	for role, c := range out.Columns {
		if _, given := user.Columns[role]; !given && claimed[c] {
			delete(out.Columns, role)
			dropDetected(out, c, role)
		}
	}
	for name, m := range out.Metrics {
		if _, given := user.Metrics[name]; !given && claimed[m.Column] {
			delete(out.Metrics, name)
			dropDetected(out, m.Column, name)
		}
	}
	if user.Segments == nil {
		out.Segments = slices.DeleteFunc(out.Segments, func(s string) bool {
			if claimed[s] {
				dropDetected(out, s, "segment")
				return true
			}
			return false
		})
	}
	for role, c := range user.Columns {
		if old, ok := out.Columns[role]; ok && old != c {
			dropDetected(out, old, role)
		}
		out.Columns[role] = c
		if c != "" {
			out.Detected[c] = userChoice(role)
		}
	}
	for name, um := range user.Metrics {
		dm, had := out.Metrics[name]
		if um.Column == "" && len(um.Scale) == 0 && len(um.TopBox) == 0 && um.AgreeMin == 0 {
			if had {
				delete(out.Metrics, name)
				dropDetected(out, dm.Column, name)
			}
			continue
		}
		m := plan.Metric{Column: um.Column, Scale: slices.Clone(um.Scale), TopBox: slices.Clone(um.TopBox), AgreeMin: um.AgreeMin}
		if m.Column == "" {
			m.Column = dm.Column
		}
		if had && m.Column == dm.Column {
			if len(m.Scale) == 0 {
				m.Scale = slices.Clone(dm.Scale)
			}
			if len(m.TopBox) == 0 {
				m.TopBox = slices.Clone(dm.TopBox)
			}
			if m.AgreeMin == 0 {
				m.AgreeMin = dm.AgreeMin
			}
		} else if had {
			dropDetected(out, dm.Column, name)
		}
		if out.Metrics == nil {
			out.Metrics = map[string]plan.Metric{}
		}
		out.Metrics[name] = m
		if m.Column != "" && (!had || m.Column != dm.Column) {
			out.Detected[m.Column] = userChoice(name)
		}
	}
	if user.Segments != nil {
		for _, s := range out.Segments {
			dropDetected(out, s, "segment")
		}
		out.Segments = slices.Clone(user.Segments)
		for _, s := range out.Segments {
			if _, ok := out.Detected[s]; !ok {
				out.Detected[s] = userChoice("segment")
			}
		}
	}
	if user.ByMonth != nil {
		v := *user.ByMonth
		out.ByMonth = &v
	}
	if user.Months != nil {
		out.Months = slices.Clone(user.Months)
	}
	if user.Periods != nil {
		out.Periods = slices.Clone(user.Periods)
	}
	if user.ReferralValue != "" {
		out.ReferralValue = user.ReferralValue
	}
	if user.Compare != nil {
		out.Compare = slices.Clone(user.Compare)
	}
	if user.Bootstrap != nil {
		b := *user.Bootstrap
		if out.Bootstrap != nil {
			if b.NResamples == 0 {
				b.NResamples = out.Bootstrap.NResamples
			}
			if b.Seed == 0 {
				b.Seed = out.Bootstrap.Seed
			}
		}
		out.Bootstrap = &b
	}
	for col, f := range user.TimestampFormats {
		if out.TimestampFormats == nil {
			out.TimestampFormats = map[string]string{}
		}
		out.TimestampFormats[col] = f
	}
	if len(out.Detected) == 0 {
		out.Detected = nil
	}
	return out
}

// dropDetected removes a column's Detected entry if it is for role (and
// not, say, the user's own choice for the column made just before).
func dropDetected(p *plan.Plan, column, role string) {
	if d, ok := p.Detected[column]; ok && d.Role == role {
		delete(p.Detected, column)
	}
}

// userChoice is the Detected entry of a column the user assigned.
func userChoice(role string) plan.Detection {
	return plan.Detection{Role: role, Confidence: 1, Why: "set by the user's plan"}
}

// dropForeign removes what only fits the detected kind before switching a
// plan to kind.
func dropForeign(p *plan.Plan, kind string) {
	keep := map[string]bool{}
	for _, r := range plan.Roles[kind] {
		keep[r] = true
	}
	for role, c := range p.Columns {
		if !keep[role] {
			delete(p.Columns, role)
			dropDetected(p, c, role)
		}
	}
	if kind != plan.KindSurvey {
		for name, m := range p.Metrics {
			dropDetected(p, m.Column, name)
		}
		p.Metrics = nil
		p.ByMonth = nil
	}
	if kind != plan.KindSurvey && kind != plan.KindTickets {
		for _, s := range p.Segments {
			dropDetected(p, s, "segment")
		}
		p.Segments = []string{}
	}
	if kind != plan.KindTickets && kind != plan.KindEvents {
		p.Months = nil
	}
	if kind != plan.KindCustomers {
		p.Periods = nil
		p.ReferralValue = ""
	}
	// A role name shared by both kinds ("id", "timestamp") may mean a
	// different column in the new kind; keep it, it is still the best
	// guess, and the user's columns below override it.
}

// clonePlan deep-copies a plan, so Merge never aliases its inputs.
func clonePlan(p *plan.Plan) *plan.Plan {
	c := *p
	if p.CSV != nil {
		csv := *p.CSV
		if p.CSV.SkipRowsAfterHeader != nil {
			v := *p.CSV.SkipRowsAfterHeader
			csv.SkipRowsAfterHeader = &v
		}
		c.CSV = &csv
	}
	if p.Columns != nil {
		c.Columns = make(map[string]string, len(p.Columns))
		for k, v := range p.Columns {
			c.Columns[k] = v
		}
	}
	if p.Metrics != nil {
		c.Metrics = make(map[string]plan.Metric, len(p.Metrics))
		for k, m := range p.Metrics {
			m.Scale = slices.Clone(m.Scale)
			m.TopBox = slices.Clone(m.TopBox)
			c.Metrics[k] = m
		}
	}
	c.Segments = slices.Clone(p.Segments)
	if p.ByMonth != nil {
		v := *p.ByMonth
		c.ByMonth = &v
	}
	c.Months = slices.Clone(p.Months)
	c.Periods = slices.Clone(p.Periods)
	c.Compare = slices.Clone(p.Compare)
	if p.Bootstrap != nil {
		b := *p.Bootstrap
		c.Bootstrap = &b
	}
	if p.TimestampFormats != nil {
		c.TimestampFormats = make(map[string]string, len(p.TimestampFormats))
		for k, v := range p.TimestampFormats {
			c.TimestampFormats[k] = v
		}
	}
	if p.Detected != nil {
		c.Detected = make(map[string]plan.Detection, len(p.Detected))
		for k, v := range p.Detected {
			c.Detected[k] = v
		}
	}
	return &c
}
