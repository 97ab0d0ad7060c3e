package metric

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/cxaudit/cxaudit/core/cell"
	"github.com/cxaudit/cxaudit/core/ingest"
	"github.com/cxaudit/cxaudit/core/plan"
)

// The accumulators' caches (score tables, the short-cell segment cache,
// the month hints) must give what the general path gives for every cell.

func testSurvey(t *testing.T, planJSON string, header []string) *Survey {
	t.Helper()
	p, err := plan.Parse(strings.NewReader(planJSON))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Normalize(); err != nil {
		t.Fatal(err)
	}
	s, err := NewSurvey(p, "t.csv", header)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestScoreTableAgrees runs every cell of up to two bytes, and longer
// ones, through scoreSlots and compares each slot with slot (cell.Scale).
func TestScoreTableAgrees(t *testing.T) {
	t.Parallel()
	var cells [][]byte
	cells = append(cells, nil)
	for a := 0; a < 256; a++ {
		cells = append(cells, []byte{byte(a)})
		for b := 0; b < 256; b++ {
			cells = append(cells, []byte{byte(a), byte(b)})
		}
	}
	for _, c := range []string{"07", " 7", "7 ", "+7", "-0", "1e1", "10.0", "10,0", "9,0", "7,5", "٧", "７", "100", "N/A", "  "} {
		cells = append(cells, []byte(c))
	}
	for _, comma := range []string{"", `,"csv":{"decimal":","}`} {
		s := testSurvey(t, `{"kind":"survey","metrics":{"nps":{"column":"n"},"csat":{"column":"c","scale":[1,5],"top_box":[4,5]},"ces":{"column":"e","scale":[1,7],"agree_min":5}}`+comma+`}`,
			[]string{"n", "c", "e"})
		for k := range s.metrics {
			m := &s.metrics[k]
			var col ingest.Column
			for _, c := range cells {
				col.Append(c)
			}
			slots := make([]int32, len(cells))
			s.scoreSlots(m, s.newScoreTable(m), &col, slots)
			for i, c := range cells {
				if want := s.slot(m, c); slots[i] != want {
					t.Fatalf("%s (decimal %q): cell %q gets slot %d from the table, %d from cell.Scale", m.name, comma, c, slots[i], want)
				}
			}
		}
	}
}

// TestSegmentShortCacheAgrees feeds the same cells to a segmenter with
// its short-cell cache and to one resolving every cell without it, past
// MaxSegmentValues (so that values are pooled as OtherSegment), and
// compares the value each cell lands on.
func TestSegmentShortCacheAgrees(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(11, 12))
	fixed := []string{"web", " web", "web ", "\tweb\r", "", " ", "email", "in_app", "a", "a\x00", "\x00", "ABCDEFGH", "ABCDEFGHI",
		"Enterprise customers", "(blank)", "(other)", "EMEA", "LATAM", "é", "web\x00"}
	mk := func() func() *int32 {
		n := int32(0)
		return func() *int32 { n++; g := n; return &g }
	}
	cached := &segmenter[int32]{groups: map[string]*int32{}}
	plain := &segmenter[int32]{groups: map[string]*int32{}}
	mkC, mkP := mk(), mk()
	keyOf := func(s *segmenter[int32], g *int32) string {
		for k, v := range s.groups {
			if v == g {
				return k
			}
		}
		t.Fatalf("group %d is not in the segmenter", *g)
		return ""
	}
	arena := make([]byte, 0, 1<<20)
	for i := range 20_000 {
		var v string
		if rng.IntN(3) == 0 {
			v = fmt.Sprintf("v%d", rng.IntN(2*MaxSegmentValues))
		} else {
			v = fixed[rng.IntN(len(fixed))]
		}
		// In an arena (cellWord's one-load path) or alone, with no room
		// beyond the cell (its byte-by-byte path).
		var raw []byte
		if i%2 == 0 {
			arena = append(arena, v...)
			raw = arena[len(arena)-len(v):]
		} else {
			raw = []byte(v)[:len(v):len(v)]
		}
		gc, gp := cached.group(raw, mkC), plain.resolve(raw, mkP)
		if kc, kp := keyOf(cached, gc), keyOf(plain, gp); kc != kp {
			t.Fatalf("cell %q: %q with the cache, %q without", raw, kc, kp)
		}
	}
	if !cached.overflow || !plain.overflow {
		t.Fatal("the test did not reach MaxSegmentValues")
	}
}

