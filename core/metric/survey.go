package metric

import (
	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// surveyMetric is one plan metric (nps, csat, …) bound to its column.
type surveyMetric struct {
	name   string
	spec   plan.Metric
	col    int
	lo, hi int64
}

// surveyGroup is the state of one group of rows (overall, a segment value,
// a month): per metric, a histogram of valid scores and the excluded cells
// by reason. Memory: one int64 per scale point and reason, whatever n is.
type surveyGroup struct {
	h    []hist
	excl []reasons
}

// Survey accumulates survey metrics (NPS, CSAT, CES, CX rating) overall,
// per segment value and per UTC month.
type Survey struct {
	conf     float64
	boot     boot
	decComma bool
	metrics  []surveyMetric
	tsCol    int
	tsFmt    int
	byMonth  bool
	segs     []*segmenter[surveyGroup] // plan segments, then compare-only columns
	nOutSegs int                       // how many of segs are plan segments
	compare  []plan.Compare

	rows      int64
	overall   *surveyGroup
	months    map[int32]*surveyGroup
	tsReasons reasons
	monthOf   cell.MonthCache
}

// NewSurvey binds a survey plan to a header.
func NewSurvey(p *plan.Plan, file string, header []string) (*Survey, error) {
	idx := newColumnIndex(file, header)
	s := &Survey{conf: p.Confidence, boot: boot{p.Bootstrap.NResamples, p.Bootstrap.Seed},
		decComma: decimalComma(p), byMonth: p.DoByMonth(), compare: p.Compare, tsCol: -1}
	for _, name := range plan.SurveyMetricOrder {
		m, ok := p.Metrics[name]
		if !ok {
			continue
		}
		c, err := idx.find(m.Column, "metric "+name)
		if err != nil {
			return nil, err
		}
		s.metrics = append(s.metrics, surveyMetric{name: name, spec: m, col: c, lo: int64(m.Scale[0]), hi: int64(m.Scale[1])})
	}
	if len(s.metrics) == 0 {
		return nil, errorf(file, "the plan names no survey metric (nps, csat, csat_7pt, ces, cx_rating)")
	}
	var err error
	if s.tsCol, err = idx.optional(p.Columns["timestamp"], "role timestamp"); err != nil {
		return nil, err
	}
	s.tsFmt = tsFormat(p, p.Columns["timestamp"])
	seen := map[string]bool{}
	addSeg := func(name string) error {
		if seen[name] {
			return nil
		}
		seen[name] = true
		c, err := idx.find(name, "segment")
		if err != nil {
			return err
		}
		s.segs = append(s.segs, &segmenter[surveyGroup]{col: c, name: name, groups: map[string]*surveyGroup{}})
		return nil
	}
	for _, name := range p.Segments {
		if err := addSeg(name); err != nil {
			return nil, err
		}
	}
	s.nOutSegs = len(s.segs)
	for _, c := range p.Compare {
		if c.By == "month" {
			if s.tsCol < 0 {
				return nil, errorf(file, "a comparison by month needs a timestamp column in the plan")
			}
			continue
		}
		if err := addSeg(c.By); err != nil {
			return nil, err
		}
	}
	s.overall = s.newGroup()
	s.months = map[int32]*surveyGroup{}
	return s, nil
}

func (s *Survey) newGroup() *surveyGroup {
	g := &surveyGroup{h: make([]hist, len(s.metrics)), excl: make([]reasons, len(s.metrics))}
	for i, m := range s.metrics {
		g.h[i] = newHist(m.lo, m.hi)
	}
	return g
}

// Add accumulates a batch.
func (s *Survey) Add(b *ingest.Batch) {
	vals := make([]int64, len(s.metrics))
	why := make([]cell.Reason, len(s.metrics))
	groups := make([]*surveyGroup, 0, 2+len(s.segs))
	for i := 0; i < b.Rows; i++ {
		s.rows++
		for k, m := range s.metrics {
			vals[k], why[k] = cell.Scale(col(b, m.col, i), m.lo, m.hi, s.decComma)
		}
		groups = append(groups[:0], s.overall)
		for _, sg := range s.segs {
			groups = append(groups, sg.group(col(b, sg.col, i), s.newGroup))
		}
		if s.tsCol >= 0 {
			t, r := cell.Timestamp(col(b, s.tsCol, i), s.tsFmt)
			if r != cell.OK {
				s.tsReasons[r]++
			} else if s.byMonth || len(s.compare) > 0 {
				m := s.monthOf.Month(t)
				g := s.months[m]
				if g == nil {
					g = s.newGroup()
					s.months[m] = g
				}
				groups = append(groups, g)
			}
		}
		for _, g := range groups {
			for k := range s.metrics {
				if why[k] == cell.OK {
					g.h[k].add(vals[k])
				} else {
					g.excl[k][why[k]]++
				}
			}
		}
	}
}

func (g *surveyGroup) merge(o *surveyGroup) {
	for k := range g.h {
		g.h[k].merge(&o.h[k])
		g.excl[k].add(&o.excl[k])
	}
}

// Merge adds the state of another Survey built from the same plan and
// header over other rows.
func (s *Survey) Merge(other Accumulator) error {
	o, ok := other.(*Survey)
	if !ok || len(o.metrics) != len(s.metrics) || len(o.segs) != len(s.segs) {
		return errMismatch
	}
	s.rows += o.rows
	s.overall.merge(o.overall)
	s.tsReasons.add(&o.tsReasons)
	for m, g := range o.months {
		if mine := s.months[m]; mine != nil {
			mine.merge(g)
		} else {
			s.months[m] = g
		}
	}
	for j, sg := range o.segs {
		mergeSegments(s.segs[j], sg, s.newGroup, (*surveyGroup).merge)
	}
	return nil
}

// metricSet renders every plan metric of a group (oracle: metric_set).
func (s *Survey) metricSet(g *surveyGroup, b *boot) Object {
	out := Object{}
	for k, m := range s.metrics {
		h := &g.h[k]
		excl := g.excl[k].object()
		base := func() Object { return Object{"column": m.spec.Column, "excluded": excl} }
		switch m.name {
		case "nps":
			out["nps"] = merge(base(), npsBlock(h, s.conf, b))
		case "csat", "csat_7pt":
			top := m.spec.TopBox
			k := h.countRange(int64(top[0]), int64(top[1]))
			n, _, _, _ := moments(h.values())
			out[m.name+"_top_box"] = merge(merge(base(), Object{"top_box": top}), proportionBlock(k, n, s.conf))
			out[m.name+"_mean"] = merge(base(), meanBlock(histSample(h), s.conf, b, float64(m.lo), float64(m.hi), false))
		case "ces":
			k := h.countRange(int64(m.spec.AgreeMin), m.hi)
			n, _, _, _ := moments(h.values())
			out["ces_mean"] = merge(base(), meanBlock(histSample(h), s.conf, b, float64(m.lo), float64(m.hi), false))
			out["ces_agree"] = merge(merge(base(), Object{"agree_min": m.spec.AgreeMin}), proportionBlock(k, n, s.conf))
		default:
			out[m.name+"_mean"] = merge(base(), meanBlock(histSample(h), s.conf, b, float64(m.lo), float64(m.hi), false))
		}
	}
	return out
}

// Result renders the survey part of the result document.
func (s *Survey) Result() (Object, []string) {
	var warnings []string
	out := Object{"rows": s.rows, "overall": s.metricSet(s.overall, &s.boot)}
	if s.nOutSegs > 0 {
		bySeg := Object{}
		for _, sg := range s.segs[:s.nOutSegs] {
			vals := Object{}
			for _, v := range sortedKeys(sg.groups) {
				vals[v] = s.metricSet(sg.groups[v], nil)
			}
			bySeg[sg.name] = vals
			if w := sg.warning(); w != "" {
				warnings = append(warnings, w)
			}
		}
		out["by_segment"] = bySeg
	}
	if s.tsCol >= 0 && s.byMonth {
		out["timestamp_excluded"] = s.tsReasons.object()
		byMonth := Object{}
		for m, g := range s.months {
			byMonth[cellMonth(m)] = s.metricSet(g, nil)
		}
		out["by_month"] = byMonth
	}
	if len(s.compare) > 0 {
		var comps []Object
		for _, c := range s.compare {
			comps = append(comps, s.comparison(c))
		}
		out["comparisons"] = comps
	}
	return out, warnings
}

// groupOf finds the group of a comparison side; an absent value is an
// empty group (the comparison then says "a group is empty").
func (s *Survey) groupOf(by, value string) *surveyGroup {
	if by == "month" {
		if m, ok := cell.ParseMonthLabel(value); ok && s.months[m] != nil {
			return s.months[m]
		}
		return s.newGroup()
	}
	for _, sg := range s.segs {
		if sg.name == by {
			if g := sg.groups[value]; g != nil {
				return g
			}
		}
	}
	return s.newGroup()
}

// comparison renders a − b for every plan metric (oracle: survey compare).
func (s *Survey) comparison(c plan.Compare) Object {
	ga, gb := s.groupOf(c.By, c.A), s.groupOf(c.By, c.B)
	out := Object{"by": c.By, "a": c.A, "b": c.B}
	for k, m := range s.metrics {
		ha, hb := &ga.h[k], &gb.h[k]
		na, _, _, _ := moments(ha.values())
		nb, _, _, _ := moments(hb.values())
		switch m.name {
		case "nps":
			out["nps_diff"] = npsDiffBlock(ha, hb, s.conf)
		case "csat", "csat_7pt":
			t := m.spec.TopBox
			out[m.name+"_top_box_diff"] = propDiffBlock(ha.countRange(int64(t[0]), int64(t[1])), na, hb.countRange(int64(t[0]), int64(t[1])), nb, s.conf)
			out[m.name+"_mean_diff"] = meanDiffBlock(histSample(ha), histSample(hb), s.conf)
		case "ces":
			a := int64(m.spec.AgreeMin)
			out["ces_mean_diff"] = meanDiffBlock(histSample(ha), histSample(hb), s.conf)
			out["ces_agree_diff"] = propDiffBlock(ha.countRange(a, m.hi), na, hb.countRange(a, m.hi), nb, s.conf)
		default:
			out[m.name+"_mean_diff"] = meanDiffBlock(histSample(ha), histSample(hb), s.conf)
		}
	}
	return out
}
