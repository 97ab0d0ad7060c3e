package metric

import (
	"strconv"

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
	width  int // slots per group: one per scale point, then one per reason
}

// groupID numbers a group of rows: 0 is overall, then segment values and
// months in the order they were first seen.
type groupID = int32

// Survey accumulates survey metrics (NPS, CSAT, CES, CX rating) overall,
// per segment value and per UTC month.
//
// State is a flat table of counts per metric: for every group, one slot
// per scale point (a histogram of valid scores) followed by one slot per
// exclusion reason. A row costs one increment per metric and group, and
// memory is (scale points + reasons) × 8 bytes per metric and group,
// whatever the number of rows. The histogram holds everything the
// intervals need, including the bootstrap (core/stats …Hist).
type Survey struct {
	conf     float64
	boot     boot
	decComma bool
	metrics  []surveyMetric
	tsCol    int
	tsFmt    int
	byMonth  bool
	segs     []*segmenter[groupID] // plan segments, then compare-only columns
	nOutSegs int                   // how many of segs are plan segments
	compare  []plan.Compare

	rows      int64
	counts    [][]int64 // counts[metric][group*width + slot]
	groups    int
	months    map[int32]groupID
	tsReasons reasons
	monthHint monthCache     // a cache of months, see monthGroup
	dayGroups dayGroups      // a cache of days' months, see monthGroups
	isoMonths cell.ISOMonths // a cache of ISO dates, see monthGroups
	scoreTabs []*scoreTable  // per metric, made by the first Add
	slots     []int32        // per batch: [metric*rows + row], reused
	gids      []int32        // per batch: [group column*rows + row], reused
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
		lo, hi := int64(m.Scale[0]), int64(m.Scale[1])
		s.metrics = append(s.metrics, surveyMetric{name: name, spec: m, col: c, lo: lo, hi: hi, width: int(hi-lo+1) + cell.NumReasons})
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
		s.segs = append(s.segs, &segmenter[groupID]{col: c, name: name, groups: map[string]*groupID{}})
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
	s.counts = make([][]int64, len(s.metrics))
	s.months = map[int32]groupID{}
	s.newGroup() // overall
	return s, nil
}

// newGroup adds a group of zero counts and returns its id.
func (s *Survey) newGroup() *groupID {
	for k, m := range s.metrics {
		s.counts[k] = append(s.counts[k], make([]int64, m.width)...)
	}
	id := groupID(s.groups)
	s.groups++
	return &id
}

// monthGroup returns the group of a month, creating it. A small
// direct-mapped table in front of the map answers most rows: the map
// lookup was ~4 % of a survey pass.
func (s *Survey) monthGroup(m int32) groupID {
	e, ok := s.monthHint.lookup(m)
	if ok {
		return e.g
	}
	g, ok := s.months[m]
	if !ok {
		g = *s.newGroup()
		s.months[m] = g
	}
	*e = monthHint{m, g}
	return g
}

// dayGroups holds the month group of each day of one year, filled as
// days are met: a timestamp handed over as microseconds (Parquet) finds
// its group with a division and a lookup, in whatever order the rows come
// (the calendar conversion and the month's map lookup per row were ~10 %
// of a wasm pass over a Parquet survey).
type dayGroups struct {
	start, end int64 // days since 1970 of the year held: [start, end)
	group      [366]groupID
}

// year makes dg hold the year of day, every day's group unknown (-1).
func (dg *dayGroups) year(day int64) {
	y, _, _ := cell.CivilFromDays(day)
	dg.start, dg.end = cell.DaysFromCivil(y, 1, 1), cell.DaysFromCivil(y+1, 1, 1)
	for i := range dg.group {
		dg.group[i] = -1
	}
}

// monthHint is an entry of a monthCache: a month and its group.
type monthHint struct {
	month int32
	g     groupID
}

// monthCache is monthGroup's direct-mapped cache of month groups (and
// monthHints reads it).
type monthCache [32]monthHint

// lookup returns the entry of month m and whether it holds m's group
// (group 0 is overall, never a month's: an empty entry).
func (c *monthCache) lookup(m int32) (*monthHint, bool) {
	e := &c[uint32(m)%uint32(len(c))]
	return e, e.g != 0 && e.month == m
}