func TestCellWord(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "a", "ab", "abcdefg", "abcdefgh", "\x00", "a\x00"} {
		padded := append([]byte(s), "XXXXXXXX"...)[:len(s)]
		exact := []byte(s)[:len(s):len(s)]
		w1, ok1 := cellWord(padded)
		w2, ok2 := cellWord(exact)
		if !ok1 || !ok2 || w1 != w2 {
			t.Errorf("cellWord(%q): %x %v in an arena, %x %v alone", s, w1, ok1, w2, ok2)
		}
	}
	if _, ok := cellWord([]byte("abcdefghi")); ok {
		t.Error("a 9-byte cell fits a word")
	}
}

// TestMonthHintAgrees asks for many months, more than the hint table
// holds, in random order: each answer must be the month map's.
func TestMonthHintAgrees(t *testing.T) {
	t.Parallel()
	s := testSurvey(t, `{"kind":"survey","columns":{"timestamp":"ts"},"metrics":{"nps":{"column":"n"}},"by_month":true}`, []string{"ts", "n"})
	rng := rand.New(rand.NewPCG(13, 14))
	for range 10_000 {
		m := int32(2000*12 + rng.IntN(100))
		if g := s.monthGroup(m); g != s.months[m] || g == 0 {
			t.Fatalf("month %d: group %d, map %d", m, g, s.months[m])
		}
	}
}

// TestCountsAgree compares countOverall1, countOverall2 and countGroups
// (hand-written WebAssembly in the wasm build) with their Go loops on
// random slots and groups, some rows without a group (-1).
func TestCountsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	for it := range 500 {
		w, groups, n := 1+rng.IntN(20), 1+rng.IntN(30), rng.IntN(300)
		slots := make([]int32, n)
		g0, g1 := make([]int32, n), make([]int32, n)
		for i := range n {
			slots[i] = int32(rng.IntN(w))
			g0[i], g1[i] = int32(rng.IntN(groups+1)-1), int32(rng.IntN(groups+1)-1)
		}
		for _, f := range []struct {
			name      string
			asm, loop func(c []int64)
		}{
			{"overall1", func(c []int64) { countOverall1(c, slots, g0, int32(w)) }, func(c []int64) { countOverall1Go(c, slots, g0, int32(w)) }},
			{"overall2", func(c []int64) { countOverall2(c, slots, g0, g1, int32(w)) }, func(c []int64) { countOverall2Go(c, slots, g0, g1, int32(w)) }},
			{"groups", func(c []int64) { countGroups(c, slots, g1, int32(w)) }, func(c []int64) { countGroupsGo(c, slots, g1, int32(w)) }},
		} {
			c1, c2 := make([]int64, w*groups), make([]int64, w*groups)
			f.asm(c1)
			f.loop(c2)
			if fmt.Sprint(c1) != fmt.Sprint(c2) {
				t.Fatalf("iteration %d, %s: %v, want %v", it, f.name, c1, c2)
			}
		}
	}
}

