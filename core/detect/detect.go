// Package detect infers a plan (../plan) from a file's header and a sample
// of its rows: which kind of dataset it is, which column plays which role,
// which survey metric reads which column on which scale, which columns are
// worth breaking results down by, and how to read the file.
//
// Detection combines two kinds of evidence and says which it used, because
// the user has to be able to check it: header names (many vendor
// spellings: Qualtrics, SurveyMonkey, Zendesk, Freshdesk, Intercom, Stripe,
// Chargebee, and a few languages) and values, parsed with the very cell
// parsers the engine uses (../cell), so "98% of values are integers 0–10"
// means 98% of the sample will count. Every assignment carries a
// confidence: name and values agreeing ≥ 0.9, values alone 0.55–0.75, a
// name alone ≤ 0.45, a name whose values contradict it ≈ 0.25.
//
// Detection never fails on odd input: any header or cell is just text. It
// returns an error only when nothing usable is found, and then says what it
// looked for.
package detect

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// Sample is what detection sees: the header and the first rows
// (column-major), plus what the reader found.
type Sample struct {
	Header []string
	// Columns[j][i] is the cell of column j in sample row i. Missing or
	// short columns read as blank.
	Columns [][]string
	Info    ingest.Info // delimiter, encoding, skip_rows_after_header the reader used
	Format  string      // "csv" or "parquet"
}

// Detect infers a plan from a sample. Every role, metric and segment it
// assigns gets an entry in plan.Detected keyed by column name, with the
// role, a confidence in [0, 1] and one sentence naming the evidence.
//
// The returned plan is ready for the engine after plan.Normalize; it
// leaves compare empty (comparisons are the user's question) and months
// nil (every month present).
func Detect(s Sample) (*plan.Plan, error) {
	d := newDetector(s)
	results := []*result{d.survey(), d.tickets(), d.customers(), d.events()}
	var best *result
	for _, r := range results {
		if r.qualifies && (best == nil || r.score > best.score) {
			best = r
		}
	}
	if best == nil {
		return nil, d.nothingFound()
	}
	return d.build(best), nil
}

// DetectKind infers a plan for a kind the user has already chosen: the
// roles (and, for surveys, metrics) of that kind, even when the sample
// looks more like another kind. It returns what it finds, possibly little;
// the error is only for an unknown kind. Hosts call it instead of Detect
// when a partial user plan names the kind, then Merge the user plan over it.
func DetectKind(s Sample, kind string) (*plan.Plan, error) {
	d := newDetector(s)
	var r *result
	switch kind {
	case plan.KindSurvey:
		r = d.survey()
	case plan.KindTickets:
		r = d.tickets()
	case plan.KindCustomers:
		r = d.customers()
	case plan.KindEvents:
		r = d.events()
	default:
		return nil, fmt.Errorf("detect: unknown kind %q (survey, tickets, customers or events)", kind)
	}
	return d.build(r), nil
}

// detector holds the column profiles of one sample.
type detector struct {
	s            Sample
	profiles     []*profile // one per usable column, in file order
	decimalComma bool
	rows         int
}

// assignment is one column in one role.
type assignment struct {
	role string
	p    *profile
	conf float64
	why  string
	rank int // name pattern index: lower is the preferred spelling
}

// result is a candidate plan for one kind.
type result struct {
	kind      string
	qualifies bool
	score     float64
	roles     map[string]*assignment
	metrics   map[string]*metricAssignment
	segments  []*assignment
	periods   []plan.Period
	periodWhy string
	referral  string
	refWhy    string
}

func newDetector(s Sample) *detector {
	d := &detector{s: s}
	for _, col := range s.Columns {
		d.rows = max(d.rows, len(col))
	}
	d.decimalComma = decideDecimalComma(s)
	seen := map[string]bool{}
	for j, name := range s.Header {
		// The plan names columns by header, and the engine binds a name to
		// its first occurrence; an empty or repeated header cannot be named.
		if strings.TrimSpace(strings.TrimPrefix(name, "\ufeff")) == "" || seen[name] {
			continue
		}
		seen[name] = true
		var cells []string
		if j < len(s.Columns) {
			cells = s.Columns[j]
		}
		p := newProfile(j, name, cells, d.decimalComma)
		p.rows = d.rows // short columns read as blank
		d.profiles = append(d.profiles, p)
	}
	return d
}

// decideDecimalComma reports whether numbers use a decimal comma: only in
// ";"-separated files (where "," is free to be a decimal mark, as in
// German or French exports), when comma decimals like "7,5" outnumber
// point decimals.
func decideDecimalComma(s Sample) bool {
	if s.Info.Delimiter != ";" {
		return false
	}
	comma, dot := 0, 0
	for _, col := range s.Columns {
		for _, c := range col {
			switch decimalKind(cell.Trim([]byte(c))) {
			case ',':
				comma++
			case '.':
				dot++
			}
		}
	}
	return comma > 0 && comma > dot
}