// Add accumulates a batch, a column at a time: first every metric cell is
// turned into its slot (score or exclusion reason), then every segment cell
// and timestamp into a group id, then the counts are bumped. Tight loops
// over one column at a time measured faster than row by row.
func (s *Survey) Add(b *ingest.Batch) {
	n := b.Rows
	nk, ng := len(s.metrics), len(s.segs)+1 // group columns: segments, then the month
	s.slots = grow(s.slots, nk*n)
	s.gids = grow(s.gids, ng*n)
	if len(s.scoreTabs) != nk {
		s.scoreTabs = s.scoreTabs[:0]
		for k := range s.metrics {
			s.scoreTabs = append(s.scoreTabs, s.newScoreTable(&s.metrics[k]))
		}
	}
	for k := range s.metrics {
		s.scoreSlots(&s.metrics[k], s.scoreTabs[k], b.Cols[s.metrics[k].col], s.slots[k*n:(k+1)*n])
	}
	for j, sg := range s.segs {
		gids := s.gids[j*n : (j+1)*n]
		if d, codes, ok := b.Cols[sg.col].Coded(); ok {
			byEntry := sg.dictGroups(d)
			empty := int32(len(byEntry) - 1)
			codes = codes[:n]
			// The entries met already first (nearly all rows), then the
			// row whose entry is new.
			for i := dictGroups(byEntry, codes, 0, gids); i < n; i = dictGroups(byEntry, codes, i, gids) {
				x := codes[i]
				if x < 0 {
					x = empty
				}
				var raw []byte
				if x != empty {
					raw = d.Entry(x)
				}
				byEntry[x] = sg.group(raw, s.newGroup)
			}
			continue
		}
		// The short-cell cache first, for as many rows as it answers
		// (nearly all; group would look there first too), then group for
		// the row it does not.
		col := b.Cols[sg.col]
		buf, spans := col.Spans()
		spans = spans[:n]
		for i := 0; i < n; i++ {
			if i = shortGroupsSpans(&sg.short, buf, spans, i, gids); i == n {
				break
			}
			gids[i] = *sg.group(col.Cell(i), s.newGroup)
		}
	}
	s.monthGroups(b, s.gids[(ng-1)*n:ng*n])
	// Every group exists now, so counts[k] is no longer reallocated.
	for k, m := range s.metrics {
		c, slots := s.counts[k], s.slots[k*n:(k+1)*n]
		gids := func(j int) []int32 { return s.gids[j*n : (j+1)*n] }
		w := int32(m.width)
		j := 0
		switch ng {
		case 1:
			countOverall1(c, slots, gids(0), w)
			j = 1
		case 2, 3:
			countOverall2(c, slots, gids(0), gids(1), w)
			j = 2
		default:
			for _, sl := range slots {
				c[sl]++ // overall
			}
		}
		for ; j < ng; j++ {
			countGroups(c, slots, gids(j), w)
		}
	}
	s.rows += int64(n)
}

// ReadsSpans reports whether the accumulator of plan p reads a CSV's
// cells as spans of the reader's buffer (ingest.Options.CellSpans), which
// spares the reader copying them: the survey does. On the bench survey
// the copy was ~9% of the native CLI's time (perf).
func ReadsSpans(p *plan.Plan) bool {
	return p != nil && p.Kind == plan.KindSurvey
}

// slot returns the count slot of a cell of metric m: the score's offset in
// the scale, or the exclusion reason's slot after the scale.
func (s *Survey) slot(m *surveyMetric, b []byte) int32 {
	v, why := cell.Scale(b, m.lo, m.hi, s.decComma)
	if why != cell.OK {
		return int32(m.width-cell.NumReasons) + int32(why)
	}
	return int32(v - m.lo)
}

// scoreTable holds the slot of the cells that make up nearly all of a
// rating column — the empty cell, every one-byte cell, every two-digit
// cell — each computed once by slot, so the table agrees with it by
// construction. It took the instructions of the slot loop under half.
type scoreTable struct {
	blank      int32
	outOfRange int32 // the slot of an integer outside the scale
	one        [256]int32
	two        [100]int32 // "00" … "99"
	// The slot of every entry of the dictionary the column last came
	// coded in (ingest.Column.Coded).
	dict      *ingest.Dict
	dictSlots []int32
}

func (s *Survey) newScoreTable(m *surveyMetric) *scoreTable {
	t := &scoreTable{blank: s.slot(m, nil), outOfRange: s.slot(m, strconv.AppendInt(nil, m.hi+1, 10))}
	for c := range t.one {
		t.one[c] = s.slot(m, []byte{byte(c)})
	}
	for v := range t.two {
		t.two[v] = s.slot(m, []byte{byte('0' + v/10), byte('0' + v%10)})
	}
	return t
}