// TestShortGroupsAgree compares shortGroupsSpans (hand-written assembly
// on amd64 and in wasm) and shortGroupsSpansGo with the cache, cell by
// cell: cells of 0 to 10 bytes, some cached and some not, some marked
// quoted, in arenas with and without 8 bytes of room after a cell.
func TestShortGroupsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	values := []string{"", "a", "web", "email", "in_app", "LATAM", "12345678", "123456789", "abcdefghij", "NA", "na"}
	for it := range 500 {
		var c shortCache[int32]
		groups := make([]int32, len(values))
		for k, v := range values {
			groups[k] = int32(k)
			if w, ok := cellWord([]byte(v)); ok && rng.IntN(4) > 0 {
				c.put(w, len(v), &groups[k])
			}
		}
		var data []byte
		ends := make([]int32, rng.IntN(60))
		for i := range ends {
			data = append(data, values[rng.IntN(len(values))]...)
			ends[i] = int32(len(data))
		}
		if rng.IntN(2) == 0 {
			data = slices.Grow(data, 8)
		}
		compareSpanLoops(t, it, rng, data, ends, func(buf []byte, spans []uint64, i int, out []int32) int {
			return shortGroupsSpans(&c, buf, spans, i, out)
		}, func(buf []byte, spans []uint64, i int, out []int32) int {
			return shortGroupsSpansGo(&c, buf, spans, i, out)
		}, func(buf []byte, a, e int) (int32, bool) {
			raw := buf[a:e]
			if len(raw) > 8 || cap(raw) < 8 {
				return 0, false
			}
			w, _ := cellWord(raw)
			if g := c.get(w, len(raw)); g != nil {
				return *g, true
			}
			return 0, false
		})
	}
}

// spanLoop is shortGroupsSpans' and tableSlotsSpans' shape: from row i,
// set out[row] while it can; return where it stopped.
type spanLoop func(buf []byte, spans []uint64, i int, out []int32) int

// cellRef is a loop's verdict on one cell, buf[a:e]: what it sets, or
// false where it stops.
type cellRef func(buf []byte, a, e int) (int32, bool)

// compareSpanLoops runs a span loop a (assembly on amd64 and in wasm) and
// its Go loop b from every row where they stop, skipping that row as their
// callers do, on the cells of data (cell i ends at ends[i]) as spans, with
// some marked quoted (a negative start, as ingest marks a cell that needs
// unescaping). Both must stop at the quoted cells and where ref says, and
// set what ref gives.
func compareSpanLoops(t *testing.T, it int, rng *rand.Rand, data []byte, ends []int32, a, b spanLoop, ref cellRef) {
	t.Helper()
	spans := make([]uint64, len(ends))
	want := make([]int32, len(ends))
	var wantStops []int
	start := int32(0)
	for i, end := range ends {
		spans[i] = uint64(uint32(start)) | uint64(end)<<32
		v, ok := ref(data, int(start), int(end))
		if rng.IntN(8) == 0 {
			spans[i] = uint64(uint32(-start-1)) | 0<<32 // quoted at its start
			ok = false
		}
		if ok {
			want[i] = v
		} else {
			wantStops = append(wantStops, i)
		}
		start = end
	}
	wantStops = append(wantStops, len(ends))
	run := func(f spanLoop) ([]int, []int32) {
		out := make([]int32, len(spans))
		var stops []int
		for i := 0; ; i++ {
			i = f(data, spans, i, out)
			stops = append(stops, i)
			if i >= len(spans) {
				return stops, out
			}
		}
	}
	s1, o1 := run(a)
	s2, o2 := run(b)
	if !slices.Equal(s1, wantStops) || !slices.Equal(s2, wantStops) || !slices.Equal(o1, want) || !slices.Equal(o2, want) {
		t.Fatalf("iteration %d: stops %v and %v, setting %v and %v; want stops %v, setting %v", it, s1, s2, o1, o2, wantStops, want)
	}
}

