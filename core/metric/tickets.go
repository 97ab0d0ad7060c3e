package metric

import (
	"math"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// ticketGroup is the state of one group of tickets. Resolution and first
// response times are kept as raw hours (8 bytes per resolved ticket each),
// because their median interval and BCa bootstrap need every value; reply
// counts are small integers and kept as a histogram.
type ticketGroup struct {
	tickets        int64
	art, frt       []float64
	negRes, negFRT int64
	replies        hist
	fcrK, fcrN     int64
}

func newTicketGroup() *ticketGroup { return &ticketGroup{replies: newHist(0, 63)} }

func (g *ticketGroup) merge(o *ticketGroup) {
	g.tickets += o.tickets
	g.art = append(g.art, o.art...)
	g.frt = append(g.frt, o.frt...)
	g.negRes += o.negRes
	g.negFRT += o.negFRT
	g.replies.merge(&o.replies)
	g.fcrK += o.fcrK
	g.fcrN += o.fcrN
}

// monthPair keys the backlog state: the UTC month a ticket was created in
// and the month it was resolved in (noMonth when unresolved).
type monthPair struct{ created, resolved int32 }

const noMonth = math.MaxInt32

// Tickets accumulates support-ticket metrics: resolution and first
// response times (mean with BCa, median with order-statistic interval),
// first contact resolution, replies per resolution, volume per month
// (Garwood) and backlog at each month end.
type Tickets struct {
	conf                                   float64
	boot                                   boot
	decComma                               bool
	created, first, resolved, replies, fcr int
	fmtCreated, fmtFirst, fmtResolved      int
	months                                 []string
	segs                                   []*segmenter[ticketGroup]

	rows                           int64
	overall                        *ticketGroup
	exCreated, exFirst, exResolved reasons
	exReplies, exFCR               reasons
	volume                         map[int32]int64
	backlog                        map[monthPair]int64
	segCells                       []cells // per Add: the segment columns
}

// NewTickets binds a tickets plan to a header.
func NewTickets(p *plan.Plan, file string, header []string) (*Tickets, error) {
	idx := newColumnIndex(file, header)
	t := &Tickets{conf: p.Confidence, boot: boot{p.Bootstrap.NResamples, p.Bootstrap.Seed},
		decComma: decimalComma(p), months: p.Months,
		overall: newTicketGroup(), volume: map[int32]int64{}, backlog: map[monthPair]int64{}}
	var err error
	for _, r := range []struct {
		role string
		dst  *int
	}{{"created_at", &t.created}, {"first_response_at", &t.first}, {"resolved_at", &t.resolved}, {"replies", &t.replies}, {"fcr", &t.fcr}} {
		if r.role == "created_at" {
			*r.dst, err = idx.find(p.Columns[r.role], "role "+r.role)
		} else {
			*r.dst, err = idx.optional(p.Columns[r.role], "role "+r.role)
		}
		if err != nil {
			return nil, err
		}
	}
	t.fmtCreated = tsFormat(p, p.Columns["created_at"])
	t.fmtFirst = tsFormat(p, p.Columns["first_response_at"])
	t.fmtResolved = tsFormat(p, p.Columns["resolved_at"])
	for _, m := range p.Months {
		if _, ok := cell.ParseMonthLabel(m); !ok {
			return nil, errorf(file, "plan month %q is not YYYY-MM", m)
		}
	}
	for _, name := range p.Segments {
		c, err := idx.find(name, "segment")
		if err != nil {
			return nil, err
		}
		t.segs = append(t.segs, &segmenter[ticketGroup]{col: c, name: name, groups: map[string]*ticketGroup{}})
	}
	return t, nil
}

// Add accumulates a batch (oracle: tickets).
func (t *Tickets) Add(b *ingest.Batch) {
	groups := make([]*ticketGroup, 0, 1+len(t.segs))
	created, first, resolved := timeColumn(b, t.created, t.fmtCreated), timeColumn(b, t.first, t.fmtFirst), timeColumn(b, t.resolved, t.fmtResolved)
	replies, fcr := columnCells(b, t.replies), columnCells(b, t.fcr)
	segs := t.segCells[:0]
	for _, sg := range t.segs {
		segs = append(segs, columnCells(b, sg.col))
	}
	t.segCells = segs
	var cc, fc, rc cell.Civil
	for i := 0; i < b.Rows; i++ {
		t.rows++
		rCreated := created.next(&cc)
		rFirst := first.next(&fc)
		rResolved := resolved.next(&rc)
		reps, rp := cell.Count(replies.next(), t.decComma)
		flag, rg := cell.Flag(fcr.next())
		t.exCreated[rCreated]++
		t.exFirst[rFirst]++
		t.exResolved[rResolved]++
		t.exReplies[rp]++
		t.exFCR[rg]++

		groups = append(groups[:0], t.overall)
		for j, sg := range t.segs {
			groups = append(groups, sg.group(segs[j].next(), newTicketGroup))
		}
		var resH, frtH float64
		resOK, resNeg, frtOK, frtNeg := false, false, false, false
		if rCreated == cell.OK {
			ct := cc.Micros()
			if rResolved == cell.OK {
				if resH = hours(ct, rc.Micros()); resH < 0 {
					resNeg = true
				} else {
					resOK = true
				}
			}
			if rFirst == cell.OK {
				if frtH = hours(ct, fc.Micros()); frtH < 0 {
					frtNeg = true
				} else {
					frtOK = true
				}
			}
			m := cc.Month()
			t.volume[m]++
			// Backlog: an unparseable resolved_at leaves the ticket out (metrics.md §5).
			if rResolved != cell.BadTimestamp {
				rm := int32(noMonth)
				if rResolved == cell.OK {
					rm = rc.Month()
				}
				t.backlog[monthPair{m, rm}]++
			}
		}
		for _, g := range groups {
			g.tickets++
			switch {
			case resOK:
				g.art = append(g.art, resH)
				if rp == cell.OK {
					g.replies.add(reps)
				}
			case resNeg:
				g.negRes++
			}
			switch {
			case frtOK:
				g.frt = append(g.frt, frtH)
			case frtNeg:
				g.negFRT++
			}
			if rg == cell.OK {
				g.fcrN++
				if flag {
					g.fcrK++
				}
			}
		}
	}
}

// hours is (b − a) in hours, computed as Python's timedelta.total_seconds()
// / 3600 is, so values match the oracle bit for bit.
func hours(a, b int64) float64 { return float64(b-a) / 1e6 / 3600 }

// Merge adds another Tickets accumulator's state.
func (t *Tickets) Merge(other Accumulator) error {
	o, ok := other.(*Tickets)
	if !ok || len(o.segs) != len(t.segs) {
		return errMismatch
	}
	t.rows += o.rows
	t.overall.merge(o.overall)
	t.exCreated.add(&o.exCreated)
	t.exFirst.add(&o.exFirst)
	t.exResolved.add(&o.exResolved)
	t.exReplies.add(&o.exReplies)
	t.exFCR.add(&o.exFCR)
	for k, v := range o.volume {
		t.volume[k] += v
	}
	for k, v := range o.backlog {
		t.backlog[k] += v
	}
	for j, sg := range o.segs {
		mergeSegments(t.segs[j], sg, newTicketGroup, (*ticketGroup).merge)
	}
	return nil
}

// compute renders one group; raw samples above mcMaxN get the ABC form of
// BCa (bcaDocCut).
func (t *Tickets) compute(g *ticketGroup, mcMaxN int64) Object {
	b := &t.boot
	art := rawSample(g.art) // sorts g.art
	frt := rawSample(g.frt)
	art.mcMaxN, frt.mcMaxN = mcMaxN, mcMaxN
	inf := math.Inf(1)
	return Object{
		"tickets":                g.tickets,
		"art_hours":              merge(Object{"excluded": Object{"negative_duration": g.negRes}}, meanBlock(art, t.conf, b, 0, inf, true)),
		"art_median_hours":       medianBlock(g.art, t.conf),
		"frt_hours":              merge(Object{"excluded": Object{"negative_duration": g.negFRT}}, meanBlock(frt, t.conf, b, 0, inf, true)),
		"frt_median_hours":       medianBlock(g.frt, t.conf),
		"fcr":                    proportionBlock(g.fcrK, g.fcrN, t.conf),
		"replies_per_resolution": meanBlock(histSample(&g.replies), t.conf, b, 0, inf, false),
	}
}

// unparseable renders the non-blank reasons of a timestamp column.
func unparseable(r reasons) Object {
	r[cell.Blank] = 0
	return r.object()
}

// bcaSizes lists the sizes of every raw sample the document bootstraps
// (ART and FRT of the overall group and of every segment value), for
// bcaDocCut.
func (t *Tickets) bcaSizes() []int64 {
	sizes := []int64{int64(len(t.overall.art)), int64(len(t.overall.frt))}
	for _, sg := range t.segs {
		for _, g := range sg.groups {
			sizes = append(sizes, int64(len(g.art)), int64(len(g.frt)))
		}
	}
	return sizes
}

// Result renders the tickets part of the result document.
func (t *Tickets) Result() (Object, []string) {
	var warnings []string
	cut := bcaDocCut(t.boot.B, t.bcaSizes())
	out := Object{"rows": t.rows,
		"excluded": Object{
			"created_at":                    t.exCreated.object(),
			"first_response_at_unparseable": unparseable(t.exFirst),
			"first_response_at_blank":       t.exFirst[cell.Blank],
			"resolved_at_unparseable":       unparseable(t.exResolved),
			"resolved_at_blank":             t.exResolved[cell.Blank],
			"replies":                       t.exReplies.object(),
			"fcr":                           t.exFCR.object(),
		},
		"overall": t.compute(t.overall, cut)}
	if len(t.segs) > 0 {
		bySeg := Object{}
		for _, sg := range t.segs {
			vals := Object{}
			for _, v := range sortedKeys(sg.groups) {
				vals[v] = t.compute(sg.groups[v], cut)
			}
			bySeg[sg.name] = vals
			if w := sg.warning(); w != "" {
				warnings = append(warnings, w)
			}
		}
		out["by_segment"] = bySeg
	}
	vol, backlog := Object{}, Object{}
	for _, m := range reportMonths(t.months, t.volume) {
		vol[cell.MonthLabel(m)] = garwoodBlock(t.volume[m], t.conf)
		var open int64
		for k, c := range t.backlog {
			if k.created <= m && k.resolved > m {
				open += c
			}
		}
		backlog[cell.MonthLabel(m)] = Object{"value": open, "as_of": cell.FormatTimestamp(cell.MonthStart(m + 1))}
	}
	out["volume_by_month"] = vol
	out["backlog_at_month_end"] = backlog
	return out, warnings
}