// scoreSlots sets the count slot of every cell of metric m's column.
func (s *Survey) scoreSlots(m *surveyMetric, t *scoreTable, col *ingest.Column, slots []int32) {
	if d, codes, ok := col.Coded(); ok {
		if t.dict != d {
			t.dict, t.dictSlots = d, t.dictSlots[:0]
			for x := range int32(d.Len()) {
				t.dictSlots = append(t.dictSlots, s.slot(m, d.Entry(x)))
			}
		}
		codedSlots(codes[:len(slots)], t.dictSlots, t.blank, slots)
		return
	}
	if v, ok := col.Ints(); ok {
		// An integer's text is in the scale or out of range, nothing else
		// (cell.Scale): slot gives the same for the value's text.
		intSlots(v[:len(slots)], m.lo, m.hi, t.blank, t.outOfRange, slots)
		return
	}
	// The table first, for as many cells as it holds (nearly all), then
	// slot for the cell it does not.
	buf, spans := col.Spans()
	spans = spans[:len(slots)]
	for i := 0; i < len(spans); i++ {
		if i = tableSlotsSpans(t, buf, spans, i, slots); i == len(spans) {
			break
		}
		slots[i] = s.slot(m, col.Cell(i))
	}
}

// monthGroups counts the timestamp exclusions of a batch and sets the
// month group of each row, or -1 (no timestamp column, an excluded cell,
// or months not wanted).
func (s *Survey) monthGroups(b *ingest.Batch, months []int32) {
	if s.tsCol < 0 {
		for i := range months {
			months[i] = -1
		}
		return
	}
	wantMonths := s.byMonth || len(s.compare) > 0
	if times, ok := b.Cols[s.tsCol].Times(); ok && s.tsFmt == cell.ISO {
		// Valid ISO timestamps of years 1–9999 as microseconds, empty
		// cells as NullTime (a DMY or MDY plan reads their text, which
		// fails).
		times = times[:len(months)]
		if !wantMonths {
			for i, us := range times {
				if us == ingest.NullTime {
					s.tsReasons[cell.Blank]++
				}
				months[i] = -1
			}
			return
		}
		// dayMonths sets the rows whose day's group is held (nearly all),
		// then the row it stops at gets its group here.
		dg := &s.dayGroups
		for i := 0; i < len(times); i++ {
			var blanks int64
			i, blanks = dayMonths(times, &dg.group, dg.start, dg.end, i, months)
			s.tsReasons[cell.Blank] += blanks
			if i == len(times) {
				break
			}
			us := times[i]
			day := cell.Day(us)
			if day < dg.start || day >= dg.end {
				dg.year(day)
			}
			g := dg.group[day-dg.start]
			if g < 0 {
				g = s.monthGroup(cell.Month(us))
				dg.group[day-dg.start] = g
			}
			months[i] = g
		}
		return
	}
	col := b.Cols[s.tsCol]
	if s.tsFmt == cell.ISO {
		// Months (or −1 − reason) of the cells, then their groups:
		// monthHints sets the rows whose month monthGroup's cache holds
		// (nearly all), and monthGroup the row it stops at.
		buf, spans := col.Spans()
		s.isoMonths.ColumnSpans(buf, spans, col.Cell, months)
		if !wantMonths {
			for i, m := range months {
				if m < 0 {
					s.tsReasons[-1-m]++
				}
				months[i] = -1
			}
			return
		}
		for i := 0; i < len(months); i++ {
			if i = monthHints(&s.monthHint, months, i, &s.tsReasons); i == len(months) {
				break
			}
			months[i] = s.monthGroup(months[i])
		}
		return
	}
	var t cell.Civil
	start := int32(0)
	data, ends := col.Raw()
	for i, end := range ends[:len(months)] {
		r := t.Parse(data[start:end], s.tsFmt)
		start = end
		months[i] = -1
		if r != cell.OK {
			s.tsReasons[r]++
		} else if wantMonths {
			months[i] = s.monthGroup(t.Month())
		}
	}
}

// grow returns a slice of length n, reusing buf's memory when it can.
func grow(buf []int32, n int) []int32 {
	if cap(buf) >= n {
		return buf[:n]
	}
	return make([]int32, n)
}

