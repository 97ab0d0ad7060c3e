// The survey accumulator's loops over a batch's rows, in Go. In the wasm
// build each has a twin in hand-written WebAssembly
// (survey_loops_wasm.go, .s), compared with it by the tests in
// fastpath_test.go; other builds call these (survey_loops_other.go).

package metric

import (
	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
)

// countOverall1Go bumps, for every row, the overall count of its slot and
// its count in its group of one group column; countOverall2Go, in its
// groups of two. One pass instead of two or three: in wasm, the loop's
// loads and bounds checks cost as much as the increments. They are
// countOverall1 and countOverall2 except in wasm (survey_loops_wasm.go).
func countOverall1Go(c []int64, slots, g0 []int32, w int32) {
	g0 = g0[:len(slots)]
	for i, sl := range slots {
		c[sl]++
		if g := g0[i]; g >= 0 {
			c[g*w+sl]++
		}
	}
}

func countOverall2Go(c []int64, slots, g0, g1 []int32, w int32) {
	g0, g1 = g0[:len(slots)], g1[:len(slots)]
	for i, sl := range slots {
		c[sl]++
		if g := g0[i]; g >= 0 {
			c[g*w+sl]++
		}
		if g := g1[i]; g >= 0 {
			c[g*w+sl]++
		}
	}
}

// countGroupsGo bumps, for every row, the count of its slot in its group of
// one group column (group -1: none); w is the slots per group. It is
// countGroups except in wasm.
func countGroupsGo(c []int64, slots, gids []int32, w int32) {
	slots = slots[:len(gids)]
	for i, g := range gids {
		if g >= 0 {
			c[g*w+slots[i]]++
		}
	}
}

// shortGroupsSpansGo sets gids[i] from row i on, the cell of row i being
// the span spans[i] of buf, while the cell lies in buf, is at most 8 bytes
// long with 8 bytes readable from its start (cellWord's single load), and
// cache c has the cell's group (group would look there first; asking the
// cache here saved the call, 4 % of the instructions of
// BenchmarkSurveyAdd); it returns the row it stopped at (len(spans):
// none). It is shortGroupsSpans except on amd64 and in wasm.
func shortGroupsSpansGo(c *shortCache[int32], buf []byte, spans []uint64, i int, gids []int32) int {
	for ; i < len(spans); i++ {
		a, b := ingest.SpanBounds(spans[i])
		if a < 0 || b > len(buf) || a > b {
			break
		}
		raw := buf[a:b]
		if len(raw) > 8 || cap(raw) < 8 {
			break
		}
		w, _ := cellWord(raw)
		g := c.get(w, len(raw))
		if g == nil {
			break
		}
		gids[i] = *g
	}
	return i
}

// tableSlotsSpansGo sets slots[i] from row i on, the cell of row i being
// the span spans[i] of buf, while the cell lies in buf and score table t
// holds it (empty, one byte, two digits); it returns the row it stopped at
// (len(spans): none). It is tableSlotsSpans except on amd64 and in wasm.
func tableSlotsSpansGo(t *scoreTable, buf []byte, spans []uint64, i int, slots []int32) int {
	for ; i < len(spans); i++ {
		a, e := ingest.SpanBounds(spans[i])
		if a < 0 || e > len(buf) || a > e {
			return i
		}
		sl, ok := t.short(buf[a:e])
		if !ok {
			return i
		}
		slots[i] = sl
	}
	return i
}

// short returns the slot of cell b when the table holds it: an empty
// cell, one byte, or two digits.
func (t *scoreTable) short(b []byte) (int32, bool) {
	switch len(b) {
	case 0:
		return t.blank, true
	case 1:
		return t.one[b[0]], true
	case 2:
		x, y := b[0]-'0', b[1]-'0'
		if x < 10 && y < 10 {
			return t.two[10*int(x)+int(y)], true
		}
	}
	return 0, false
}

// codedSlotsGo sets the slot of each cell of a column that came coded:
// blank for a null (code < 0), else the slot of its dictionary entry. It
// is codedSlots except in wasm.
func codedSlotsGo(codes, dictSlots []int32, blank int32, slots []int32) {
	for i, x := range codes[:len(slots)] {
		if x < 0 {
			slots[i] = blank
		} else {
			slots[i] = dictSlots[x]
		}
	}
}

// intSlotsGo sets the slot of each cell of an integer column: blank for
// a null, the offset in the scale lo…hi, else outOfRange. It is intSlots
// except in wasm.
func intSlotsGo(v []int64, lo, hi int64, blank, outOfRange int32, slots []int32) {
	for i, x := range v[:len(slots)] {
		switch {
		case x == ingest.NullInt:
			slots[i] = blank
		case x >= lo && x <= hi:
			slots[i] = int32(x - lo)
		default:
			slots[i] = outOfRange
		}
	}
}

// dictGroupsGo sets gids[i] from row i on to the group of the row's
// dictionary entry, byEntry[codes[i]] (a null, code < 0: the last of
// byEntry), while that group is known (not nil); it returns the row it
// stopped at (len(codes): none). It is dictGroups except in wasm.
func dictGroupsGo(byEntry []*int32, codes []int32, i int, gids []int32) int {
	empty := int32(len(byEntry) - 1)
	for ; i < len(codes); i++ {
		x := codes[i]
		if x < 0 {
			x = empty
		}
		g := byEntry[x]
		if g == nil {
			break
		}
		gids[i] = *g
	}
	return i
}

// dayMonthsGo sets months[i] from row i on to the month group of the
// row's timestamp (microseconds, times[i]) held for its day in group (the
// days [start, end) since 1970), and months[i] to -1 for an empty cell
// (NullTime), which it counts; it stops at a row whose day is outside
// [start, end) or whose group is not known yet (-1), and returns that row
// (len(times): none) and the empty cells. It is dayMonths except in wasm.
func dayMonthsGo(times []int64, group *[366]groupID, start, end int64, i int, months []int32) (int, int64) {
	blanks := int64(0)
	for ; i < len(times); i++ {
		us := times[i]
		if us == ingest.NullTime {
			blanks++
			months[i] = -1
			continue
		}
		day := cell.Day(us)
		if day < start || day >= end {
			break
		}
		g := group[day-start]
		if g < 0 {
			break
		}
		months[i] = g
	}
	return i, blanks
}

// monthHintsGo sets months[i] from row i on — a month number, or -1-reason
// for an excluded timestamp — to the month's group as hint holds it
// (Survey.monthHint; monthCache.lookup), or to -1 for an exclusion, which it
// counts in rs; it stops at a month hint does not hold, and returns that
// row (len(months): none). It is monthHints except in wasm.
func monthHintsGo(hint *monthCache, months []int32, i int, rs *reasons) int {
	for ; i < len(months); i++ {
		m := months[i]
		if m < 0 {
			rs[-1-m]++
			months[i] = -1
			continue
		}
		e, ok := hint.lookup(m)
		if !ok {
			break
		}
		months[i] = e.g
	}
	return i
}
