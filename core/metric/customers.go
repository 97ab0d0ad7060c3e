package metric

import (
	"bytes"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// period is a plan period [start, end) with its running counts
// (metrics.md §5): S customers at start, E at end, N new, L lost of S,
// NLost new and lost within the period, the referred among N and E, and
// trials T started in the period of which K converted.
type period struct {
	label, startText, endText string
	start, end                int64
	S, E, N, L, NLost         int64
	NRef, ERef                int64
	T, K, subBeforeTrial      int64
}

// Customers accumulates retention, churn, trial conversion and referral
// rate per period. Periods come from the plan, so every row updates a few
// counters and nothing per row is kept.
type Customers struct {
	conf                         float64
	trial, subscribed, cancelled int
	source                       int
	fmtTrial, fmtSub, fmtCancel  int
	referral                     []byte
	periods                      []period
	rows, customers, trialOnly   int64
	excl                         map[string]int64
}

// NewCustomers binds a customers plan to a header.
func NewCustomers(p *plan.Plan, file string, header []string) (*Customers, error) {
	idx := newColumnIndex(file, header)
	c := &Customers{conf: p.Confidence, referral: bytes.ToLower([]byte(p.ReferralValue)), excl: map[string]int64{}}
	var err error
	if c.subscribed, err = idx.find(p.Columns["subscribed_at"], "role subscribed_at"); err != nil {
		return nil, err
	}
	if c.trial, err = idx.optional(p.Columns["trial_started_at"], "role trial_started_at"); err != nil {
		return nil, err
	}
	if c.cancelled, err = idx.optional(p.Columns["cancelled_at"], "role cancelled_at"); err != nil {
		return nil, err
	}
	if c.source, err = idx.optional(p.Columns["source"], "role source"); err != nil {
		return nil, err
	}
	c.fmtTrial = tsFormat(p, p.Columns["trial_started_at"])
	c.fmtSub = tsFormat(p, p.Columns["subscribed_at"])
	c.fmtCancel = tsFormat(p, p.Columns["cancelled_at"])
	if len(p.Periods) == 0 {
		return nil, errorf(file, "a customers plan needs at least one period {label, start, end}")
	}
	for _, pp := range p.Periods {
		s, r1 := cell.Timestamp([]byte(pp.Start), cell.ISO)
		e, r2 := cell.Timestamp([]byte(pp.End), cell.ISO)
		if r1 != cell.OK || r2 != cell.OK || e <= s {
			return nil, errorf(file, "plan period %q: start %q and end %q must be ISO dates with start < end", pp.Label, pp.Start, pp.End)
		}
		c.periods = append(c.periods, period{label: pp.Label, startText: pp.Start, endText: pp.End, start: s, end: e})
	}
	return c, nil
}

// Add accumulates a batch (oracle: customers).
func (c *Customers) Add(b *ingest.Batch) {
	subscribed, cancelled, trial := timeColumn(b, c.subscribed, c.fmtSub), timeColumn(b, c.cancelled, c.fmtCancel), timeColumn(b, c.trial, c.fmtTrial)
	source := columnCells(b, c.source)
	for i := 0; i < b.Rows; i++ {
		c.rows++
		s, rs := subscribed.micros()
		x, rx := cancelled.micros()
		t, rt := trial.micros()
		ref := c.source >= 0 && bytes.EqualFold(cell.Trim(source.next()), c.referral)
		hasSub := rs == cell.OK
		customer := false
		switch {
		case rs == cell.Blank:
			c.trialOnly++
		case rs == cell.BadTimestamp:
			c.excl["subscribed_at_bad_timestamp"]++
		case rx == cell.BadTimestamp:
			c.excl["cancelled_at_bad_timestamp"]++
		case rx == cell.OK && x < s:
			c.excl["cancelled_before_subscribed"]++
		default:
			customer = true
			c.customers++
		}
		hasCancel := rx == cell.OK
		for k := range c.periods {
			p := &c.periods[k]
			if customer {
				if s < p.start && (!hasCancel || x >= p.start) {
					p.S++
					if hasCancel && x < p.end {
						p.L++
					}
				}
				if p.start <= s && s < p.end {
					p.N++
					if ref {
						p.NRef++
					}
					if hasCancel && x < p.end {
						p.NLost++
					}
				}
				if s < p.end && (!hasCancel || x >= p.end) {
					p.E++
					if ref {
						p.ERef++
					}
				}
			}
			// Trial → paid over every row with a trial in the period
			// (metrics.md §5); subscribed before the trial is excluded.
			if rt == cell.OK && p.start <= t && t < p.end {
				switch {
				case hasSub && s < t:
					p.subBeforeTrial++
				default:
					p.T++
					if hasSub {
						p.K++
					}
				}
			}
		}
	}
}

// Merge adds another Customers accumulator's state.
func (c *Customers) Merge(other Accumulator) error {
	o, ok := other.(*Customers)
	if !ok || len(o.periods) != len(c.periods) {
		return errMismatch
	}
	c.rows += o.rows
	c.customers += o.customers
	c.trialOnly += o.trialOnly
	for k, v := range o.excl {
		c.excl[k] += v
	}
	for k := range c.periods {
		p, q := &c.periods[k], &o.periods[k]
		p.S += q.S
		p.E += q.E
		p.N += q.N
		p.L += q.L
		p.NLost += q.NLost
		p.NRef += q.NRef
		p.ERef += q.ERef
		p.T += q.T
		p.K += q.K
		p.subBeforeTrial += q.subBeforeTrial
	}
	return nil
}

// Result renders the customers part of the result document.
func (c *Customers) Result() (Object, []string) {
	excl := Object{}
	for k, v := range c.excl {
		excl[k] = v
	}
	periods := Object{}
	for _, p := range c.periods {
		out := Object{"start": p.startText, "end": p.endText, "S": p.S, "E": p.E, "N": p.N, "L": p.L,
			"N_cancelled_in_period": p.NLost}
		crr := p.E - p.N
		if p.S > 0 && crr >= 0 && crr <= p.S {
			out["crr"] = merge(Object{"formula": "(E-N)/S"}, proportionBlock(crr, p.S, c.conf))
		} else {
			var v any
			if p.S > 0 {
				v = 100 * float64(crr) / float64(p.S)
			}
			out["crr"] = Object{"formula": "(E-N)/S", "value": v, "ci": nil, "note": "E-N outside [0, S]: not a binomial proportion"}
		}
		out["retention_cohort"] = merge(Object{"formula": "(S-L)/S"}, proportionBlock(p.S-p.L, p.S, c.conf))
		out["churn"] = merge(Object{"formula": "L/S"}, proportionBlock(p.L, p.S, c.conf))
		out["trial_conversion"] = merge(Object{"formula": "paid/trials", "excluded": Object{"subscribed_before_trial": p.subBeforeTrial}}, proportionBlock(p.K, p.T, c.conf))
		out["referral_rate"] = merge(Object{"formula": "referred new / all new (N)"}, proportionBlock(p.NRef, p.N, c.conf))
		out["referral_rate_of_active"] = merge(Object{"formula": "referred customers at end / E"}, proportionBlock(p.ERef, p.E, c.conf))
		periods[p.label] = out
	}
	return Object{"rows": c.rows, "customers": c.customers, "trial_only_rows": c.trialOnly,
		"excluded": excl, "periods": periods}, nil
}