// TestTableSlotsAgree compares tableSlotsSpans (hand-written assembly on
// amd64 and in wasm) and tableSlotsSpansGo with the table, cell by cell,
// on cells of 0 to 3 bytes: digits, other bytes, two-byte cells that are
// not two digits, cells marked quoted.
func TestTableSlotsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(25, 26))
	var tab scoreTable
	tab.blank = 7
	for c := range tab.one {
		tab.one[c] = int32(rng.IntN(20))
	}
	for v := range tab.two {
		tab.two[v] = int32(rng.IntN(20))
	}
	alphabet := []byte("0123456789/:-a \xff")
	for it := range 500 {
		var data []byte
		ends := make([]int32, rng.IntN(60))
		for i := range ends {
			for range rng.IntN(4) {
				data = append(data, alphabet[rng.IntN(len(alphabet))])
			}
			ends[i] = int32(len(data))
		}
		compareSpanLoops(t, it, rng, data, ends, func(buf []byte, spans []uint64, i int, out []int32) int {
			return tableSlotsSpans(&tab, buf, spans, i, out)
		}, func(buf []byte, spans []uint64, i int, out []int32) int {
			return tableSlotsSpansGo(&tab, buf, spans, i, out)
		}, func(buf []byte, a, e int) (int32, bool) {
			return tab.short(buf[a:e])
		})
	}
}

// TestCodedAndIntSlotsAgree compares codedSlots and intSlots (hand-written
// WebAssembly in the wasm build) with their Go loops: null codes and
// values, values at, inside and outside the scale, extreme values.
func TestCodedAndIntSlotsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	for it := range 500 {
		n := rng.IntN(100)
		dict := make([]int32, 1+rng.IntN(20))
		for k := range dict {
			dict[k] = int32(rng.IntN(30))
		}
		codes, v := make([]int32, n), make([]int64, n)
		for i := range n {
			codes[i] = int32(rng.IntN(len(dict)+3) - 3)
			switch r := rng.IntN(10); {
			case r == 0:
				v[i] = ingest.NullInt
			case r == 1:
				v[i] = []int64{math.MaxInt64, math.MinInt64 + 1, -1 << 40, 1 << 40}[rng.IntN(4)]
			default:
				v[i] = int64(rng.IntN(16) - 3)
			}
		}
		lo, hi := int64(rng.IntN(3)), int64(3+rng.IntN(9))
		s1, s2 := make([]int32, n), make([]int32, n)
		codedSlots(codes, dict, 99, s1)
		codedSlotsGo(codes, dict, 99, s2)
		if !slices.Equal(s1, s2) {
			t.Fatalf("iteration %d: codedSlots %v, want %v", it, s1, s2)
		}
		intSlots(v, lo, hi, 98, 97, s1)
		intSlotsGo(v, lo, hi, 98, 97, s2)
		if !slices.Equal(s1, s2) {
			t.Fatalf("iteration %d: intSlots %v, want %v", it, s1, s2)
		}
	}
}

// TestDictGroupsAgree compares dictGroups (hand-written WebAssembly in
// the wasm build) with dictGroupsGo: entries with and without a group
// yet, null codes (the last entry).
func TestDictGroupsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	for it := range 500 {
		groups := make([]int32, 1+rng.IntN(10))
		byEntry := make([]*int32, len(groups))
		for k := range groups {
			groups[k] = int32(rng.IntN(50))
			if rng.IntN(5) > 0 {
				byEntry[k] = &groups[k]
			}
		}
		codes := make([]int32, rng.IntN(80))
		for i := range codes {
			codes[i] = int32(rng.IntN(len(groups)+1) - 1) // -1: null
		}
		g1, g2 := make([]int32, len(codes)), make([]int32, len(codes))
		for i := 0; i < len(codes); i++ {
			i1, i2 := dictGroups(byEntry, codes, i, g1), dictGroupsGo(byEntry, codes, i, g2)
			if i1 != i2 || !slices.Equal(g1, g2) {
				t.Fatalf("iteration %d from row %d: %d, %v; want %d, %v", it, i, i1, g1, i2, g2)
			}
			i = i1
		}
	}
}

