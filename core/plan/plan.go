// Package plan defines the plan document: what cxaudit computes from a file
// (../shared/docs/result-schema.md, "The plan"). Detection writes a plan, the
// user may edit it, and the engine follows it. Unknown keys and keys starting
// with "_" are ignored on input.
package plan

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// Kinds of dataset.
const (
	KindSurvey    = "survey"
	KindTickets   = "tickets"
	KindCustomers = "customers"
	KindEvents    = "events"
)

// Timestamp formats a column can be read with (Plan.TimestampFormats).
const (
	FormatISO = "iso" // ISO 8601 forms of metrics.md §1; the default
	FormatDMY = "dmy" // DD/MM/YYYY[ HH:MM[:SS]]
	FormatMDY = "mdy" // MM/DD/YYYY[ HH:MM[:SS]]
)

// Plan is what to compute. Field names follow result-schema.md.
type Plan struct {
	Kind       string  `json:"kind"`
	Confidence float64 `json:"confidence"`
	CSV        *CSV    `json:"csv,omitempty"`
	// Columns maps a role (survey: id, timestamp; tickets: id, created_at,
	// first_response_at, resolved_at, replies, fcr; customers: id,
	// trial_started_at, subscribed_at, cancelled_at, source; events: user_id,
	// timestamp) to a column name of the file.
	Columns map[string]string `json:"columns"`
	// Metrics (survey only) maps a metric (nps, csat, csat_7pt, ces,
	// cx_rating) to the column it reads and its scale.
	Metrics  map[string]Metric `json:"metrics,omitempty"`
	Segments []string          `json:"segments"`
	// ByMonth (survey): also compute every metric per UTC month. nil = true.
	ByMonth *bool `json:"by_month,omitempty"`
	// Months (tickets, events): months "YYYY-MM" for volume, backlog and MAU;
	// nil = every month present in the data.
	Months        []string   `json:"months"`
	Periods       []Period   `json:"periods,omitempty"`
	ReferralValue string     `json:"referral_value,omitempty"`
	Compare       []Compare  `json:"compare,omitempty"`
	Bootstrap     *Bootstrap `json:"bootstrap,omitempty"`
	// TimestampFormats maps a column name to FormatISO, FormatDMY or FormatMDY.
	// Columns not listed are read as ISO.
	TimestampFormats map[string]string `json:"timestamp_formats,omitempty"`
	// Detected says, for each column detection assigned, which role it
	// inferred, how sure it is and why. Written by detection, ignored on input.
	Detected map[string]Detection `json:"_detected,omitempty"`
}

// CSV holds how to read a CSV file. Empty fields mean "sniff it".
type CSV struct {
	Delimiter string `json:"delimiter,omitempty"` // one of , ; \t |
	Encoding  string `json:"encoding,omitempty"`  // utf-8, utf-8-sig, utf-16le, utf-16be, windows-1252
	// SkipRowsAfterHeader is the number of extra header rows under the header
	// (Qualtrics 2, SurveyMonkey 1). nil = detect.
	SkipRowsAfterHeader *int `json:"skip_rows_after_header,omitempty"`
	// Decimal is the decimal separator of numeric cells: "." (default) or ",".
	Decimal string `json:"decimal,omitempty"`
}

// Metric is one survey metric's column and scale.
type Metric struct {
	Column   string `json:"column"`
	Scale    []int  `json:"scale,omitempty"`     // [min, max]; NPS is always [0, 10]
	TopBox   []int  `json:"top_box,omitempty"`   // csat: [lo, hi] counted as satisfied
	AgreeMin int    `json:"agree_min,omitempty"` // ces: lowest score that counts as agree
}

// Period is a half-open UTC interval [Start, End) for customer metrics.
type Period struct {
	Label string `json:"label"`
	Start string `json:"start"`
	End   string `json:"end"`
}

// Compare asks for the difference a − b of every metric between two segment
// values of column By, or between two months when By is "month".
type Compare struct {
	By string `json:"by"`
	A  string `json:"a"`
	B  string `json:"b"`
}

// Bootstrap configures the bootstrap intervals.
type Bootstrap struct {
	NResamples int    `json:"n_resamples"`
	Seed       uint64 `json:"seed"`
}

// Detection is detection's account of one column.
type Detection struct {
	Role       string  `json:"role"`
	Confidence float64 `json:"confidence"`
	Why        string  `json:"why"`
}

// Default bootstrap settings (B = 9999 as scipy's default, metrics.md §4.3).
const (
	DefaultResamples = 9999
	DefaultSeed      = 20240501
)

// SurveyMetricOrder is the order survey metrics are listed in documents.
var SurveyMetricOrder = []string{"nps", "csat", "csat_7pt", "ces", "cx_rating"}

// Roles lists the column roles of each kind.
var Roles = map[string][]string{
	KindSurvey:    {"id", "timestamp"},
	KindTickets:   {"id", "created_at", "first_response_at", "resolved_at", "replies", "fcr"},
	KindCustomers: {"id", "trial_started_at", "subscribed_at", "cancelled_at", "source"},
	KindEvents:    {"user_id", "timestamp"},
}