// nothingFound is the error for a sample with no usable column.
func (d *detector) nothingFound() error {
	var cols []string
	for _, p := range d.profiles {
		cols = append(cols, fmt.Sprintf("%q", clip(p.name, 40)))
	}
	list := strings.Join(cols, ", ")
	if len(list) > 400 {
		list = clip(list, 400)
	}
	if list == "" {
		list = "none"
	}
	return fmt.Errorf("detect: found no column cxaudit can use in %d sampled rows. It looked for "+
		"survey ratings (NPS 0–10, CSAT 1–5 or 1–7, CES 1–7, a 1–10 rating: integer values, or headers like \"nps\", \"likelihood to recommend\", \"satisfaction\", \"effort\", \"rating\"), "+
		"support tickets (a creation time plus a resolution or first response time, reply count or first-contact flag: \"Created at\", \"Solved at\", \"First reply at\", \"Replies\"), "+
		"customers (subscription dates: \"Trial Start\", \"subscribed_at\", \"Canceled At\") and "+
		"events (a user id repeated over rows plus an event time: \"user_id\", \"timestamp\"), "+
		"with timestamps in ISO 8601 (2024-03-05T14:03:00Z, 2024-03-05 14:03:00, 2024-03-05) or a DD/MM/YYYY or MM/DD/YYYY column. "+
		"Columns are: %s. Write a plan to say which column is which", d.rows, list)
}

// build turns a result into a plan.
func (d *detector) build(r *result) *plan.Plan {
	p := &plan.Plan{
		Kind:       r.kind,
		Confidence: 0.95,
		Columns:    map[string]string{},
		Segments:   []string{},
		Detected:   map[string]plan.Detection{},
	}
	if d.s.Format != "parquet" && (d.s.Format == "csv" || d.s.Info.Delimiter != "" || d.s.Info.Encoding != "") {
		skip := d.s.Info.SkipRowsAfterHeader
		p.CSV = &plan.CSV{Delimiter: d.s.Info.Delimiter, Encoding: d.s.Info.Encoding, SkipRowsAfterHeader: &skip}
		if d.decimalComma {
			p.CSV.Decimal = ","
		}
	}
	note := func(a *assignment) {
		p.Detected[a.p.name] = plan.Detection{Role: a.role, Confidence: round2(a.conf), Why: a.why}
		if a.p.ts.format == plan.FormatDMY || a.p.ts.format == plan.FormatMDY {
			if isTimeRole(a.role) {
				if p.TimestampFormats == nil {
					p.TimestampFormats = map[string]string{}
				}
				p.TimestampFormats[a.p.name] = a.p.ts.format
			}
		}
	}
	for _, role := range plan.Roles[r.kind] {
		if a := r.roles[role]; a != nil {
			p.Columns[role] = a.p.name
			note(a)
		}
	}
	if len(r.metrics) > 0 {
		p.Metrics = map[string]plan.Metric{}
		for name, m := range r.metrics {
			p.Metrics[name] = m.metric
			note(&m.assignment)
		}
	}
	for _, a := range r.segments {
		p.Segments = append(p.Segments, a.p.name)
		note(a)
	}
	switch r.kind {
	case plan.KindSurvey:
		byMonth := r.roles["timestamp"] != nil
		p.ByMonth = &byMonth
	case plan.KindCustomers:
		p.Periods = r.periods
		p.ReferralValue = r.referral
		if a := r.roles["subscribed_at"]; a != nil && r.periodWhy != "" {
			d := p.Detected[a.p.name]
			d.Why += "; " + r.periodWhy
			p.Detected[a.p.name] = d
		}
		if a := r.roles["source"]; a != nil && r.refWhy != "" {
			d := p.Detected[a.p.name]
			d.Why += "; " + r.refWhy
			p.Detected[a.p.name] = d
		}
	}
	return p
}

func isTimeRole(role string) bool {
	switch role {
	case "timestamp", "created_at", "first_response_at", "resolved_at", "trial_started_at", "subscribed_at", "cancelled_at":
		return true
	}
	return false
}

func round2(x float64) float64 { return float64(int(x*100+0.5)) / 100 }

// sortByCount orders values by descending count, keeping the given order
// among equal counts.
func sortByCount(vals []string, counts map[string]int) {
	sort.SliceStable(vals, func(i, j int) bool { return counts[vals[i]] > counts[vals[j]] })
}
