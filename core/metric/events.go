package metric

import (
	"sort"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// Events accumulates monthly active users: the exact set of distinct user
// ids with a valid event in each UTC month (metrics.md §5). Exactness
// costs memory: one map entry per (user, month) pair — a sketch such as
// HyperLogLog would make MAU approximate, which a census count must not be.
type Events struct {
	conf     float64
	user, ts int
	fmtTS    int
	months   []string
	rows     int64
	excl     map[string]int64
	users    map[int32]map[string]struct{}
}

// NewEvents binds an events plan to a header.
func NewEvents(p *plan.Plan, file string, header []string) (*Events, error) {
	idx := newColumnIndex(file, header)
	e := &Events{conf: p.Confidence, months: p.Months, excl: map[string]int64{}, users: map[int32]map[string]struct{}{}}
	var err error
	if e.user, err = idx.find(p.Columns["user_id"], "role user_id"); err != nil {
		return nil, err
	}
	if e.ts, err = idx.find(p.Columns["timestamp"], "role timestamp"); err != nil {
		return nil, err
	}
	e.fmtTS = tsFormat(p, p.Columns["timestamp"])
	for _, m := range p.Months {
		if _, ok := cell.ParseMonthLabel(m); !ok {
			return nil, errorf(file, "plan month %q is not YYYY-MM", m)
		}
	}
	return e, nil
}

// Add accumulates a batch (oracle: events).
func (e *Events) Add(b *ingest.Batch) {
	users, times := columnCells(b, e.user), timeColumn(b, e.ts, e.fmtTS)
	var t cell.Civil
	for i := 0; i < b.Rows; i++ {
		e.rows++
		u := cell.Trim(users.next())
		r := times.next(&t)
		switch {
		case len(u) == 0:
			e.excl["user_id_blank"]++
		case r != cell.OK:
			e.excl["timestamp_"+r.String()]++
		default:
			m := t.Month()
			set := e.users[m]
			if set == nil {
				set = map[string]struct{}{}
				e.users[m] = set
			}
			if _, ok := set[string(u)]; !ok {
				set[string(u)] = struct{}{}
			}
		}
	}
}

// Merge adds another Events accumulator's state (set union per month).
func (e *Events) Merge(other Accumulator) error {
	o, ok := other.(*Events)
	if !ok {
		return errMismatch
	}
	e.rows += o.rows
	for k, v := range o.excl {
		e.excl[k] += v
	}
	for m, set := range o.users {
		mine := e.users[m]
		if mine == nil {
			e.users[m] = set
			continue
		}
		for u := range set {
			mine[u] = struct{}{}
		}
	}
	return nil
}

// Result renders the events part of the result document: MAU per month
// with the Garwood interval as an optional Poisson-model interval.
func (e *Events) Result() (Object, []string) {
	mau := Object{}
	for _, m := range reportMonths(e.months, e.users) {
		mau[cell.MonthLabel(m)] = garwoodBlock(int64(len(e.users[m])), e.conf)
	}
	excl := Object{}
	for k, v := range e.excl {
		excl[k] = v
	}
	return Object{"rows": e.rows, "excluded": excl, "mau": mau}, nil
}

// reportMonths returns the months a plan lists (labels already checked
// when the accumulator was built) or, when it lists none (nil), every
// month present in the data, in time order.
func reportMonths[V any](labels []string, present map[int32]V) []int32 {
	var months []int32
	if labels != nil {
		for _, l := range labels {
			m, _ := cell.ParseMonthLabel(l)
			months = append(months, m)
		}
		return months
	}
	for m := range present {
		months = append(months, m)
	}
	sort.Slice(months, func(i, j int) bool { return months[i] < months[j] })
	return months
}