// Parse reads a plan document. It rejects unknown kinds and malformed JSON
// with a message that says where; defaults are filled in by Normalize.
func Parse(r io.Reader) (*Plan, error) {
	data, err := io.ReadAll(io.LimitReader(r, 8<<20))
	if err != nil {
		return nil, fmt.Errorf("plan: %w", err)
	}
	var p Plan
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("plan: not a valid plan document: %w", err)
	}
	p.Detected = nil
	if err := p.Normalize(); err != nil {
		return nil, err
	}
	return &p, nil
}

// Normalize fills in defaults (confidence 0.95, bootstrap B = 9999, NPS
// scale 0–10, CSAT top box, CES agree cut-off) and checks the plan for
// contradictions that would make the result meaningless.
func (p *Plan) Normalize() error {
	switch p.Kind {
	case KindSurvey, KindTickets, KindCustomers, KindEvents:
	case "":
		return fmt.Errorf("plan: \"kind\" is missing (survey, tickets, customers or events)")
	default:
		return fmt.Errorf("plan: unknown kind %q (survey, tickets, customers or events)", p.Kind)
	}
	if p.Confidence == 0 {
		p.Confidence = 0.95
	}
	if !(p.Confidence > 0 && p.Confidence < 1) {
		return fmt.Errorf("plan: confidence %v is not between 0 and 1", p.Confidence)
	}
	if p.Columns == nil {
		p.Columns = map[string]string{}
	}
	if p.Bootstrap == nil {
		p.Bootstrap = &Bootstrap{NResamples: DefaultResamples, Seed: DefaultSeed}
	}
	if p.Bootstrap.NResamples <= 0 {
		p.Bootstrap.NResamples = DefaultResamples
	}
	if p.Bootstrap.NResamples > 100000 {
		return fmt.Errorf("plan: bootstrap n_resamples %d is above the limit of 100000", p.Bootstrap.NResamples)
	}
	for name, m := range p.Metrics {
		switch name {
		case "nps":
			m.Scale = []int{0, 10}
		case "csat", "csat_7pt", "ces", "cx_rating":
			if len(m.Scale) == 0 {
				switch name {
				case "csat":
					m.Scale = []int{1, 5}
				case "csat_7pt", "ces":
					m.Scale = []int{1, 7}
				case "cx_rating":
					m.Scale = []int{1, 10}
				}
			}
		default:
			return fmt.Errorf("plan: unknown metric %q (nps, csat, csat_7pt, ces, cx_rating)", name)
		}
		if len(m.Scale) != 2 || m.Scale[0] >= m.Scale[1] {
			return fmt.Errorf("plan: metric %q: scale must be [min, max] with min < max", name)
		}
		if m.Column == "" {
			return fmt.Errorf("plan: metric %q has no column", name)
		}
		if name == "csat" || name == "csat_7pt" {
			if len(m.TopBox) == 0 {
				m.TopBox = []int{m.Scale[1] - 1, m.Scale[1]}
			}
			if len(m.TopBox) != 2 || m.TopBox[0] > m.TopBox[1] {
				return fmt.Errorf("plan: metric %q: top_box must be [lo, hi]", name)
			}
		}
		if name == "ces" && m.AgreeMin == 0 {
			// Agree is the top three points of a 7-point scale (5–7,
			// CustomerGauge) and the top two of a 5-point one (4–5).
			m.AgreeMin = m.Scale[1] - 2
			if m.Scale[1]-m.Scale[0] == 4 {
				m.AgreeMin = m.Scale[1] - 1
			}
		}
		p.Metrics[name] = m
	}
	if p.CSV != nil {
		switch p.CSV.Decimal {
		case "", ".", ",":
		default:
			return fmt.Errorf("plan: csv decimal %q must be \".\" or \",\"", p.CSV.Decimal)
		}
	}
	for col, f := range p.TimestampFormats {
		switch f {
		case FormatISO, FormatDMY, FormatMDY:
		default:
			return fmt.Errorf("plan: timestamp format %q of column %q must be iso, dmy or mdy", f, col)
		}
	}
	if p.ReferralValue == "" && p.Kind == KindCustomers {
		p.ReferralValue = "referral"
	}
	return nil
}

// DoByMonth reports whether survey metrics are also computed per month.
func (p *Plan) DoByMonth() bool { return p.ByMonth == nil || *p.ByMonth }

// Format returns the timestamp format of a column (FormatISO by default).
func (p *Plan) Format(column string) string {
	if f, ok := p.TimestampFormats[column]; ok {
		return f
	}
	return FormatISO
}

// SkipRows returns the extra header rows to skip, or -1 to detect them.
func (p *Plan) SkipRows() int {
	if p.CSV == nil || p.CSV.SkipRowsAfterHeader == nil {
		return -1
	}
	return *p.CSV.SkipRowsAfterHeader
}