// TestDayMonthsAgree compares dayMonths (hand-written WebAssembly in the
// wasm build) with dayMonthsGo: timestamps on and around every day of the
// year held (its first and last microsecond, the ones just outside),
// before 1970, empty cells (NullTime) and the extremes of int64, with
// days whose group is not known yet; and checks each row it sets against
// cell.Day.
func TestDayMonthsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	const D = cell.MicrosPerDay
	for it := range 500 {
		year := 1 + rng.Int64N(9999)
		if it%3 == 0 {
			year = 1960 + rng.Int64N(20) // around 1970: negative microseconds
		}
		start, end := cell.DaysFromCivil(int(year), 1, 1), cell.DaysFromCivil(int(year)+1, 1, 1)
		var group [366]groupID
		for k := range group {
			group[k] = int32(rng.IntN(40))
			if rng.IntN(8) == 0 {
				group[k] = -1
			}
		}
		times := make([]int64, rng.IntN(80))
		if it == 0 {
			// Every day of a leap year, its first and last microsecond.
			year, start, end = 2024, cell.DaysFromCivil(2024, 1, 1), cell.DaysFromCivil(2025, 1, 1)
			for k := range group {
				group[k] = int32(k)
			}
			times = times[:0]
			for day := start; day < end; day++ {
				times = append(times, day*D, day*D+D-1)
			}
		}
		for i := range times {
			if it == 0 {
				break
			}
			day := start + rng.Int64N(end-start)
			switch r := rng.IntN(20); {
			case r == 0:
				times[i] = ingest.NullTime
			case r == 1:
				times[i] = start*D - 1 - rng.Int64N(3*D) // before the year
			case r == 2:
				times[i] = end*D + rng.Int64N(3*D) // after it
			case r == 3:
				times[i] = []int64{math.MaxInt64, math.MinInt64 + 1, 0, -1, start * D, end*D - 1}[rng.IntN(6)]
			case r < 8:
				times[i] = day*D + []int64{0, 1, D - 1, D / 2}[rng.IntN(4)] // edges of a day
			default:
				times[i] = day*D + rng.Int64N(D)
			}
		}
		m1, m2 := make([]int32, len(times)), make([]int32, len(times))
		for i := 0; i < len(times); i++ {
			i1, b1 := dayMonths(times, &group, start, end, i, m1)
			i2, b2 := dayMonthsGo(times, &group, start, end, i, m2)
			if i1 != i2 || b1 != b2 || !slices.Equal(m1, m2) {
				t.Fatalf("iteration %d (year %d) from row %d: %d, %d, %v; want %d, %d, %v", it, year, i, i1, b1, m1, i2, b2, m2)
			}
			for j := i; j < i1; j++ {
				want := int32(-1)
				if times[j] != ingest.NullTime {
					want = group[cell.Day(times[j])-start]
				}
				if m1[j] != want {
					t.Fatalf("iteration %d: row %d (%d µs) has group %d, want %d", it, j, times[j], m1[j], want)
				}
			}
			i = i1
		}
	}
}

// TestMonthHintsAgree compares monthHints (hand-written WebAssembly in
// the wasm build) with monthHintsGo: months the cache holds, months it
// does not (an empty entry, another month in the entry), and exclusions
// of every reason.
func TestMonthHintsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(33, 34))
	for it := range 500 {
		var hint monthCache
		for k := range hint {
			if rng.IntN(6) > 0 {
				m := int32(k + 32*rng.IntN(4))
				hint[k] = monthHint{month: m, g: int32(1 + rng.IntN(50))}
			}
		}
		months := make([]int32, rng.IntN(80))
		for i := range months {
			if rng.IntN(5) == 0 {
				months[i] = int32(-1 - rng.IntN(cell.NumReasons))
			} else {
				months[i] = int32(rng.IntN(128))
			}
		}
		m1, m2 := slices.Clone(months), slices.Clone(months)
		var r1, r2 reasons
		for i := 0; i < len(months); i++ {
			i1, i2 := monthHints(&hint, m1, i, &r1), monthHintsGo(&hint, m2, i, &r2)
			if i1 != i2 || !slices.Equal(m1, m2) || r1 != r2 {
				t.Fatalf("iteration %d from row %d: %d, %v, %v; want %d, %v, %v", it, i, i1, m1, r1, i2, m2, r2)
			}
			i = i1
		}
	}
}