// addGroup adds group og of o into group g of s.
func (s *Survey) addGroup(g groupID, o *Survey, og groupID) {
	for k, m := range s.metrics {
		dst := s.counts[k][int(g)*m.width : int(g+1)*m.width]
		src := o.counts[k][int(og)*m.width : int(og+1)*m.width]
		for i, c := range src {
			dst[i] += c
		}
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
	s.addGroup(0, o, 0)
	s.tsReasons.add(&o.tsReasons)
	for m, og := range o.months {
		s.addGroup(s.monthGroup(m), o, og)
	}
	for j, osg := range o.segs {
		sg := s.segs[j]
		for _, k := range sortedKeys(osg.groups) {
			og := *osg.groups[k]
			if g, ok := sg.groups[k]; ok {
				s.addGroup(*g, o, og)
				continue
			}
			if len(sg.groups) >= MaxSegmentValues {
				sg.overflow = true
				k = OtherSegment
				if g, ok := sg.groups[k]; ok {
					s.addGroup(*g, o, og)
					continue
				}
			}
			g := s.newGroup()
			sg.add(k, g)
			s.addGroup(*g, o, og)
		}
		sg.overflow = sg.overflow || osg.overflow
	}
	return nil
}

// hist returns metric k's histogram and exclusions in group g.
func (s *Survey) hist(k int, g groupID) (hist, reasons) {
	m := s.metrics[k]
	row := s.counts[k][int(g)*m.width : int(g+1)*m.width]
	n := int(m.hi - m.lo + 1)
	h := hist{lo: m.lo, count: row[:n:n]}
	var r reasons
	copy(r[:], row[n:])
	return h, r
}

// metricSet renders every plan metric of a group (oracle: metric_set).
func (s *Survey) metricSet(g groupID, b *boot) Object {
	out := Object{}
	for k, m := range s.metrics {
		h, excl := s.hist(k, g)
		base := func() Object { return Object{"column": m.spec.Column, "excluded": excl.object()} }
		n := h.total()
		switch m.name {
		case "nps":
			out["nps"] = merge(base(), npsBlock(&h, s.conf, b))
		case "csat", "csat_7pt":
			top := m.spec.TopBox
			out[m.name+"_top_box"] = merge(merge(base(), Object{"top_box": top}), proportionBlock(h.countRange(int64(top[0]), int64(top[1])), n, s.conf))
			out[m.name+"_mean"] = merge(base(), meanBlock(histSample(&h), s.conf, b, float64(m.lo), float64(m.hi), false))
		case "ces":
			out["ces_mean"] = merge(base(), meanBlock(histSample(&h), s.conf, b, float64(m.lo), float64(m.hi), false))
			out["ces_agree"] = merge(merge(base(), Object{"agree_min": m.spec.AgreeMin}), proportionBlock(h.countRange(int64(m.spec.AgreeMin), m.hi), n, s.conf))
		default:
			out[m.name+"_mean"] = merge(base(), meanBlock(histSample(&h), s.conf, b, float64(m.lo), float64(m.hi), false))
		}
	}
	return out
}

// Result renders the survey part of the result document.
func (s *Survey) Result() (Object, []string) {
	var warnings []string
	out := Object{"rows": s.rows, "overall": s.metricSet(0, &s.boot)}
	if s.nOutSegs > 0 {
		bySeg := Object{}
		for _, sg := range s.segs[:s.nOutSegs] {
			vals := Object{}
			for _, v := range sortedKeys(sg.groups) {
				vals[v] = s.metricSet(*sg.groups[v], nil)
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

// groupOf finds the group of a comparison side, or -1 when no row has
// that value (the comparison then says "a group is empty").
func (s *Survey) groupOf(by, value string) groupID {
	if by == "month" {
		if m, ok := cell.ParseMonthLabel(value); ok {
			if g, ok := s.months[m]; ok {
				return g
			}
		}
		return -1
	}
	for _, sg := range s.segs {
		if sg.name == by {
			if g := sg.groups[value]; g != nil {
				return *g
			}
		}
	}
	return -1
}

// sideHist is hist for a comparison side; an absent group is empty.
func (s *Survey) sideHist(k int, g groupID) hist {
	if g < 0 {
		m := s.metrics[k]
		return newHist(m.lo, m.hi)
	}
	h, _ := s.hist(k, g)
	return h
}

// comparison renders a − b for every plan metric (oracle: survey compare).
func (s *Survey) comparison(c plan.Compare) Object {
	ga, gb := s.groupOf(c.By, c.A), s.groupOf(c.By, c.B)
	out := Object{"by": c.By, "a": c.A, "b": c.B}
	for k, m := range s.metrics {
		ha, hb := s.sideHist(k, ga), s.sideHist(k, gb)
		na, nb := ha.total(), hb.total()
		switch m.name {
		case "nps":
			out["nps_diff"] = npsDiffBlock(&ha, &hb, s.conf)
		case "csat", "csat_7pt":
			t := m.spec.TopBox
			out[m.name+"_top_box_diff"] = propDiffBlock(ha.countRange(int64(t[0]), int64(t[1])), na, hb.countRange(int64(t[0]), int64(t[1])), nb, s.conf)
			out[m.name+"_mean_diff"] = meanDiffBlock(histSample(&ha), histSample(&hb), s.conf)
		case "ces":
			a := int64(m.spec.AgreeMin)
			out["ces_mean_diff"] = meanDiffBlock(histSample(&ha), histSample(&hb), s.conf)
			out["ces_agree_diff"] = propDiffBlock(ha.countRange(a, m.hi), na, hb.countRange(a, m.hi), nb, s.conf)
		default:
			out[m.name+"_mean_diff"] = meanDiffBlock(histSample(&ha), histSample(&hb), s.conf)
		}
	}
	return out
}
